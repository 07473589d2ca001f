{#- The journey funnel by monthly cohort (the month customers entered awareness): how many
    reached each stage, conversion from the previous stage, median days it took, and how many
    are stuck in the stage past its threshold (dropped off). Lapsed is not a funnel stage. -#}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

stages as (
    select * from {{ ref('journey_stages') }}
    where stage <> 'lapsed'
),

first_entries as (
    select
        customer_id,
        journey_stage,
        stage_order,
        min(entered_at) as entered_at
    from {{ ref('int_journey_stage_entries') }}
    where journey_stage <> 'lapsed'
    group by all
),

cohorts as (
    select
        customer_id,
        (date_trunc('month', entered_at))::date as cohort_month
    from first_entries
    where journey_stage = 'awareness'
),

-- For each stage a customer reached, the furthest earlier stage reached at or before it: an
-- aggregate over narrow pairs, not a row_number over whole rows.
previous_entries as (
    select
        first_entries.customer_id,
        first_entries.stage_order,
        arg_max(previous.entered_at, previous.stage_order) as previous_entered_at
    from first_entries
    inner join first_entries as previous
        on
            first_entries.customer_id = previous.customer_id
            and first_entries.stage_order > previous.stage_order
            and first_entries.entered_at >= previous.entered_at
    group by first_entries.customer_id, first_entries.stage_order
),

reached as (
    select
        cohorts.cohort_month,
        first_entries.customer_id,
        first_entries.journey_stage,
        first_entries.stage_order,
        first_entries.entered_at,
        date_diff('second', previous_entries.previous_entered_at, first_entries.entered_at)
        / 86400.0 as days_from_previous_stage
    from first_entries
    inner join cohorts
        on first_entries.customer_id = cohorts.customer_id
    left join previous_entries
        on
            first_entries.customer_id = previous_entries.customer_id
            and first_entries.stage_order = previous_entries.stage_order
),

current as (
    select
        customer_id,
        journey_stage,
        journey_stage_entered_at
    from {{ ref('dim_customers') }}
),

per_stage as (
    select
        reached.cohort_month,
        reached.journey_stage,
        reached.stage_order,
        count(*) as customers_reached,
        median(reached.days_from_previous_stage) as median_days_from_previous_stage,
        count(*) filter (where current.journey_stage = reached.journey_stage) as customers_in_stage,
        count(*) filter (
            where
            current.journey_stage = reached.journey_stage
            and stages.stuck_after_days is not null
            and date_diff('day', current.journey_stage_entered_at, as_of.as_of_end)
            > stages.stuck_after_days
        ) as customers_stuck
    from reached
    inner join stages
        on reached.journey_stage = stages.stage
    cross join as_of
    left join current
        on reached.customer_id = current.customer_id
    group by all
),

full_grid as (
    select
        cohorts.cohort_month,
        stages.stage as journey_stage,
        stages.stage_order
    from (select distinct cohort_month from cohorts) as cohorts
    cross join stages
)

select
    full_grid.cohort_month,
    full_grid.journey_stage,
    full_grid.stage_order,
    coalesce(per_stage.customers_reached, 0) as customers_reached,
    {{ safe_divide(
        'coalesce(per_stage.customers_reached, 0)',
        'lag(coalesce(per_stage.customers_reached, 0)) over (
            partition by full_grid.cohort_month order by full_grid.stage_order)'
    ) }} as conversion_from_previous_stage,
    per_stage.median_days_from_previous_stage,
    coalesce(per_stage.customers_in_stage, 0) as customers_in_stage,
    coalesce(per_stage.customers_stuck, 0) as customers_stuck,
    {{ safe_divide('coalesce(per_stage.customers_stuck, 0)', 'per_stage.customers_reached') }}
        as drop_off_rate
from full_grid
left join per_stage
    on
        full_grid.cohort_month = per_stage.cohort_month
        and full_grid.journey_stage = per_stage.journey_stage
