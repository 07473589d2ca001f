{#- Every free text to score (grain: text): survey comments, ticket descriptions and ticket
    messages (customer and agent replies, internal notes). -#}
with

tickets as (
    select * from {{ ref('int_support_ticket_timeline') }}
)

select
    'response:' || responses.response_id as text_id,
    'survey_comment' as text_source,
    'customer' as author_type,
    responses.customer_id,
    null::varchar as ticket_id,
    responses.response_id,
    invitations.channel,
    responses.responded_at as written_at,
    responses.language,
    responses.comment as text,
    responses.source_extract_date,
    responses.source_loaded_at
from {{ ref('stg_surveys__responses') }} as responses
left join {{ ref('stg_surveys__invitations') }} as invitations
    on responses.invitation_id = invitations.invitation_id
where responses.comment is not null

union all

select
    'ticket:' || raw_tickets.ticket_id as text_id,
    'ticket_description' as text_source,
    'customer' as author_type,
    tickets.customer_id,
    raw_tickets.ticket_id,
    null as response_id,
    raw_tickets.channel,
    raw_tickets.created_at as written_at,
    null as language,
    raw_tickets.description as text,
    raw_tickets.source_extract_date,
    raw_tickets.source_loaded_at
from {{ ref('stg_tickets__tickets') }} as raw_tickets
inner join tickets
    on raw_tickets.ticket_id = tickets.ticket_id
where raw_tickets.description is not null

union all

select
    'event:' || events.event_id as text_id,
    'ticket_message' as text_source,
    events.actor_type as author_type,
    tickets.customer_id,
    events.ticket_id,
    null as response_id,
    events.channel,
    events.occurred_at as written_at,
    null as language,
    events.body as text,
    events.source_extract_date,
    events.source_loaded_at
from {{ ref('stg_tickets__ticket_events') }} as events
inner join tickets
    on events.ticket_id = tickets.ticket_id
where events.body is not null and events.event_type <> 'created'
