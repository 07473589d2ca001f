-- depends_on: {{ ref('int_as_of_date') }}
{{
    config(
        materialized='incremental',
        unique_key='ticket_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ drop_rows_gone_from(ref('int_support_ticket_timeline'), 'ticket_id') }}"
    )
}}
{#- Service metrics of each ticket: SLA, one-touch, first contact resolution, repeat contacts and
    channel switching. A contact is a ticket; "the same customer" is the resolved customer (or,
    when unmatched, the same requester email); "the same issue" is the same order, or the same
    category when either ticket has no order.
    Incremental by requester: a ticket's metrics read the requester's other tickets, so a night
    recomputes every ticket of the requesters with a ticket whose timeline or durations were
    rebuilt since the last build (under its requester now and the one it had then), with a
    ticket still pending (its SLA moves with the as-of date) or with a first contact resolution
    undecided at the last build's as-of end; every requester when the as-of date moves back. A
    changed sla_targets seed needs `--full-refresh`. -#}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

{% if is_incremental() -%}
    built as (
        {{ last_build_and_as_of_end() }}
    ),

    -- Tickets rebuilt since the last build, and those still pending.
    changing_tickets as (
        select ticket_id from {{ ref('int_support_ticket_timeline') }}
        where built_at > (select built.built_at from built)
        union
        select durations.ticket_id from {{ ref('int_support_ticket_durations') }} as durations
        where
            durations.built_at > (select built.built_at from built)
            or {{ sla_pending('durations') }}
    ),

    recomputed_requesters as (
        select requester_key from {{ ref('int_support_ticket_timeline') }}
        where
            ticket_id in (select changing_tickets.ticket_id from changing_tickets)
            or last_solved_at + to_days({{ var('repeat_contact_window_days') }})
            > (select built.as_of_end from built)
            or (select as_of.as_of_end from as_of) < (select built.as_of_end from built)
        union
        select requester_key from {{ this }}
        where ticket_id in (select changing_tickets.ticket_id from changing_tickets)
    ),
{%- endif %}

timeline as (
    {{ rows_wanted_by(
        ref('int_support_ticket_timeline'), 'recomputed_requesters', 'requester_key',
        narrowed=is_incremental()
    ) }}
),

durations as (
    select * from {{ ref('int_support_ticket_durations') }}
    where {{ is_wanted_by('ticket_id', 'timeline') }}
),

targets as (
    select * from {{ ref('sla_targets') }}
),

clock as (
    {{ business_clock() }}
),

-- A ticket still without a first response or a resolution: its SLA is decided by the business
-- minutes it has been open to date.
pending as (
    select
        timeline.ticket_id,
        timeline.team,
        timeline.created_at,
        {{ as_of_end() }} as to_date_at
    from timeline
    inner join durations
        on timeline.ticket_id = durations.ticket_id
    where {{ sla_pending('durations') }}
),

open_to_date as (
    select
        pending.ticket_id,
        {{ business_minutes(
            'pending.created_at', 'pending.to_date_at',
            business_clock_reading('pending.created_at', 'created_clock'),
            business_clock_reading('pending.to_date_at', 'to_date_clock')
        ) }} as open_business_minutes_to_date
    from pending
    asof left join clock as created_clock
        on
            pending.team = created_clock.team
            and pending.created_at >= created_clock.opens_at
    asof left join clock as to_date_clock
        on
            pending.team = to_date_clock.team
            and pending.to_date_at >= to_date_clock.opens_at
),

window_days as (
    select to_days({{ var('repeat_contact_window_days') }}) as repeat_window
),

next_contacts as (
    select
        ticket_id,
        lead(created_at) over by_requester as next_contact_at,
        lead(channel) over by_requester as next_contact_channel,
        lead(order_id) over by_requester as next_contact_order_id,
        lead(category) over by_requester as next_contact_category
    from timeline
    window by_requester as (partition by requester_key order by created_at, ticket_id)
),

contacts_after_solve as (
    {#- Any contact opened after the ticket's last solve, within the window. -#}
    select
        solved.ticket_id,
        count(later.ticket_id) as contacts_within_window
    from timeline as solved
    cross join window_days
    inner join timeline as later
        on
            solved.requester_key = later.requester_key
            and solved.ticket_id <> later.ticket_id
            and solved.last_solved_at < later.created_at
            and later.created_at <= solved.last_solved_at + window_days.repeat_window
    group by solved.ticket_id
)

select
    timeline.ticket_id,
    timeline.requester_key,
    targets.first_response_target_minutes,
    targets.resolution_target_minutes,
    case
        when durations.first_response_business_minutes is not null
            then
                durations.first_response_business_minutes
                <= targets.first_response_target_minutes
        when open_to_date.open_business_minutes_to_date > targets.first_response_target_minutes
            then false
    end as is_first_response_sla_met,
    case
        when durations.resolution_business_minutes is not null
            then durations.resolution_business_minutes <= targets.resolution_target_minutes
        when open_to_date.open_business_minutes_to_date > targets.resolution_target_minutes
            then false
    end as is_resolution_sla_met,
    open_to_date.open_business_minutes_to_date,
    timeline.is_solved and timeline.agent_reply_count = 1 as is_one_touch_resolution,
    case
        when not timeline.is_solved then null
        when
            timeline.reopen_count > 0
            or coalesce(contacts_after_solve.contacts_within_window, 0) > 0
            then false
        when timeline.last_solved_at + window_days.repeat_window > {{ as_of_end() }} then null
        else true
    end as is_first_contact_resolution,
    next_contacts.next_contact_at,
    next_contacts.next_contact_channel,
    coalesce(
        next_contacts.next_contact_at <= timeline.created_at + window_days.repeat_window, false
    ) as is_followed_by_repeat_contact,
    coalesce(
        next_contacts.next_contact_at <= timeline.created_at + window_days.repeat_window
        and next_contacts.next_contact_channel <> timeline.channel
        and (
            next_contacts.next_contact_order_id = timeline.order_id
            or (
                (next_contacts.next_contact_order_id is null or timeline.order_id is null)
                and next_contacts.next_contact_category = timeline.category
            )
        ),
        false
    ) as is_channel_switch_away,
    as_of.as_of_end as built_as_of_end,
    current_timestamp as built_at
from timeline
cross join as_of
cross join window_days
inner join durations
    on timeline.ticket_id = durations.ticket_id
inner join next_contacts
    on timeline.ticket_id = next_contacts.ticket_id
left join targets
    on timeline.priority = targets.priority
left join open_to_date
    on timeline.ticket_id = open_to_date.ticket_id
left join contacts_after_solve
    on timeline.ticket_id = contacts_after_solve.ticket_id
