{#- Every opening of every support team as a UTC interval: the team's weekly hours applied to
    each local date in its own time zone (so DST shifts the UTC times), minus its holidays. A
    closing time at or before the opening time closes on the next day. -#}
with

hours as (
    select * from {{ ref('support_team_hours') }}
),

holidays as (
    select * from {{ ref('support_team_holidays') }}
),

bounds as (
    select
        (min(created_at))::date - 2 as first_day,
        {{ as_of_date() }} + {{ var('business_calendar_horizon_days') }} as last_day
    from {{ ref('stg_tickets__tickets') }}
),

local_days as (
    select (unnest(generate_series(first_day, last_day, interval 1 day)))::date as local_date
    from bounds
),

scheduled as (
    select
        hours.team,
        hours.timezone,
        local_days.local_date,
        local_days.local_date + (hours.opens_at)::time as local_opens_at,
        local_days.local_date
        + case when hours.closes_at <= hours.opens_at then 1 else 0 end
        + (hours.closes_at)::time as local_closes_at
    from local_days
    inner join hours
        on isodow(local_days.local_date) = hours.iso_weekday
    anti join holidays
        on
            hours.team = holidays.team
            and local_days.local_date = holidays.holiday_date
)

select
    team,
    local_date,
    timezone('UTC', timezone(timezone, local_opens_at)) as opens_at,
    timezone('UTC', timezone(timezone, local_closes_at)) as closes_at
from scheduled
