{#- Every channel's day (grain: date x channel): volume, customers, service speed and quality,
    customer feedback and cost. Tickets count on the day they were created on the channel;
    survey answers and messages on the day they came, under the channel of the experience they
    are about. Cost = support contacts (tickets and customer replies) x the channel's cost per
    contact. -#}
with

channels as (
    select * from {{ ref('channels') }}
),

interactions as (
    select
        occurred_date as date,
        channel,
        interactions,
        unique_customers,
        support_contacts,
        orders,
        marketing_touches
    from {{ ref('int_interactions_daily') }}
),

tickets as (
    select
        channel,
        created_at::date as date,
        count(*) as tickets,
        median(first_response_business_minutes) as median_first_response_business_minutes,
        quantile_cont(first_response_business_minutes, 0.9) as p90_first_response_business_minutes,
        median(resolution_business_minutes) as median_resolution_business_minutes,
        quantile_cont(resolution_business_minutes, 0.9) as p90_resolution_business_minutes,
        avg(is_first_contact_resolution::int) as fcr_rate,
        avg((reopen_count > 0)::int) filter (where is_solved) as reopen_rate,
        avg(is_channel_switch_away::int) as switch_away_rate,
        avg(is_followed_by_repeat_contact::int) as repeat_contact_rate,
        avg(is_first_response_sla_met::int) as sla_attainment
    from {{ ref('fct_tickets') }}
    group by all
),

calls as (
    select
        channel,
        occurred_at::date as date,
        count(*) as handled_contacts,
        avg(handle_seconds) as aht_seconds
    from {{ ref('stg_tickets__ticket_events') }}
    where event_type = 'call_handled'
    group by all
),

feedback as (
    select
        observed_date as date,
        channel,
        avg(is_success::int) filter (where kpi = 'csat') as csat,
        count(*) filter (where kpi = 'csat') as csat_answers,
        avg(value) filter (where kpi = 'ces') as ces,
        count(*) filter (where kpi = 'ces') as ces_answers,
        avg(value) filter (where kpi = 'sentiment') as mean_sentiment
    from {{ ref('int_kpi_observations') }}
    -- An answer whose invitation has not arrived yet has no channel until it lands (as in
    -- the KPI slices, which leave it out of the channel slice too).
    where kpi in ('csat', 'ces', 'sentiment') and channel is not null
    group by all
),

days as (
    select
        date,
        channel
    from interactions
    union
    select
        date,
        channel
    from tickets
    union
    select
        date,
        channel
    from feedback
)

select
    days.date,
    days.channel,
    channels.channel_family,
    channels.interaction_mode,
    tickets.median_first_response_business_minutes,
    tickets.p90_first_response_business_minutes,
    tickets.median_resolution_business_minutes,
    tickets.p90_resolution_business_minutes,
    calls.aht_seconds,
    tickets.fcr_rate,
    tickets.reopen_rate,
    feedback.csat,
    feedback.ces,
    feedback.mean_sentiment,
    tickets.switch_away_rate,
    tickets.repeat_contact_rate,
    tickets.sla_attainment,
    coalesce(interactions.interactions, 0) as interactions,
    coalesce(interactions.unique_customers, 0) as unique_customers,
    coalesce(interactions.support_contacts, 0) as support_contacts,
    coalesce(interactions.orders, 0) as orders,
    coalesce(interactions.marketing_touches, 0) as marketing_touches,
    coalesce(tickets.tickets, 0) as tickets,
    coalesce(calls.handled_contacts, 0) as handled_contacts,
    coalesce(feedback.csat_answers, 0) as csat_answers,
    coalesce(feedback.ces_answers, 0) as ces_answers,
    coalesce(interactions.support_contacts, 0) * coalesce(channels.cost_per_contact_eur, 0)
        as support_cost_eur
from days
left join channels
    on days.channel = channels.channel
left join interactions
    on days.date = interactions.date and days.channel = interactions.channel
left join tickets
    on days.date = tickets.date and days.channel = tickets.channel
left join calls
    on days.date = calls.date and days.channel = calls.channel
left join feedback
    on days.date = feedback.date and days.channel = feedback.channel
