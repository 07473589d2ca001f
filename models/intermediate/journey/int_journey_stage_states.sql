{{
    config(
        materialized='incremental',
        unique_key='customer_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ drop_rows_gone_from(ref('int_journey_stage_entries'), 'customer_id') }}"
    )
}}
{#- The journey stage a customer is in from each stage entry on (grain: customer x moment of
    change): the furthest stage reached so far - or lapsed, from a lapse until the next order.
    Joined on the customer and the `in_journey_state` range, it gives the stage at any moment;
    its last row is the current stage.
    Incremental by customer: a night recomputes the customers whose entries were recomputed
    since its last build. -#}
with

{{ rows_rebuilt_since_this_build_ctes(ref('int_journey_stage_entries'), 'entries') }}

stages as (
    select
        stage,
        stage_order
    from {{ ref('journey_stages') }}
),

-- Each moment a customer entered one or more stages: the stage shown (the furthest entered
-- then) and the furthest stage other than lapsed entered then.
moments as (
    select
        customer_id,
        entered_at,
        arg_max(journey_stage, stage_order) as entered_stage,
        max(case when journey_stage <> 'lapsed' then stage_order end) as moment_stage_order
    from entries
    group by customer_id, entered_at
),

-- The furthest stage reached so far and the next moment, in one pass over each customer's
-- moments.
reached as (
    select
        customer_id,
        entered_at,
        entered_stage,
        max(moment_stage_order) over customer_moments as furthest_stage_order,
        lead(entered_at) over customer_moments as next_moment_at
    from moments
    window customer_moments as (
        partition by customer_id
        order by entered_at
        rows between unbounded preceding and current row
    )
)

select
    reached.customer_id,
    reached.entered_at as state_started_at,
    reached.next_moment_at as state_ended_at,
    case
        when reached.entered_stage = 'lapsed' then 'lapsed'
        else furthest.stage
    end as journey_stage,
    current_timestamp as built_at
from reached
left join stages as furthest
    on reached.furthest_stage_order = furthest.stage_order
