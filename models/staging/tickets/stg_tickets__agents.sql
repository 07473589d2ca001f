{{ config(unique_key='agent_id') }}

with

source as (
    {{ latest_versions(source('tickets', 'agents'), 'agent_id', 'updated_at') }}
)

select
    agent_id,
    {{ normalize_enum('team') }} as team,
    trim(site) as site,
    {{ normalize_enum('status') }} as status,
    {{ to_utc('hired_at') }} as hired_at,
    {{ to_utc('updated_at') }} as updated_at,
    {{ source_lineage() }}
from source
