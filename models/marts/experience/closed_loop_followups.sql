{#- Who to call back: detractor answers (NPS 0-6) and very negative customer messages of the
    last `closed_loop_days` days, with the context a CX lead needs - the customer and how to
    reach them, their value, and the order, ticket and agent involved. The only mart with
    contact details; keep access to it restricted. -#}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

detractors as (
    select
        {{ text_id('response', 'responses.response_id') }} as followup_id,
        'detractor' as reason,
        responses.customer_id,
        responses.responded_at as occurred_at,
        responses.score as nps_score,
        responses.comment as customer_words,
        responses.comment_sentiment_score as sentiment_score,
        responses.order_id,
        responses.ticket_id
    from {{ ref('fct_survey_responses') }} as responses
    cross join as_of
    where
        responses.is_detractor
        and responses.responded_at >= as_of.as_of_end - to_days({{ var('closed_loop_days') }})
        and responses.responded_at < as_of.as_of_end
),

negative_scores as (
    select scores.*
    from {{ ref('int_sentiment_scores') }} as scores
    cross join as_of
    where
        scores.author_type = 'customer'
        and scores.text_source <> 'survey_comment'
        and scores.sentiment_score <= {{ var('very_negative_sentiment') }}
        and scores.written_at >= as_of.as_of_end - to_days({{ var('closed_loop_days') }})
        and scores.written_at < as_of.as_of_end
),

-- A few thousand follow-ups: every wider relation is narrowed to their keys before it is joined.
negative_ticket_records as (
    {{ rows_wanted_by(ref('stg_tickets__tickets'), 'negative_scores', 'ticket_id') }}
),

negative_ticket_events as (
    {{ rows_wanted_by(ref('stg_tickets__ticket_events'), 'negative_scores', 'ticket_id') }}
),

negative_texts as (
    select
        {{ text_id('ticket', 'ticket_id') }} as text_id,
        description as text
    from negative_ticket_records
    union all
    select
        {{ text_id('event', 'event_id') }} as text_id,
        body as text
    from negative_ticket_events
),

negative_tickets as (
    {{ rows_wanted_by(ref('int_support_ticket_timeline'), 'negative_scores', 'ticket_id') }}
),

negative_messages as (
    select
        scores.text_id as followup_id,
        'very_negative_message' as reason,
        scores.customer_id,
        scores.written_at as occurred_at,
        null::integer as nps_score,
        texts.text as customer_words,
        scores.sentiment_score,
        tickets.order_id,
        scores.ticket_id
    from negative_scores as scores
    -- Every score has its text; a left join keeps DuckDB from folding the narrowing into an
    -- inner join built on every text.
    left join negative_texts as texts
        on scores.text_id = texts.text_id
    left join negative_tickets as tickets
        on scores.ticket_id = tickets.ticket_id
),

followups as (
    select * from detractors
    union all
    select * from negative_messages
),

contacts as (
    {{ rows_wanted_by(ref('stg_crm__customers'), 'followups', 'customer_id') }}
),

customers as (
    {{ rows_wanted_by(ref('dim_customers'), 'followups', 'customer_id') }}
),

orders as (
    {{ rows_wanted_by(ref('fct_orders'), 'followups', 'order_id') }}
),

tickets as (
    {{ rows_wanted_by(ref('fct_tickets'), 'followups', 'ticket_id') }}
)

select
    followups.followup_id,
    followups.reason,
    followups.occurred_at,
    followups.customer_id,
    contacts.first_name,
    contacts.last_name,
    contacts.email,
    contacts.phone_e164,
    contacts.preferred_contact_channel,
    customers.persona,
    customers.journey_stage,
    customers.predicted_clv_eur,
    customers.health_score,
    followups.nps_score,
    followups.customer_words,
    followups.sentiment_score,
    followups.order_id,
    orders.status as order_status,
    orders.total_eur as order_total_eur,
    orders.is_delivered_late as order_delivered_late,
    followups.ticket_id,
    tickets.status as ticket_status,
    tickets.channel as ticket_channel,
    tickets.category as ticket_category,
    tickets.agent_id,
    tickets.team,
    coalesce(tickets.team, 'cx_success') as owner_team,
    row_number() over (
        order by
            customers.predicted_clv_eur desc nulls last, followups.occurred_at desc,
            followups.followup_id asc
    ) as callback_priority
from followups
inner join contacts
    on followups.customer_id = contacts.customer_id
left join customers
    on followups.customer_id = customers.customer_id
left join orders
    on followups.order_id = orders.order_id
left join tickets
    on followups.ticket_id = tickets.ticket_id
