{#- The statuses a ticket went through, each with its start and end (grain: ticket x status
    change). The last period of a ticket still in progress ends "now" (end of the as-of day). -#}
with

status_events as (
    select
        ticket_id,
        event_id,
        occurred_at,
        case
            when event_type = 'created' then coalesce(to_status, 'new')
            when event_type = 'reopened' then coalesce(to_status, 'open')
            else to_status
        end as status
    from {{ ref('stg_tickets__ticket_events') }}
    where
        event_type in ('created', 'status_change', 'reopened')
        and (to_status is not null or event_type in ('created', 'reopened'))
),

ordered as (
    select
        ticket_id,
        event_id,
        status,
        occurred_at as started_at,
        lead(occurred_at) over (
            partition by ticket_id order by occurred_at, event_id
        ) as next_started_at
    from status_events
)

select
    ticket_id,
    event_id,
    status,
    started_at,
    coalesce(
        next_started_at,
        case when status not in ('solved', 'closed') then {{ as_of_end() }} end
    ) as ended_at
from ordered
