{#- Every entry of every customer into a journey stage (grain: customer x stage x entry), as
    defined in the journey_stages seed. Stages are entered once, except retention (entered again
    by an order that ends a lapse) and lapsed (entered at every lapse). -#}
{%- set reenterable_stages = "('retention', 'lapsed')" %}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

customers as (
    select
        customer_id,
        created_at
    from {{ ref('stg_crm__customers') }}
),

touches as (
    select
        touches.customer_id,
        touches.occurred_at,
        touches.touchpoint_type,
        stages.journey_stage
    from {{ ref('stg_crm__touchpoints') }} as touches
    inner join {{ ref('touchpoint_stages') }} as stages
        on touches.touchpoint_type = stages.touchpoint_type
),

orders as (
    select
        customer_id,
        order_id,
        ordered_at,
        delivered_at,
        customer_order_number,
        first_return_requested_at
    from {{ ref('int_orders_enriched') }}
    where not is_cancelled
),

first_orders as (
    select
        customer_id,
        ordered_at as first_order_at
    from orders
    where customer_order_number = 1
),

entries as (
    select
        customer_id,
        'awareness' as journey_stage,
        created_at as entered_at,
        'crm_record_created' as entry_signal
    from customers

    union all

    select
        customer_id,
        journey_stage,
        occurred_at as entered_at,
        'touch_' || touchpoint_type as entry_signal
    from touches
    where journey_stage in ('awareness', 'consideration', 'advocacy')

    union all

    select
        customer_id,
        'purchase' as journey_stage,
        ordered_at as entered_at,
        'first_order' as entry_signal
    from orders
    where customer_order_number = 1

    union all

    select
        orders.customer_id,
        'post_purchase' as journey_stage,
        orders.delivered_at as entered_at,
        'delivery' as entry_signal
    from orders
    where orders.delivered_at is not null

    union all

    select
        orders.customer_id,
        'post_purchase' as journey_stage,
        orders.first_return_requested_at as entered_at,
        'return_request' as entry_signal
    from orders
    where orders.first_return_requested_at is not null

    union all

    select
        tickets.customer_id,
        'post_purchase' as journey_stage,
        tickets.created_at as entered_at,
        'support_contact' as entry_signal
    from {{ ref('int_support_ticket_timeline') }} as tickets
    inner join first_orders
        on
            tickets.customer_id = first_orders.customer_id
            and tickets.created_at >= first_orders.first_order_at

    union all

    select
        customer_id,
        'retention' as journey_stage,
        ordered_at as entered_at,
        'second_order' as entry_signal
    from orders
    where customer_order_number = 2

    union all

    select
        customer_id,
        'retention' as journey_stage,
        started_at as entered_at,
        'reactivation' as entry_signal
    from {{ ref('int_customer_active_periods') }}
    where start_reason = 'reactivation'

    union all

    select
        customer_id,
        'advocacy' as journey_stage,
        responded_at as entered_at,
        'promoter_answer' as entry_signal
    from {{ ref('stg_surveys__responses') }}
    where survey_type = 'nps' and {{ is_promoter('score') }}

    union all

    select
        customer_id,
        'lapsed' as journey_stage,
        lapsed_at as entered_at,
        'lapse' as entry_signal
    from {{ ref('int_customer_active_periods') }}
    where lapsed_at is not null
),

earliest_entries as (
    {#- The first entry of each stage (the earliest; on a tie, the first signal by name); every
        distinct entry of the stages one can re-enter. An aggregate, not a row_number window:
        it need not sort the entries. -#}
    select
        entries.customer_id,
        entries.journey_stage,
        min({ 'entered_at': entries.entered_at, 'entry_signal': entries.entry_signal })
            as first_entry
    from entries
    cross join as_of
    where entries.entered_at < as_of.as_of_end
    group by
        entries.customer_id,
        entries.journey_stage,
        case when entries.journey_stage in {{ reenterable_stages }} then entries.entered_at end
),

first_entries as (
    select
        earliest_entries.customer_id,
        earliest_entries.journey_stage,
        stages.stage_order,
        earliest_entries.first_entry['entered_at'] as entered_at,
        earliest_entries.first_entry['entry_signal'] as entry_signal
    from earliest_entries
    inner join {{ ref('journey_stages') }} as stages
        on earliest_entries.journey_stage = stages.stage
)

{#- Only the stages one can re-enter are numbered by a window: every other entry is the first. #}
select
    customer_id,
    journey_stage,
    stage_order,
    entered_at,
    entry_signal,
    1::bigint as entry_number
from first_entries
where journey_stage not in {{ reenterable_stages }}

union all

select
    customer_id,
    journey_stage,
    stage_order,
    entered_at,
    entry_signal,
    row_number() over (partition by customer_id, journey_stage order by entered_at)
        as entry_number
from first_entries
where journey_stage in {{ reenterable_stages }}
