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
{#- Ticket times in calendar minutes and in business minutes of the owning team. Requester
    wait time counts the periods the ticket spent new or open (waiting on the support team).
    Business minutes between two moments are the difference of the team's business clock at
    each (see business_clock; one ASOF lookup per moment).
    Incremental by ticket: a ticket's times change only with its own records, except a wait
    still running, which ends at the as-of end. A night recomputes the tickets with a ticket
    record or event staged since the last build, those waiting to date and those with a moment
    dated after the as-of end (the calendar beyond its horizon grows with the as-of date); when
    an extract date already built is loaded again, also the tickets with a record from it (an
    event may have left staging with it).
    A changed support_team_hours or support_team_holidays seed needs `--full-refresh`. -#}
with

-- Read more than once on a night: not materialised, instead of a copy of every ticket record
-- and event.
ticket_records as not materialized (
    {{ ticket_records() }}
),

-- Read twice on a night: not materialised, instead of a copy of every status period.
status_periods as not materialized (
    select * from {{ ref('int_support_ticket_status_periods') }}
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
        select ticket_id from status_periods
        where status in ('new', 'open') and ended_at >= {{ as_of_end() }}
        union
        select ticket_id from {{ ref('int_support_ticket_timeline') }}
        where greatest(created_at, first_agent_reply_at, last_solved_at) >= {{ as_of_end() }}
        union
        select kept.ticket_id from {{ this }} as kept
        where {{ built_from_a_reloaded_extract(
            'kept.records_first_extract_date', 'kept.records_extract_date', 'loaded_records'
        ) }}
    ),
{%- endif %}

timeline as (
    {{ rows_wanted_by(
        ref('int_support_ticket_timeline'), 'affected_tickets', 'ticket_id',
        narrowed=is_incremental()
    ) }}
),

ticket_loads as (
    select
        ticket_id,
        {{ load_span() }}
    from ticket_records
    where ticket_id in (select timeline.ticket_id from timeline)
    group by ticket_id
),

clock as (
    {{ business_clock() }}
),

ticket_moments as (
    select
        ticket_id,
        team,
        created_at,
        first_agent_reply_at,
        last_solved_at
    from timeline
),

waiting_periods as (
    select
        periods.ticket_id,
        periods.started_at,
        periods.ended_at,
        timeline.team,
        row_number() over () as period_key
    from status_periods as periods
    inner join timeline
        on periods.ticket_id = timeline.ticket_id
    where periods.status in ('new', 'open') and periods.ended_at is not null
),

-- Every moment that needs a reading of the business clock: a ticket's (no period key) or a
-- waiting period's.
moments as (
    unpivot ticket_moments
    on created_at, first_agent_reply_at, last_solved_at
    into name moment value moment_at

    union all by name
    unpivot waiting_periods
    on started_at, ended_at
    into name moment value moment_at
),

readings as (
    select
        moments.ticket_id,
        moments.period_key,
        moments.moment,
        {{ business_clock_reading('moments.moment_at', 'clock') }} as business_us
    from moments
    asof left join clock
        on
            moments.team = clock.team
            and moments.moment_at >= clock.opens_at
),

ticket_readings as (
    select
        ticket_id,
        any_value(business_us) filter (where moment = 'created_at') as created_us,
        any_value(business_us) filter (where moment = 'first_agent_reply_at') as first_reply_us,
        any_value(business_us) filter (where moment = 'last_solved_at') as last_solved_us
    from readings
    where period_key is null
    group by ticket_id
),

waiting as (
    select
        periods.ticket_id,
        sum(epoch(periods.ended_at) - epoch(periods.started_at)) / 60.0 as wait_minutes,
        sum(
            {{ business_minutes(
                'periods.started_at', 'periods.ended_at', 'started.business_us',
                'ended.business_us'
            ) }}
        ) as wait_business_minutes
    from waiting_periods as periods
    inner join readings as started
        on periods.period_key = started.period_key and started.moment = 'started_at'
    inner join readings as ended
        on periods.period_key = ended.period_key and ended.moment = 'ended_at'
    group by periods.ticket_id
)

select
    timeline.ticket_id,
    (epoch(timeline.first_agent_reply_at) - epoch(timeline.created_at)) / 60.0
        as first_response_minutes,
    {{ business_minutes(
        'timeline.created_at', 'timeline.first_agent_reply_at', 'readings.created_us',
        'readings.first_reply_us'
    ) }} as first_response_business_minutes,
    (epoch(timeline.last_solved_at) - epoch(timeline.created_at)) / 60.0 as resolution_minutes,
    {{ business_minutes(
        'timeline.created_at', 'timeline.last_solved_at', 'readings.created_us',
        'readings.last_solved_us'
    ) }} as resolution_business_minutes,
    coalesce(waiting.wait_minutes, 0) as requester_wait_minutes,
    coalesce(waiting.wait_business_minutes, 0) as requester_wait_business_minutes,
    ticket_loads.loaded_at as records_loaded_at,
    ticket_loads.first_extract_date as records_first_extract_date,
    ticket_loads.extract_date as records_extract_date,
    current_timestamp as built_at
from timeline
left join ticket_readings as readings
    on timeline.ticket_id = readings.ticket_id
left join waiting
    on timeline.ticket_id = waiting.ticket_id
left join ticket_loads
    on timeline.ticket_id = ticket_loads.ticket_id
