{{
    config(
        materialized='incremental',
        unique_key='customer_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ drop_rows_gone_from(
            ref('stg_orders__orders'), 'order_id', 'current.customer_id = kept.customer_id'
        ) }}"
    )
}}
{#- Orders with EUR amounts, returns and refunds, and their place in the customer's history.
    Merchandise value = subtotal - discount (no tax, no shipping); refunds reduce it by the
    merchandise share of the refunded amount; cancelled orders count nothing.
    Incremental by customer (an order's number depends on the customer's other orders): a
    night recomputes the customers with an order, item or return staged since the last build
    (the order's customer before and after), and those with an undelivered order whose
    lateness changed with the as-of date. When an extract date already built is loaded again,
    an item or a return may have left staging unseen, so the orders with a record from it are
    recomputed too, told by the span of extract dates their records came from. The post-hook
    drops the orders gone from staging or now another customer's (delete+insert cannot: a
    customer whose only order moved has no row to insert). A changed fx_rates seed needs
    `--full-refresh`. -#}
with

{% if is_incremental() -%}
    built as (
        {{ last_build('records_loaded_at', 'records_extract_date') }}
    ),

    loaded_records as (
        {%- for staged in [
            'stg_orders__orders', 'stg_orders__order_items', 'stg_orders__returns'
        ] %}
            {{ loaded_since_build(ref(staged), 'order_id') }}
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
    ),

    changed_orders as (
        {%- for staged in [
            'stg_orders__orders', 'stg_orders__order_items', 'stg_orders__returns'
        ] %}
            {{ restaged_since_build(ref(staged), 'order_id') }}
            union
        {%- endfor %}
        select kept.order_id from {{ this }} as kept
        where {{ built_from_a_reloaded_extract(
            'kept.records_first_extract_date', 'kept.records_extract_date', 'loaded_records'
        ) }}
    ),

    affected_customers as (
        select staged.customer_id
        from {{ ref('stg_orders__orders') }} as staged
        semi join changed_orders
            on staged.order_id = changed_orders.order_id
        union
        select kept.customer_id
        from {{ this }} as kept
        semi join changed_orders
            on kept.order_id = changed_orders.order_id
        union
        select customer_id
        from {{ this }}
        where
            delivered_at is null
            and is_late is distinct from (
                not is_cancelled and promised_delivery_at < {{ as_of_end() }}
            )
    ),
{%- endif %}

orders as (
    {{ rows_wanted_by(
        ref('stg_orders__orders'), 'affected_customers', 'customer_id', narrowed=is_incremental()
    ) }}
),

rates as (
    select * from {{ ref('fx_rates') }}
),

{#- The items and returns of the orders recomputed. #}
{%- for name, staged in [
    ('order_items', 'stg_orders__order_items'), ('order_returns', 'stg_orders__returns')
] %}
    {{ name }} as (
        {{ rows_wanted_by(ref(staged), 'orders', 'order_id', narrowed=is_incremental()) }}
    ),
{% endfor %}

items as (
    select
        order_id,
        count(*) as line_count,
        sum(quantity)::bigint as unit_count,
        {{ load_span() }}
    from order_items
    group by order_id
),

returns as (
    select
        order_id,
        min(requested_at) as first_return_requested_at,
        sum(refund_amount) filter (where status = 'refunded') as refunded_amount,
        {{ load_span() }}
    from order_returns
    group by order_id
),

valued as (
    select
        orders.*,
        rates.eur_per_unit,
        returns.first_return_requested_at,
        greatest(orders.source_loaded_at, items.loaded_at, returns.loaded_at)
            as records_loaded_at,
        least(orders.source_extract_date, items.first_extract_date, returns.first_extract_date)
            as records_first_extract_date,
        greatest(orders.source_extract_date, items.extract_date, returns.extract_date)
            as records_extract_date,
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
    source_extract_date,
    records_first_extract_date,
    records_extract_date,
    records_loaded_at,
    current_timestamp as built_at
from amounts
