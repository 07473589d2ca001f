-- depends_on: {{ ref('int_as_of_date') }}
{{
    config(
        materialized='incremental',
        unique_key='ticket_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ drop_rows_gone_from(ref('stg_tickets__ticket_events'), 'ticket_id') }}"
    )
}}
{#- The statuses a ticket went through, each with its start and end (grain: ticket x status
    change). The last period of a ticket still in progress ends "now" (end of the as-of day).
    Incremental by ticket: a night recomputes the tickets with an event staged since the last
    build and those with a period open to date; when an extract date already built is loaded
    again, also the tickets with a period from it (its event may have left staging with it). -#}
with

-- Read three times on a night: not materialised, instead of a copy of every event of history.
events as not materialized (
    select * from {{ ref('stg_tickets__ticket_events') }}
),

{% if is_incremental() -%}
    built as (
        {{ last_build('source_loaded_at', 'source_extract_date') }}
    ),

    loaded_events as (
        {{ loaded_since_build('events', 'ticket_id') }}
    ),

    affected_tickets as (
        {{ restaged_since_build('events', 'ticket_id') }}
        union
        select ticket_id from {{ this }}
        where is_open_to_date
        union
        select kept.ticket_id from {{ this }} as kept
        where {{ built_from_a_reloaded_extract(
            'kept.source_extract_date', 'kept.source_extract_date', 'loaded_events'
        ) }}
    ),
{%- endif %}

status_events as (
    select
        ticket_id,
        event_id,
        occurred_at,
        source_extract_date,
        source_loaded_at,
        case
            when event_type = 'created' then coalesce(to_status, 'new')
            when event_type = 'reopened' then coalesce(to_status, 'open')
            else to_status
        end as status
    from events
    where
        event_type in ('created', 'status_change', 'reopened')
        and (to_status is not null or event_type in ('created', 'reopened'))
        and {{ is_wanted_by('ticket_id', 'affected_tickets') }}
),

ordered as (
    select
        ticket_id,
        event_id,
        status,
        source_extract_date,
        source_loaded_at,
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
    ) as ended_at,
    next_started_at is null and status not in ('solved', 'closed') as is_open_to_date,
    source_extract_date,
    source_loaded_at,
    current_timestamp as built_at
from ordered
