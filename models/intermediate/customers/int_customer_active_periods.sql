{#- Periods in which a customer is active (grain: customer x period). A period starts with the
    first order, or with an order that ends a lapse (reactivation); it ends - the customer lapses -
    `lapse_window_days` after an order that no further order follows within that window. A period
    still running has no lapsed_at. -#}
with

lapse_window as (
    select to_days({{ var('lapse_window_days') }}) as span
),

orders as (
    select
        customer_id,
        order_id,
        ordered_at,
        lag(ordered_at) over by_customer as previous_ordered_at,
        lead(ordered_at) over by_customer as next_ordered_at
    from {{ ref('int_orders_enriched') }}
    where not is_cancelled
    window by_customer as (partition by customer_id order by ordered_at, order_id)
),

starts as (
    select
        orders.customer_id,
        orders.ordered_at as started_at,
        case when orders.previous_ordered_at is null then 'first_order' else 'reactivation' end
            as start_reason,
        row_number() over (partition by orders.customer_id order by orders.ordered_at)
            as period_number
    from orders
    cross join lapse_window
    where
        orders.previous_ordered_at is null
        or orders.ordered_at > orders.previous_ordered_at + lapse_window.span
),

ends as (
    select
        orders.customer_id,
        orders.ordered_at as last_order_at,
        orders.ordered_at + lapse_window.span as lapsed_at,
        row_number() over (partition by orders.customer_id order by orders.ordered_at)
            as period_number
    from orders
    cross join lapse_window
    where
        (
            orders.next_ordered_at is null
            and orders.ordered_at + lapse_window.span <= {{ as_of_end() }}
        )
        or orders.next_ordered_at > orders.ordered_at + lapse_window.span
)

select
    starts.customer_id,
    starts.period_number,
    starts.started_at,
    starts.start_reason,
    ends.last_order_at,
    ends.lapsed_at
from starts
left join ends
    on
        starts.customer_id = ends.customer_id
        and starts.period_number = ends.period_number
