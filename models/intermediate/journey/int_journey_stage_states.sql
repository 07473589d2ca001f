{#- The journey stage a customer is in from each stage entry on (grain: customer x moment of
    change): the furthest stage reached so far - or lapsed, from a lapse until the next order.
    Joined on the customer and the `in_journey_state` range, it gives the stage at any moment;
    its last row is the current stage. -#}
with

entries as (
    select * from {{ ref('int_journey_stage_entries') }}
),

stages as (
    select
        stage,
        stage_order
    from {{ ref('journey_stages') }}
),

running as (
    select
        customer_id,
        entered_at,
        journey_stage,
        stage_order,
        max(case when journey_stage <> 'lapsed' then stage_order end) over (
            partition by customer_id
            order by entered_at, stage_order
            rows between unbounded preceding and current row
        ) as furthest_stage_order
    from entries
),

moments as (
    select
        customer_id,
        entered_at,
        arg_max(journey_stage, stage_order) as entered_stage,
        max(furthest_stage_order) as furthest_stage_order
    from running
    group by customer_id, entered_at
)

select
    moments.customer_id,
    moments.entered_at as state_started_at,
    case
        when moments.entered_stage = 'lapsed' then 'lapsed'
        else furthest.stage
    end as journey_stage,
    lead(moments.entered_at) over (
        partition by moments.customer_id order by moments.entered_at
    ) as state_ended_at
from moments
left join stages as furthest
    on moments.furthest_stage_order = furthest.stage_order
