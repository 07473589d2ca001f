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

grains as (
    select * from (values ('day'), ('week'), ('month')) as grains (period_grain)
),

sliced as (
    select
        observations.kpi,
        grains.period_grain,
        cast(date_trunc(grains.period_grain, observations.observed_date) as date) as period_start,
        slices.slice_type,
        slices.slice_value,
        observations.customer_id,
        observations.value,
        observations.is_success,
        observations.is_detractor
    from observations
    cross join grains
    cross join lateral (
        select * from (values
            ('all', 'all'),
            ('persona', observations.persona),
            ('channel', observations.channel),
            ('journey_stage', observations.journey_stage),
            ('segment', observations.segment)
        ) as slice (slice_type, slice_value)
    ) as slices
    where slices.slice_value is not null
),

aggregated as (
    select
        kpi,
        period_grain,
        period_start,
        slice_type,
        slice_value,
        count(*) as observations,
        count(distinct customer_id) as customers,
        count(*) filter (where is_success) as successes,
        count(*) filter (where is_detractor) as detractors,
        avg(value) as mean_value,
        stddev_samp(value) as standard_deviation,
        median(value) as median_value
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
            then {{ proportion_margin_of_error(safe_divide('successes', 'observations'), 'observations') }}
        when kpi = 'first_response_minutes' then null
        else {{ mean_margin_of_error('standard_deviation', 'observations') }}
    end as margin_of_error,
    case when kpi = 'nps' then successes end as promoters,
    case when kpi = 'nps' then detractors end as detractors,
    case when kpi in ('csat', 'ces') then mean_value end as mean_score,
    case when kpi = 'ces' then {{ safe_divide('successes', 'observations') }} end as easy_share
from aggregated
