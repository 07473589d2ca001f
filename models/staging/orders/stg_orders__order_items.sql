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
    _extract_date as source_extract_date,
    _source_file as source_file,
    _source_line as source_line
from source
