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

-- Customers without an awareness entry belong to no cohort.
reached as (
    select * from {{ ref('int_journey_funnel_entries') }}
    where cohort_month is not null
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
    from (select distinct cohort_month from reached) as cohorts
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
