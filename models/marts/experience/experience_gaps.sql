{#- What to fix first: for the last 90 days, every persona x journey stage x channel cell where
    an experience KPI misses its target (with at least 30 observations), with the customers
    affected and the revenue at risk - the sum over those customers of predicted CLV x churn
    risk (1 - health score / 100) - ranked from the largest. -#}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

observations as (
    select observations.*
    from {{ ref('int_kpi_observations') }} as observations
    cross join as_of
    where
        observations.observed_at >= as_of.as_of_end - interval 90 day
        and observations.kpi in (
            'nps', 'csat', 'ces', 'sentiment', 'first_response_minutes', 'sla_attainment',
            'fcr_rate'
        )
),

cells as (
    select
        kpi,
        persona,
        journey_stage,
        channel,
        count(*) as observations,
        case
            when
                kpi = 'nps'
                then
                    {{ nps(
                    'count(*) filter (where is_success)',
                    'count(*) filter (where is_detractor)',
                    'count(*)'
                ) }}
            when kpi in ('csat', 'sla_attainment', 'fcr_rate') then avg(is_success::int)
            when kpi = 'first_response_minutes' then median(value)
            else avg(value)
        end as value,
        case
            when
                kpi = 'nps'
                then
                    {{ nps_margin_of_error(
                    'count(*) filter (where is_success)',
                    'count(*) filter (where is_detractor)',
                    'count(*)'
                ) }}
            when kpi in ('csat', 'sla_attainment', 'fcr_rate')
                then {{ proportion_margin_of_error('avg(is_success::int)', 'count(*)') }}
            when kpi = 'first_response_minutes' then null
            else {{ mean_margin_of_error('stddev_samp(value)', 'count(*)') }}
        end as margin_of_error,
        list(distinct customer_id) as customer_ids
    from observations
    where customer_id is not null
    group by kpi, persona, journey_stage, channel
    having count(*) >= 30
),

missed as (
    select
        cells.*,
        targets.label as kpi_label,
        targets.target,
        cells.value - targets.target as gap_to_target,
        {{ kpi_status(
            'cells.value', 'targets.target', 'targets.direction', 'targets.at_risk_margin'
        ) }}
            as status,
        abs(cells.value - targets.target) > cells.margin_of_error as is_significant_miss
    from cells
    inner join {{ ref('kpi_targets') }} as targets
        on cells.kpi = targets.kpi
),

at_risk as (
    select
        missed.kpi,
        missed.persona,
        missed.journey_stage,
        missed.channel,
        count(*) as customers_affected,
        -- to the cent: floating-point sums differ in their last bits from run to run, which
        -- would reorder gaps of equal revenue at risk
        round(sum(customers.predicted_clv_eur * customers.churn_risk), 2) as revenue_at_risk_eur,
        avg(customers.predicted_clv_eur) as average_predicted_clv_eur,
        avg(customers.churn_risk) as average_churn_risk
    from missed
    cross join unnest(missed.customer_ids) as affected (customer_id)
    inner join {{ ref('dim_customers') }} as customers
        on affected.customer_id = customers.customer_id
    where missed.status <> 'on target'
    group by all
)

select
    missed.kpi,
    missed.kpi_label,
    missed.persona,
    missed.journey_stage,
    missed.channel,
    missed.observations,
    missed.value,
    missed.margin_of_error,
    missed.target,
    missed.gap_to_target,
    missed.status,
    missed.is_significant_miss,
    at_risk.customers_affected,
    at_risk.average_predicted_clv_eur,
    at_risk.average_churn_risk,
    at_risk.revenue_at_risk_eur,
    row_number() over (
        order by
            at_risk.revenue_at_risk_eur desc, missed.kpi asc, missed.persona asc,
            missed.journey_stage asc, missed.channel asc
    ) as priority_rank
from missed
inner join at_risk
    on
        missed.kpi = at_risk.kpi
        and missed.persona = at_risk.persona
        and missed.journey_stage = at_risk.journey_stage
        and missed.channel = at_risk.channel
