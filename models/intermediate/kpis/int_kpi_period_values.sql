{#- The experience KPIs aggregated per period (day, ISO week, month) and slice (all, persona,
    channel, journey stage, segment), with observation counts and 95% margins of error:
    - nps: NPS = 100 x (promoters - detractors) / answers, margin per the NPS formula;
    - csat, response_rate, sla_attainment, fcr_rate: the share of successes, margin
      1.96 x sqrt(p (1 - p) / n); csat also carries the mean score;
    - ces, sentiment, aht_seconds: the mean, margin 1.96 x sd / sqrt(n); ces also carries the
      share of easy answers (5-7);
    - first_response_minutes: the median (no margin of error). -#}
with

observations as (
    select * from {{ ref('int_kpi_observations') }}
),

observed_customers as (
    select distinct customer_id from observations
),

-- Distinct customers are counted on an integer key: far less to hash and spill than the id.
customer_keys as (
    select
        customer_id,
        row_number() over () as customer_key
    from observed_customers
),

grains as (
    select unnest(['day', 'week', 'month']) as period_grain
),

observation_slices as (
    select
        observations.* exclude (observations.customer_id),
        customer_keys.customer_key,
        'all' as "all"
    from observations
    left join customer_keys
        on observations.customer_id = customer_keys.customer_id
),

unpivoted as (
    unpivot observation_slices
    on "all", persona, channel, journey_stage, segment
    into name slice_type value slice_value
),

sliced as (
    select
        slices.kpi,
        grains.period_grain,
        slices.slice_type,
        slices.slice_value,
        slices.customer_key,
        slices.value,
        slices.is_success,
        slices.is_detractor,
        date_trunc(grains.period_grain, slices.observed_date)::date as period_start
    from unpivoted as slices
    cross join grains
),

aggregated as (
    select
        kpi,
        period_grain,
        period_start,
        slice_type,
        slice_value,
        count(*) as observations,
        count(distinct customer_key) as customers,
        count(*) filter (where is_success) as successes,
        count(*) filter (where is_detractor) as detractors,
        avg(value) as mean_value,
        stddev_samp(value) as standard_deviation,
        median(value) filter (where kpi = 'first_response_minutes') as median_value
    from sliced
    group by all
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
    case when kpi = 'ces' then {{ safe_divide('successes', 'observations') }} end as easy_share
from aggregated
