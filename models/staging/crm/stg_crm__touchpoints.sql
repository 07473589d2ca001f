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
    _extract_date as source_extract_date,
    _source_file as source_file,
    _source_line as source_line
from source
