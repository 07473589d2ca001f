-- The business clock of int_support_ticket_durations counts each interval once: a team's
-- openings (its weekly hours in local time, overnight shifts included) must not overlap.
with

intervals as (
    select
        team,
        opens_at,
        lag(closes_at) over (partition by team order by opens_at) as previous_closes_at
    from {{ ref('int_support_business_intervals') }}
)

select *
from intervals
where previous_closes_at > opens_at
