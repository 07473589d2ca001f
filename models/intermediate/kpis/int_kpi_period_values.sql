{{
    config(
        materialized='incremental',
        unique_key=['kpi', 'period_grain', 'period_start'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where slice_type is null"
    )
}}
{#- The experience KPIs aggregated per period (day, ISO week, month) and slice (all, persona,
    channel, journey stage, segment), with observation counts and 95% margins of error:
    - nps: NPS = 100 x (promoters - detractors) / answers, margin per the NPS formula;
    - csat, response_rate, sla_attainment, fcr_rate: the share of successes, margin
      1.96 x sqrt(p (1 - p) / n); csat also carries the mean score;
    - ces, sentiment, aht_seconds: the mean, margin 1.96 x sd / sqrt(n); ces also carries the
      share of easy answers (5-7);
    - first_response_minutes: the median (no margin of error).
    Observations are first summed per day and cell (KPI x persona x segment x channel x stage),
    the cells per day and slice value, and those into the periods: counts add, means weigh by
    count and squared deviations combine by the parallel-variance formula. Distinct customers
    and medians can't be rolled up; they come from customer-days and from the first responses
    alone.
    Incremental by KPI and period: every row carries the fingerprint of its period's
    observations (the sum of their hashes), and a night recomputes the periods whose fingerprint
    changed - those of the days whose observations were added, removed or changed - from the
    observations of those periods alone. A period left without observations gets a row without
    a slice that the post-hook deletes. -#}
{%- set day_slice = ['kpi', 'observed_date', 'slice_type', 'slice_value'] %}
{%- set period_slice = ['kpi', 'period_grain', 'period_start', 'slice_type', 'slice_value'] %}
{%- set period = ['kpi', 'period_grain', 'period_start'] %}

with

grains as (
    select unnest(['day', 'week', 'month']) as period_grain
),

observed_days as (
    select
        kpi,
        observed_date,
        sum(hash(
            customer_id, channel, persona, segment, journey_stage, value, is_success, is_detractor
        ))::hugeint as fingerprint
    from {{ ref('int_kpi_observations') }}
    group by kpi, observed_date
),

observed_periods as (
    select
        observed_days.kpi,
        grains.period_grain,
        date_trunc(grains.period_grain, observed_days.observed_date)::date as period_start,
        sum(observed_days.fingerprint)::hugeint as fingerprint
    from observed_days
    cross join grains
    group by all
),

{% if is_incremental() -%}
    stored_periods as (
        select distinct
            kpi,
            period_grain,
            period_start,
            observations_fingerprint
        from {{ this }}
    ),

    changed_periods as (
        select
            observed.fingerprint,
            coalesce(observed.kpi, stored.kpi) as kpi,
            coalesce(observed.period_grain, stored.period_grain) as period_grain,
            coalesce(observed.period_start, stored.period_start) as period_start
        from observed_periods as observed
        full join stored_periods as stored
            on {{ columns_match('observed', 'stored', period) }}
        where observed.fingerprint is distinct from stored.observations_fingerprint
    ),

    changed_days as (
        select distinct
            observed_days.kpi,
            observed_days.observed_date
        from observed_days
        cross join grains
        inner join changed_periods
            on
                observed_days.kpi = changed_periods.kpi
                and grains.period_grain = changed_periods.period_grain
                and date_trunc(grains.period_grain, observed_days.observed_date)
                = changed_periods.period_start
    ),
{%- endif %}

-- Read four times: not materialised, each read scans only the columns it needs instead of a copy
-- of every observation made first. A night reads the days of the periods it recomputes.
observations as not materialized (
    select observations.*
    from {{ ref('int_kpi_observations') }} as observations
    {% if is_incremental() -%}
        semi join changed_days
            on
                observations.kpi = changed_days.kpi
                and observations.observed_date = changed_days.observed_date
    {%- endif %}
),

daily_cells as (
    select
        kpi,
        observed_date,
        persona,
        segment,
        channel,
        journey_stage,
        count(*) as observations,
        count(*) filter (where is_success) as successes,
        count(*) filter (where is_detractor) as detractors,
        count(value) as valued,
        avg(value) as mean_value,
        var_pop(value) * count(value) as squared_deviations
    from observations
    group by all
),

cells_with_all as (
    select
        *,
        'all' as "all"
    from daily_cells
),

-- A cell's non-null slice values (UNPIVOT leaves nulls out).
unpivoted_cells as (
    unpivot cells_with_all
    on "all", persona, channel, journey_stage, segment
    into name slice_type value slice_value
),

-- Cells of the same KPI, day and slice value combined first: the periods then roll up one row
-- per day and slice value instead of every cell.
day_slice_totals as (
    {{ summed_moments('unpivoted_cells', day_slice) }}
),

day_slice_deviations as (
    {{ combined_squared_deviations('unpivoted_cells', 'day_slice_totals', day_slice) }}
),

-- Each day and slice value in every period that contains the day.
sliced_days as (
    select
        totals.* exclude (totals.observed_date),
        deviations.squared_deviations,
        grains.period_grain,
        date_trunc(grains.period_grain, totals.observed_date)::date as period_start
    from day_slice_totals as totals
    left join day_slice_deviations as deviations
        on {{ columns_match('totals', 'deviations', day_slice) }}
    cross join grains
),

rolled_up as (
    {{ summed_moments('sliced_days', period_slice) }}
),

squared_deviations as (
    {{ combined_squared_deviations('sliced_days', 'rolled_up', period_slice) }}
),

-- Persona and segment are the customer's own: one value per customer, kept beside its key.
observed_customers as (
    select
        customer_id,
        any_value(persona) as persona,
        any_value(segment) as segment
    from observations
    where customer_id is not null
    group by customer_id
),

-- Distinct customers are counted on integer codes of the KPI, grain, channel, stage and customer:
-- far less to hash and spill than their text.
customer_keys as (
    select
        customer_id,
        persona,
        segment,
        (row_number() over ())::uinteger as customer_key
    from observed_customers
),

kpi_codes as (
    {{ value_codes('observations', 'kpi', 'utinyint') }}
),

grain_codes as (
    {{ value_codes('grains', 'period_grain', 'utinyint') }}
),

channel_codes as (
    {{ value_codes('observations', 'channel') }}
),

stage_codes as (
    {{ value_codes('observations', 'journey_stage') }}
),

customer_days as (
    select distinct
        kpi_codes.kpi_code,
        observations.observed_date,
        customer_keys.customer_key,
        channel_codes.channel_code,
        stage_codes.journey_stage_code
    from observations
    inner join customer_keys
        on observations.customer_id = customer_keys.customer_id
    inner join kpi_codes
        on observations.kpi = kpi_codes.kpi
    left join channel_codes
        on observations.channel = channel_codes.channel
    left join stage_codes
        on observations.journey_stage = stage_codes.journey_stage
),

customer_period_keys as (
    {{ periods_with_a_day('customer_days', ['kpi_code', 'customer_key'], 'grain_codes') }}
),

-- One customer-period set serves the all, persona and segment slices: persona and segment are
-- joined back by key afterwards. Channel and stage vary by observation and need their
-- own sets.
customer_periods as (
    select
        customer_period_keys.*,
        customer_keys.persona,
        customer_keys.segment
    from customer_period_keys
    inner join customer_keys
        on customer_period_keys.customer_key = customer_keys.customer_key
),

customer_channel_periods as (
    {{ periods_with_a_day(
        'customer_days', ['kpi_code', 'customer_key', 'channel_code'], 'grain_codes'
    ) }}
),

customer_stage_periods as (
    {{ periods_with_a_day(
        'customer_days', ['kpi_code', 'customer_key', 'journey_stage_code'], 'grain_codes'
    ) }}
),

coded_customer_counts as (
    select
        kpi_code,
        period_grain_code,
        period_start,
        'all' as slice_type,
        'all' as slice_value,
        count(*) as customers
    from customer_periods
    group by all

    union all
    select
        kpi_code,
        period_grain_code,
        period_start,
        'persona' as slice_type,
        persona as slice_value,
        count(*) as customers
    from customer_periods
    where persona is not null
    group by all

    union all
    select
        kpi_code,
        period_grain_code,
        period_start,
        'segment' as slice_type,
        segment as slice_value,
        count(*) as customers
    from customer_periods
    where segment is not null
    group by all

    union all
    select
        periods.kpi_code,
        periods.period_grain_code,
        periods.period_start,
        'channel' as slice_type,
        channel_codes.channel as slice_value,
        count(*) as customers
    from customer_channel_periods as periods
    inner join channel_codes
        on periods.channel_code = channel_codes.channel_code
    group by all

    union all
    select
        periods.kpi_code,
        periods.period_grain_code,
        periods.period_start,
        'journey_stage' as slice_type,
        stage_codes.journey_stage as slice_value,
        count(*) as customers
    from customer_stage_periods as periods
    inner join stage_codes
        on periods.journey_stage_code = stage_codes.journey_stage_code
    group by all
),

customer_counts as (
    select
        kpi_codes.kpi,
        grain_codes.period_grain,
        counts.period_start,
        counts.slice_type,
        counts.slice_value,
        counts.customers
    from coded_customer_counts as counts
    inner join kpi_codes
        on counts.kpi_code = kpi_codes.kpi_code
    inner join grain_codes
        on counts.period_grain_code = grain_codes.period_grain_code
),

first_responses as (
    select
        kpi,
        observed_date,
        value,
        persona,
        segment,
        channel,
        journey_stage,
        'all' as "all"
    from observations
    where kpi = 'first_response_minutes'
),

unpivoted_first_responses as (
    unpivot first_responses
    on "all", persona, channel, journey_stage, segment
    into name slice_type value slice_value
),

medians as (
    select
        responses.kpi,
        grains.period_grain,
        responses.slice_type,
        responses.slice_value,
        date_trunc(grains.period_grain, responses.observed_date)::date as period_start,
        median(responses.value) as median_value
    from unpivoted_first_responses as responses
    cross join grains
    group by all
),

aggregated as (
    select
        rolled_up.*,
        medians.median_value,
        observed_periods.fingerprint as observations_fingerprint,
        coalesce(customer_counts.customers, 0) as customers,
        case
            when rolled_up.valued > 1
                then sqrt(squared_deviations.squared_deviations / (rolled_up.valued - 1))
        end as standard_deviation
    from rolled_up
    inner join observed_periods
        on {{ columns_match('rolled_up', 'observed_periods', period) }}
    left join squared_deviations
        on {{ columns_match('rolled_up', 'squared_deviations', period_slice) }}
    left join customer_counts
        on {{ columns_match('rolled_up', 'customer_counts', period_slice) }}
    left join medians
        on {{ columns_match('rolled_up', 'medians', period_slice) }}
    {% if is_incremental() -%}
        {#- A recomputed day's other periods (its week may reach into a month that did not
            change) are read only in part: keep the periods that changed. #}
        where (rolled_up.kpi, rolled_up.period_grain, rolled_up.period_start) in (
            select
                changed.kpi,
                changed.period_grain,
                changed.period_start
            from changed_periods as changed
        )
    {%- endif %}
)

select
    kpi,
    period_grain,
    period_start,
    slice_type,
    slice_value,
    observations,
    customers,
    case
        when kpi = 'nps' then {{ nps('successes', 'detractors', 'observations') }}
        when kpi in ('csat', 'response_rate', 'sla_attainment', 'fcr_rate')
            then {{ safe_divide('successes', 'observations') }}
        when kpi = 'first_response_minutes' then median_value
        else mean_value
    end as value,
    case
        when kpi = 'nps' then {{ nps_margin_of_error('successes', 'detractors', 'observations') }}
        when kpi in ('csat', 'response_rate', 'sla_attainment', 'fcr_rate')
            then
                {{ proportion_margin_of_error(
                safe_divide('successes', 'observations'), 'observations'
            ) }}
        when kpi = 'first_response_minutes' then null
        else {{ mean_margin_of_error('standard_deviation', 'observations') }}
    end as margin_of_error,
    case when kpi = 'nps' then successes end as promoters,
    case when kpi = 'nps' then detractors end as detractors,
    case when kpi in ('csat', 'ces') then mean_value end as mean_score,
    case when kpi = 'ces' then {{ safe_divide('successes', 'observations') }} end as easy_share,
    observations_fingerprint
from aggregated
{% if is_incremental() %}

    union all

    select
        kpi,
        period_grain,
        period_start,
        null as slice_type,
        null as slice_value,
        null as observations,
        null as customers,
        null as value,
        null as margin_of_error,
        null as promoters,
        null as detractors,
        null as mean_score,
        null as easy_share,
        null as observations_fingerprint
    from changed_periods
    where fingerprint is null
{% endif %}
