{{ config(unique_key='order_item_id') }}

with

source as (
    {{ latest_versions(source('orders', 'order_items'), 'order_item_id') }}
)

select
    order_item_id,
    order_id,
    product_id,
    {{ normalize_enum('product_category') }} as product_category,
    quantity,
    unit_price,
    {{ source_lineage() }}
from source
