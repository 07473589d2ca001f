{{ config(unique_key='touchpoint_id') }}

with

source as (
    {{ latest_versions(source('crm', 'touchpoints'), 'touchpoint_id') }}
)

select
    touchpoint_id,
    customer_id,
    {{ to_utc('occurred_at') }} as occurred_at,
    {{ normalize_enum('channel') }} as channel,
    {{ normalize_enum('touchpoint_type') }} as touchpoint_type,
    campaign_id,
    {{ normalize_enum('device') }} as device,
    {{ source_lineage() }}
from source
