{#- Orders with EUR amounts, returns and refunds, and their place in the customer's history.
    Merchandise value = subtotal - discount (no tax, no shipping); refunds reduce it by the
    merchandise share of the refunded amount; cancelled orders count nothing. -#}
with

orders as (
    select * from {{ ref('stg_orders__orders') }}
),

rates as (
    select * from {{ ref('fx_rates') }}
),

items as (
    select
        order_id,
        count(*) as line_count,
        sum(quantity)::bigint as unit_count
    from {{ ref('stg_orders__order_items') }}
    group by order_id
),

returns as (
    select
        order_id,
        min(requested_at) as first_return_requested_at,
        sum(refund_amount) filter (where status = 'refunded') as refunded_amount
    from {{ ref('stg_orders__returns') }}
    group by order_id
),

valued as (
    select
        orders.*,
        rates.eur_per_unit,
        returns.first_return_requested_at,
        orders.status = 'cancelled' as is_cancelled,
        coalesce(items.line_count, 0) as line_count,
        coalesce(items.unit_count, 0) as unit_count,
        coalesce(returns.refunded_amount, 0) as refunded_amount
    from orders
    left join rates
        on orders.currency = rates.currency
    left join items
        on orders.order_id = items.order_id
    left join returns
        on orders.order_id = returns.order_id
),

amounts as (
    select
        *,
        case
            when is_cancelled then 0
            else (subtotal - discount_amount) * eur_per_unit
        end as merchandise_value_eur,
        case
            when is_cancelled or total_amount = 0 then 0
            else
                refunded_amount * (subtotal - discount_amount) / total_amount * eur_per_unit
        end as refunded_merchandise_eur
    from valued
)

select
    order_id,
    customer_id,
    ordered_at,
    status,
    sales_channel,
    payment_method,
    currency,
    is_cancelled,
    coalesce(coupon_code is not null or discount_amount > 0, false) as has_discount,
    line_count,
    unit_count,
    subtotal * eur_per_unit as subtotal_eur,
    discount_amount * eur_per_unit as discount_eur,
    total_amount * eur_per_unit as total_eur,
    merchandise_value_eur,
    refunded_merchandise_eur,
    merchandise_value_eur - refunded_merchandise_eur as net_revenue_eur,
    first_return_requested_at is not null as is_returned,
    first_return_requested_at,
    delivered_at is not null as is_delivered,
    delivered_at,
    promised_delivery_at,
    not is_cancelled and coalesce(
        delivered_at > promised_delivery_at,
        promised_delivery_at < {{ as_of_end() }}
    ) as is_late,
    case
        when not is_cancelled
            then row_number() over (
                partition by customer_id, is_cancelled order by ordered_at, order_id
            )
    end as customer_order_number,
    source_extract_date
from amounts
