{{
    config(
        materialized='incremental',
        unique_key='ticket_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ drop_rows_gone_from(ref('stg_tickets__tickets'), 'ticket_id') }}"
    )
}}
{#- One row per ticket: who, what and when, from the ticket record and its event log.
    Incremental by ticket: a ticket's row depends on its own records and on who identity
    resolution says opened it. A night recomputes the tickets with a ticket record or event
    staged since the last build and those whose requester resolves differently now (a customer
    loaded with the requester's email or phone can change the match of a ticket that got no
    record); when an extract date already built is loaded again, also the tickets with a record
    from it (an event may have left staging with it), told by the span of extract dates their
    records came from. -#}
with

-- Read more than once on a night: not materialised, instead of a copy of every ticket record
-- and event.
ticket_records as not materialized (
    {{ ticket_records() }}
),

requesters as (
    select * from {{ ref('int_identity_ticket_requesters') }}
),

{% if is_incremental() -%}
    built as (
        {{ last_build('records_loaded_at', 'records_extract_date') }}
    ),

    loaded_records as (
        {{ loaded_since_build('ticket_records', 'ticket_id') }}
    ),

    affected_tickets as (
        {{ restaged_since_build('ticket_records', 'ticket_id') }}
        union
        select requesters.ticket_id
        from requesters
        inner join {{ this }} as kept
            on requesters.ticket_id = kept.ticket_id
        where
            (requesters.customer_id, requesters.match_rule, requesters.requester_key)
            is distinct from (kept.customer_id, kept.match_rule, kept.requester_key)
        union
        select kept.ticket_id from {{ this }} as kept
        where {{ built_from_a_reloaded_extract(
            'kept.records_first_extract_date', 'kept.records_extract_date', 'loaded_records'
        ) }}
    ),
{%- endif %}

tickets as (
    {{ rows_wanted_by(
        ref('stg_tickets__tickets'), 'affected_tickets', 'ticket_id', narrowed=is_incremental()
    ) }}
),

ticket_requesters as (
    {{ rows_wanted_by('requesters', 'affected_tickets', 'ticket_id', narrowed=is_incremental()) }}
),

ticket_loads as (
    select
        ticket_id,
        {{ load_span() }}
    from ticket_records
    where {{ is_wanted_by('ticket_id', 'affected_tickets') }}
    group by ticket_id
),

events as (
    select
        ticket_id,
        min(occurred_at) filter (where event_type = 'agent_reply') as first_agent_reply_at,
        min(occurred_at) filter (where to_status = 'solved') as first_solved_at,
        max(occurred_at) filter (where to_status = 'solved') as last_solved_at,
        count(*) filter (where event_type = 'reopened') as reopen_count,
        count(*) filter (where event_type = 'agent_reply') as agent_reply_count,
        count(*) filter (where event_type = 'customer_reply') as customer_reply_count,
        count(*) filter (where event_type = 'call_handled') as handled_contacts,
        coalesce(sum(handle_seconds) filter (where event_type = 'call_handled'), 0)::bigint
            as handle_seconds,
        count(*) filter (where event_type = 'channel_switch') as channel_switch_events,
        count(*) filter (where event_type = 'reassigned') as reassignment_count,
        arg_max(agent_id, occurred_at) filter (
            where actor_type = 'agent' and agent_id is not null
        ) as last_agent_id
    from {{ ref('stg_tickets__ticket_events') }}
    where {{ is_wanted_by('ticket_id', 'affected_tickets') }}
    group by ticket_id
)

select
    tickets.ticket_id,
    requesters.customer_id,
    requesters.match_rule,
    requesters.requester_key,
    tickets.order_id,
    tickets.channel,
    tickets.category,
    tickets.priority,
    tickets.team,
    tickets.status,
    tickets.created_at,
    events.first_agent_reply_at,
    events.first_solved_at,
    ticket_loads.loaded_at as records_loaded_at,
    ticket_loads.first_extract_date as records_first_extract_date,
    ticket_loads.extract_date as records_extract_date,
    coalesce(tickets.assignee_agent_id, events.last_agent_id) as agent_id,
    tickets.status in ('solved', 'closed') as is_solved,
    case when tickets.status in ('solved', 'closed') then events.last_solved_at end
        as last_solved_at,
    coalesce(events.reopen_count, 0) as reopen_count,
    coalesce(events.agent_reply_count, 0) as agent_reply_count,
    coalesce(events.customer_reply_count, 0) as customer_reply_count,
    coalesce(events.handled_contacts, 0) as handled_contacts,
    coalesce(events.handle_seconds, 0) as handle_seconds,
    coalesce(events.channel_switch_events, 0) as channel_switch_events,
    coalesce(events.reassignment_count, 0) as reassignment_count,
    current_timestamp as built_at
from tickets
left join ticket_requesters as requesters
    on tickets.ticket_id = requesters.ticket_id
left join events
    on tickets.ticket_id = events.ticket_id
left join ticket_loads
    on tickets.ticket_id = ticket_loads.ticket_id
