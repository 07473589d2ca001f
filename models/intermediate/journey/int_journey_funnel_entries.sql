{{
    config(
        materialized='incremental',
        unique_key='customer_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ drop_rows_gone_from(
            ref('int_journey_stage_entries'), 'customer_id', \"journey_stage <> 'lapsed'\"
        ) }}"
    )
}}
{#- Each funnel stage a customer reached (grain: customer x stage; lapsed is not a funnel
    stage): when it was first entered, the customer's cohort (the month they entered awareness)
    and the days since the furthest earlier stage reached at or before it.
    Incremental by customer, like the journey states: a night recomputes the customers whose
    entries were recomputed since its last build. -#}
with

{{ rows_rebuilt_since_this_build_ctes(ref('int_journey_stage_entries'), 'entries') }}

first_entries as (
    select
        customer_id,
        journey_stage,
        stage_order,
        min(entered_at) as entered_at
    from entries
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
)

select
    first_entries.customer_id,
    cohorts.cohort_month,
    first_entries.journey_stage,
    first_entries.stage_order,
    first_entries.entered_at,
    date_diff('second', previous_entries.previous_entered_at, first_entries.entered_at)
    / 86400.0 as days_from_previous_stage,
    current_timestamp as built_at
from first_entries
left join cohorts
    on first_entries.customer_id = cohorts.customer_id
left join previous_entries
    on
        first_entries.customer_id = previous_entries.customer_id
        and first_entries.stage_order = previous_entries.stage_order
