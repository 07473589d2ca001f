{#- Every single observation behind the experience KPIs (grain: KPI x observation), with the
    customer, the moment, the channel it is about and the customer's journey stage at that
    moment, ready to be aggregated by period and slice:
    - nps, csat, ces: one survey answer each (csat/ces: the experience's channel - the ticket's or
      the order's - else the invitation's);
    - response_rate: one invitation each (1 if answered);
    - sentiment: one customer-written comment or ticket message each;
    - first_response_minutes, sla_attainment: one ticket each (SLA once decided);
    - fcr_rate: one solved ticket each, once its 7-day window has passed or it was reopened;
    - aht_seconds: one handled phone or chat contact each. -#}
with

responses as (
    select
        responses.response_id,
        responses.customer_id,
        responses.survey_type,
        responses.responded_at,
        responses.score,
        coalesce(tickets.channel, orders.sales_channel, invitations.channel) as channel
    from {{ ref('stg_surveys__responses') }} as responses
    left join {{ ref('stg_surveys__invitations') }} as invitations
        on responses.invitation_id = invitations.invitation_id
    left join {{ ref('stg_tickets__tickets') }} as tickets
        on invitations.ticket_id = tickets.ticket_id
    left join {{ ref('stg_orders__orders') }} as orders
        on invitations.order_id = orders.order_id
),

tickets as (
    select
        timeline.*,
        durations.first_response_business_minutes,
        metrics.is_first_response_sla_met,
        metrics.is_first_contact_resolution
    from {{ ref('int_support_ticket_timeline') }} as timeline
    inner join {{ ref('int_support_ticket_durations') }} as durations
        on timeline.ticket_id = durations.ticket_id
    inner join {{ ref('int_support_ticket_metrics') }} as metrics
        on timeline.ticket_id = metrics.ticket_id
),

answered_invitations as (
    select distinct invitation_id from {{ ref('stg_surveys__responses') }}
),

observations as (
    select
        'nps' as kpi,
        customer_id,
        responded_at as observed_at,
        channel,
        score::double as value,
        {{ is_promoter('score') }} as is_success,
        {{ is_detractor('score') }} as is_detractor
    from responses
    where survey_type = 'nps'

    union all
    select
        'csat' as kpi,
        customer_id,
        responded_at as observed_at,
        channel,
        score as value,
        {{ is_csat_satisfied('score') }} as is_success,
        null as is_detractor
    from responses
    where survey_type = 'csat'

    union all
    select
        'ces' as kpi,
        customer_id,
        responded_at as observed_at,
        channel,
        score as value,
        {{ is_ces_easy('score') }} as is_success,
        null as is_detractor
    from responses
    where survey_type = 'ces'

    union all
    select
        'response_rate' as kpi,
        invitations.customer_id,
        invitations.sent_at as observed_at,
        invitations.channel,
        (answers.invitation_id is not null)::int as value,
        answers.invitation_id is not null as is_success,
        null as is_detractor
    from {{ ref('stg_surveys__invitations') }} as invitations
    left join answered_invitations as answers
        on invitations.invitation_id = answers.invitation_id

    union all
    select
        'sentiment' as kpi,
        customer_id,
        written_at as observed_at,
        channel,
        sentiment_score as value,
        sentiment_label = 'positive' as is_success,
        sentiment_label = 'negative' as is_detractor
    from {{ ref('int_sentiment_scores') }}
    where author_type = 'customer' and customer_id is not null

    union all
    select
        'first_response_minutes' as kpi,
        customer_id,
        created_at as observed_at,
        channel,
        first_response_business_minutes as value,
        null as is_success,
        null as is_detractor
    from tickets
    where first_response_business_minutes is not null

    union all
    select
        'sla_attainment' as kpi,
        customer_id,
        created_at as observed_at,
        channel,
        is_first_response_sla_met::int as value,
        is_first_response_sla_met as is_success,
        null as is_detractor
    from tickets
    where is_first_response_sla_met is not null

    union all
    select
        'fcr_rate' as kpi,
        customer_id,
        last_solved_at as observed_at,
        channel,
        is_first_contact_resolution::int as value,
        is_first_contact_resolution as is_success,
        null as is_detractor
    from tickets
    where is_first_contact_resolution is not null

    union all
    select
        'aht_seconds' as kpi,
        tickets.customer_id,
        events.occurred_at as observed_at,
        events.channel,
        events.handle_seconds as value,
        null as is_success,
        null as is_detractor
    from {{ ref('stg_tickets__ticket_events') }} as events
    inner join tickets
        on events.ticket_id = tickets.ticket_id
    where events.event_type = 'call_handled' and events.handle_seconds is not null
),

current_customers as (
    select
        features.customer_id,
        features.segment,
        personas.persona
    from {{ ref('int_customer_features') }} as features
    inner join {{ ref('int_persona_assignments') }} as personas
        on features.customer_id = personas.customer_id
),

stages as (
    select
        customer_id,
        state_started_at,
        state_ended_at,
        journey_stage
    from {{ ref('int_journey_stage_states') }}
)

select
    observations.kpi,
    observations.customer_id,
    observations.observed_at,
    observations.channel,
    observations.value,
    observations.is_success,
    observations.is_detractor,
    (observations.observed_at)::date as observed_date,
    coalesce(current_customers.persona, 'unknown') as persona,
    coalesce(current_customers.segment, 'unknown') as segment,
    coalesce(stages.journey_stage, 'unknown') as journey_stage
from observations
left join current_customers
    on observations.customer_id = current_customers.customer_id
left join stages
    on {{ in_journey_state('observations.customer_id', 'observations.observed_at', 'stages') }}
where observations.observed_at < {{ as_of_end() }}
