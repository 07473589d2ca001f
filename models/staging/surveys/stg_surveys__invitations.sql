{{ config(unique_key='invitation_id') }}

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
    {{ source_lineage() }}
from source
