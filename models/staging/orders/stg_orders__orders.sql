{{ config(unique_key='order_id') }}

with

source as (
    {{ latest_versions(source('orders', 'orders'), 'order_id', 'updated_at') }}
)

select
    order_id,
    customer_id,
    {{ to_utc('ordered_at') }} as ordered_at,
    {{ normalize_enum('status') }} as status,
    {{ normalize_enum('sales_channel') }} as sales_channel,
    {{ normalize_enum('payment_method') }} as payment_method,
    nullif(upper(trim(coupon_code)), '') as coupon_code,
    upper(trim(currency)) as currency,
    subtotal,
    discount_amount,
    shipping_amount,
    tax_amount,
    total_amount,
    {{ to_utc('promised_delivery_at') }} as promised_delivery_at,
    {{ to_utc('delivered_at') }} as delivered_at,
    {{ to_utc('updated_at') }} as updated_at,
    {{ source_lineage() }}
from source
