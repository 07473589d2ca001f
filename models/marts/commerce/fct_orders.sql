{{
    config(
        materialized='incremental',
        unique_key='order_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}
{#- One row per order, in EUR, with its returns and refunds. Incremental: each run rebuilds
    the orders whose record, items or returns arrived in the last `incremental_lookback_days`
    extract days; every column depends only on the order's own records. -#}
with

order_records as (
    select
        order_id,
        source_extract_date
    from {{ ref('stg_orders__orders') }}
    union all
    select
        order_id,
        source_extract_date
    from {{ ref('stg_orders__order_items') }}
    union all
    select
        order_id,
        source_extract_date
    from {{ ref('stg_orders__returns') }}
),

changed as (
    select distinct order_records.order_id
    from order_records
    {% if is_incremental() -%}
        where order_records.source_extract_date >= {{ lookback_start('source_extract_date') }}
    {%- endif %}
),

orders as (
    select enriched.*
    from {{ ref('int_orders_enriched') }} as enriched
    semi join changed
        on enriched.order_id = changed.order_id
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
    has_discount,
    line_count,
    unit_count,
    subtotal_eur,
    discount_eur,
    total_eur,
    merchandise_value_eur,
    refunded_merchandise_eur,
    net_revenue_eur,
    is_returned,
    first_return_requested_at,
    is_delivered,
    delivered_at,
    promised_delivery_at,
    source_extract_date,
    ordered_at::date as order_date,
    delivered_at > promised_delivery_at as is_delivered_late
from orders
