{#- One row per ticket: who, what and when, from the ticket record and its event log. -#}
with

tickets as (
    select * from {{ ref('stg_tickets__tickets') }}
),

requesters as (
    select * from {{ ref('int_identity_ticket_requesters') }}
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
    coalesce(events.reassignment_count, 0) as reassignment_count
from tickets
left join requesters
    on tickets.ticket_id = requesters.ticket_id
left join events
    on tickets.ticket_id = events.ticket_id
