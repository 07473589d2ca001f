{#- Ticket times in calendar minutes and in business minutes of the owning team. Requester
    wait time counts the periods the ticket spent new or open (waiting on the support team).
    Business minutes between two moments are the difference of the team's business clock at
    each: the open time of all its earlier intervals plus the elapsed part of the interval the
    moment falls in (one ASOF lookup per moment, in whole microseconds, so differences are exact;
    the intervals of a team never overlap, see tests/dbt). -#}
with

timeline as (
    select * from {{ ref('int_support_ticket_timeline') }}
),

interval_lengths as (
    select
        team,
        opens_at,
        epoch_us(closes_at) - epoch_us(opens_at) as open_us
    from {{ ref('int_support_business_intervals') }}
),

intervals as (
    select
        team,
        opens_at,
        open_us,
        coalesce(sum(open_us) over (
            partition by team order by opens_at
            rows between unbounded preceding and 1 preceding
        ), 0) as open_us_before
    from interval_lengths
),

ticket_moments as (
    select
        ticket_id,
        team,
        created_at,
        first_agent_reply_at,
        last_solved_at,
        {{ as_of_end() }} as to_date_at
    from timeline
),

waiting_periods as (
    select
        periods.ticket_id,
        periods.started_at,
        periods.ended_at,
        timeline.team,
        row_number() over () as period_key
    from {{ ref('int_support_ticket_status_periods') }} as periods
    inner join timeline
        on periods.ticket_id = timeline.ticket_id
    where periods.status in ('new', 'open') and periods.ended_at is not null
),

-- Every moment that needs a reading of the business clock: a ticket's (no period key) or a
-- waiting period's.
moments as (
    unpivot ticket_moments
    on created_at, first_agent_reply_at, last_solved_at, to_date_at
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
        coalesce(
            intervals.open_us_before
            + least(
                greatest(epoch_us(moments.moment_at) - epoch_us(intervals.opens_at), 0),
                intervals.open_us
            ),
            0
        ) as business_us
    from moments
    asof left join intervals
        on
            moments.team = intervals.team
            and moments.moment_at >= intervals.opens_at
),

ticket_readings as (
    select
        ticket_id,
        any_value(business_us) filter (where moment = 'created_at') as created_us,
        any_value(business_us) filter (where moment = 'first_agent_reply_at') as first_reply_us,
        any_value(business_us) filter (where moment = 'last_solved_at') as last_solved_us,
        any_value(business_us) filter (where moment = 'to_date_at') as to_date_us
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
    {{ business_minutes(
        'timeline.created_at', as_of_end(), 'readings.created_us', 'readings.to_date_us'
    ) }} as open_business_minutes_to_date
from timeline
left join ticket_readings as readings
    on timeline.ticket_id = readings.ticket_id
left join waiting
    on timeline.ticket_id = waiting.ticket_id
