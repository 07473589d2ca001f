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
    _extract_date as source_extract_date,
    _source_file as source_file,
    _source_line as source_line
from source
