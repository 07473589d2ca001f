with

source as (
    {{ latest_versions(source('surveys', 'invitations'), 'invitation_id') }}
)

select
    invitation_id,
    {{ normalize_enum('survey_type') }} as survey_type,
    {{ normalize_enum('trigger') }} as survey_trigger,
    customer_id,
    order_id,
    ticket_id,
    {{ normalize_enum('channel') }} as channel,
    {{ to_utc('sent_at') }} as sent_at,
    _extract_date as source_extract_date,
    _source_file as source_file,
    _source_line as source_line
from source
