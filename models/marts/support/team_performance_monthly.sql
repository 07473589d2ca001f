{#- Each support team's month, from its tickets (created in the month) and calls. -#}
with

tickets as (
    select * from {{ ref('fct_tickets') }}
),

ticket_months as (
    select
        team,
        (date_trunc('month', created_at))::date as month,
        count(*) as tickets,
        count(distinct agent_id) as agents,
        count(*) filter (where is_solved) as solved_tickets,
        median(first_response_business_minutes) as median_first_response_business_minutes,
        quantile_cont(first_response_business_minutes, 0.9) as p90_first_response_business_minutes,
        median(resolution_business_minutes) as median_resolution_business_minutes,
        avg(is_first_response_sla_met::int) as sla_attainment,
        avg(is_first_contact_resolution::int) as fcr_rate,
        avg((reopen_count > 0)::int) filter (where is_solved) as reopen_rate,
        avg(is_channel_switch_away::int) as switch_away_rate,
        avg(customer_sentiment) as mean_customer_sentiment,
        avg({{ is_csat_satisfied('csat_score') }}::int) as csat,
        count(csat_score) as csat_answers
    from tickets
    group by all
),

calls as (
    select
        tickets.team,
        (date_trunc('month', events.occurred_at))::date as month,
        count(*) as handled_contacts,
        avg(events.handle_seconds) as aht_seconds
    from {{ ref('stg_tickets__ticket_events') }} as events
    inner join tickets
        on events.ticket_id = tickets.ticket_id
    where events.event_type = 'call_handled'
    group by all
)

select
    ticket_months.month,
    ticket_months.team,
    ticket_months.tickets,
    ticket_months.agents,
    ticket_months.solved_tickets,
    ticket_months.median_first_response_business_minutes,
    ticket_months.p90_first_response_business_minutes,
    ticket_months.median_resolution_business_minutes,
    ticket_months.sla_attainment,
    ticket_months.fcr_rate,
    ticket_months.reopen_rate,
    ticket_months.switch_away_rate,
    calls.aht_seconds,
    ticket_months.csat,
    ticket_months.csat_answers,
    ticket_months.mean_customer_sentiment,
    coalesce(calls.handled_contacts, 0) as handled_contacts
from ticket_months
left join calls
    on ticket_months.month = calls.month and ticket_months.team = calls.team
