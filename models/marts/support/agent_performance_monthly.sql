{#- Each agent's month: volume, speed, resolution quality, handle time, and the CSAT and
    sentiment of the customers they served (feedback tied to agents). Tickets count in the
    month they were created; answers and calls in the month they happened. -#}
with

tickets as (
    select * from {{ ref('fct_tickets') }}
    where agent_id is not null
),

agents as (
    select * from {{ ref('stg_tickets__agents') }}
),

ticket_months as (
    select
        agent_id,
        (date_trunc('month', created_at))::date as month,
        count(*) as tickets,
        count(*) filter (where is_solved) as solved_tickets,
        median(first_response_business_minutes) as median_first_response_business_minutes,
        median(resolution_business_minutes) as median_resolution_business_minutes,
        avg(is_first_response_sla_met::int) as sla_attainment,
        avg(is_first_contact_resolution::int) as fcr_rate,
        avg(is_one_touch_resolution::int) filter (where is_solved) as one_touch_rate,
        avg((reopen_count > 0)::int) filter (where is_solved) as reopen_rate,
        avg(customer_sentiment) as mean_customer_sentiment,
        avg(csat_score) as mean_csat_score,
        avg({{ is_csat_satisfied('csat_score') }}::int) as csat,
        count(csat_score) as csat_answers
    from tickets
    group by all
),

calls as (
    select
        agent_id,
        (date_trunc('month', occurred_at))::date as month,
        count(*) as handled_contacts,
        avg(handle_seconds) as aht_seconds
    from {{ ref('stg_tickets__ticket_events') }}
    where event_type = 'call_handled' and agent_id is not null
    group by all
),

months as (
    select
        month,
        agent_id
    from ticket_months
    union
    select
        month,
        agent_id
    from calls
)

select
    months.month,
    months.agent_id,
    agents.team,
    agents.site,
    ticket_months.median_first_response_business_minutes,
    ticket_months.median_resolution_business_minutes,
    ticket_months.sla_attainment,
    ticket_months.fcr_rate,
    ticket_months.one_touch_rate,
    ticket_months.reopen_rate,
    calls.aht_seconds,
    ticket_months.csat,
    ticket_months.mean_csat_score,
    ticket_months.mean_customer_sentiment,
    coalesce(ticket_months.tickets, 0) as tickets,
    coalesce(ticket_months.solved_tickets, 0) as solved_tickets,
    coalesce(calls.handled_contacts, 0) as handled_contacts,
    coalesce(ticket_months.csat_answers, 0) as csat_answers
from months
left join agents
    on months.agent_id = agents.agent_id
left join ticket_months
    on months.month = ticket_months.month and months.agent_id = ticket_months.agent_id
left join calls
    on months.month = calls.month and months.agent_id = calls.agent_id
