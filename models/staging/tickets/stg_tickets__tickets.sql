{{ config(unique_key='ticket_id') }}

with

source as (
    {{ latest_versions(source('tickets', 'tickets'), 'ticket_id', 'updated_at') }}
)

select
    ticket_id,
    customer_id,
    {{ normalize_email('requester_email') }} as requester_email,
    {{ e164_phone('requester_phone', 'null', 'null') }} as requester_phone_e164,
    {{ to_utc('created_at') }} as created_at,
    {{ normalize_enum('channel') }} as channel,
    {{ normalize_enum('category') }} as category,
    {{ normalize_enum('priority') }} as priority,
    {{ normalize_enum('status') }} as status,
    {{ normalize_enum('team') }} as team,
    assignee_agent_id,
    order_id,
    trim(subject) as subject,
    description,
    {{ to_utc('solved_at') }} as solved_at,
    {{ to_utc('updated_at') }} as updated_at,
    {{ source_lineage() }}
from source
