{{ config(unique_key='return_id') }}

with

source as (
    {{ latest_versions(source('orders', 'returns'), 'return_id', 'updated_at') }}
)

select
    return_id,
    order_id,
    {{ to_utc('requested_at') }} as requested_at,
    {{ normalize_enum('reason') }} as reason,
    refund_amount,
    {{ normalize_enum('status') }} as status,
    {{ to_utc('updated_at') }} as updated_at,
    {{ source_lineage() }}
from source
