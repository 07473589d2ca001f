{{ config(unique_key='event_id') }}

with

source as (
    {{ latest_versions(source('tickets', 'ticket_events'), 'event_id') }}
)

select
    event_id,
    ticket_id,
    {{ to_utc('occurred_at') }} as occurred_at,
    {{ normalize_enum('event_type') }} as event_type,
    {{ normalize_enum('actor_type') }} as actor_type,
    agent_id,
    {{ normalize_enum('channel') }} as channel,
    {{ normalize_enum('from_status') }} as from_status,
    {{ normalize_enum('to_status') }} as to_status,
    handle_seconds,
    body,
    {{ source_lineage() }}
from source
