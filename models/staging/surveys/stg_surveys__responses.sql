{{ config(unique_key='response_id') }}

with

source as (
    {{ latest_versions(source('surveys', 'responses'), 'response_id') }}
)

select
    response_id,
    invitation_id,
    customer_id,
    {{ normalize_enum('survey_type') }} as survey_type,
    {{ to_utc('responded_at') }} as responded_at,
    score,
    nullif(trim(comment), '') as comment,
    {{ normalize_enum('language') }} as language,
    {{ source_lineage() }}
from source
