{#- Ticket times in calendar minutes and in business minutes of the owning team. Requester
    wait time counts the periods the ticket spent new or open (waiting on the support team). -#}
with

timeline as (
    select * from {{ ref('int_support_ticket_timeline') }}
),

waiting as (
    select
        periods.ticket_id,
        sum(epoch(periods.ended_at) - epoch(periods.started_at)) / 60.0 as wait_minutes,
        sum(
            {{ business_minutes_between(
                'periods.started_at', 'periods.ended_at', 'timeline.team'
            ) }}
        ) as wait_business_minutes
    from {{ ref('int_support_ticket_status_periods') }} as periods
    inner join timeline
        on periods.ticket_id = timeline.ticket_id
    where periods.status in ('new', 'open') and periods.ended_at is not null
    group by periods.ticket_id
)

select
    timeline.ticket_id,
    (epoch(timeline.first_agent_reply_at) - epoch(timeline.created_at)) / 60.0
        as first_response_minutes,
    {{ business_minutes_between(
        'timeline.created_at', 'timeline.first_agent_reply_at', 'timeline.team'
    ) }}
        as first_response_business_minutes,
    (epoch(timeline.last_solved_at) - epoch(timeline.created_at)) / 60.0 as resolution_minutes,
    {{ business_minutes_between(
        'timeline.created_at', 'timeline.last_solved_at', 'timeline.team'
    ) }}
        as resolution_business_minutes,
    coalesce(waiting.wait_minutes, 0) as requester_wait_minutes,
    coalesce(waiting.wait_business_minutes, 0) as requester_wait_business_minutes,
    {{ business_minutes_between('timeline.created_at', as_of_end(), 'timeline.team') }}
        as open_business_minutes_to_date
from timeline
left join waiting
    on timeline.ticket_id = waiting.ticket_id
