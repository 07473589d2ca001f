{{
    config(
        materialized='incremental',
        unique_key='customer_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where customer_id is null{% endif %}",
        post_hook="delete from {{ this }} where kpi is null"
    )
}}
-- depends_on: {{ changed_customers_dependencies() }}
{#- Every single observation behind the experience KPIs (grain: KPI x observation), with the
    customer, the moment, the channel it is about and the customer's journey stage, persona and
    segment at that moment (int_persona_history), ready to be aggregated by period and slice:
    - nps, csat, ces: one survey answer each (csat/ces: the experience's channel - the ticket's or
      the order's - else the invitation's);
    - response_rate: one invitation each (1 if answered);
    - sentiment: one customer-written comment or ticket message each;
    - first_response_minutes, sla_attainment: one ticket each (SLA once decided);
    - fcr_rate: one solved ticket each, once its 7-day window has passed or it was reopened;
    - aht_seconds: one handled phone or chat contact each.
    Incremental by customer: a night recomputes the customers with a record loaded since the
    last build (int_customer_record_changes), those whose journey states were recomputed, with a
    ticket whose SLA or first contact resolution was still undecided at the last build's as-of
    end, or with an observation dated from it on; every customer when the as-of date moves back.
    Observations without a customer (unmatched help-desk requesters) are all recomputed every
    night: delete+insert can't match a missing key, so the pre-hook deletes them. A customer
    left without observations gets a row without a KPI that the post-hook deletes. -#}
{%- set for_recomputed_customers -%}
    {% if is_incremental() %}
        where
            customer_id is null
            or customer_id in (select recomputed.customer_id from recomputed_customers as recomputed)
    {% endif %}
{%- endset %}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

{% if is_incremental() -%}
    {{ last_customer_build_ctes() }}

    recomputed_customers as (
        {{ customers_changed_since_build() }}
        union
        {{ customers_rebuilt_since_this_build(
            ref('int_journey_stage_states'), '(select built.built_at from built)'
        ) }}
        union
        select timeline.customer_id
        from {{ ref('int_support_ticket_timeline') }} as timeline
        inner join {{ ref('int_support_ticket_durations') }} as durations
            on timeline.ticket_id = durations.ticket_id
        where
            {{ sla_pending('durations') }}
            or timeline.last_solved_at + to_days({{ var('repeat_contact_window_days') }})
            >= (select built.as_of_end from built)
            or greatest(timeline.created_at, timeline.last_solved_at)
            >= (select built.as_of_end from built)
        union
        {{ customers_dated_since_last_build([
            (ref('stg_surveys__responses'), 'responded_at'),
            (ref('stg_surveys__invitations'), 'sent_at'),
            (ref('int_sentiment_scores'), 'written_at'),
        ]) }}
        union
        select timeline.customer_id
        from {{ ref('stg_tickets__ticket_events') }} as events
        inner join {{ ref('int_support_ticket_timeline') }} as timeline
            on events.ticket_id = timeline.ticket_id
        where events.occurred_at >= (select built.as_of_end from built)
        union
        {{ every_customer_when_recomputing_everyone() }}
    ),
{%- endif %}

survey_responses as (
    select * from {{ ref('stg_surveys__responses') }}
    {{ for_recomputed_customers }}
),

survey_invitations as (
    select * from {{ ref('stg_surveys__invitations') }}
    {{ for_recomputed_customers }}
),

sentiment_scores as (
    select * from {{ ref('int_sentiment_scores') }}
    {{ for_recomputed_customers }}
),

-- The invitations, tickets and orders the recomputed answers are about, narrowed before they
-- are joined (DuckDB builds the right side of a left join whole).
answered_invitations_of_responses as (
    {{ rows_wanted_by(
        ref('stg_surveys__invitations'), 'survey_responses', 'invitation_id',
        narrowed=is_incremental()
    ) }}
),

tickets_of_responses as (
    {{ rows_wanted_by(
        ref('stg_tickets__tickets'), 'answered_invitations_of_responses', 'ticket_id',
        narrowed=is_incremental()
    ) }}
),

orders_of_responses as (
    {{ rows_wanted_by(
        ref('stg_orders__orders'), 'answered_invitations_of_responses', 'order_id',
        narrowed=is_incremental()
    ) }}
),

responses as (
    select
        responses.response_id,
        responses.customer_id,
        responses.survey_type,
        responses.responded_at,
        responses.score,
        coalesce(tickets.channel, orders.sales_channel, invitations.channel) as channel
    from survey_responses as responses
    left join answered_invitations_of_responses as invitations
        on responses.invitation_id = invitations.invitation_id
    left join tickets_of_responses as tickets
        on invitations.ticket_id = tickets.ticket_id
    left join orders_of_responses as orders
        on invitations.order_id = orders.order_id
),

tickets as (
    select
        timeline.*,
        durations.first_response_business_minutes,
        metrics.is_first_response_sla_met,
        metrics.is_first_contact_resolution
    from (
        select * from {{ ref('int_support_ticket_timeline') }}
        {{ for_recomputed_customers }}
    ) as timeline
    inner join {{ ref('int_support_ticket_durations') }} as durations
        on timeline.ticket_id = durations.ticket_id
    inner join {{ ref('int_support_ticket_metrics') }} as metrics
        on timeline.ticket_id = metrics.ticket_id
),

answered_invitations as (
    select distinct invitation_id from {{ ref('stg_surveys__responses') }}
    where {{ is_wanted_by('invitation_id', 'survey_invitations') }}
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
    from survey_invitations as invitations
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
    from sentiment_scores
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

stages as (
    select
        customer_id,
        state_started_at,
        state_ended_at,
        journey_stage
    from {{ ref('int_journey_stage_states') }}
    {{ for_recomputed_customers }}
),

personas as (
    select
        customer_id,
        valid_from,
        valid_to,
        persona,
        segment
    from {{ ref('int_persona_history') }}
    {{ for_recomputed_customers }}
),

annotated_observations as (
    select
        observations.kpi,
        observations.customer_id,
        observations.observed_at,
        observations.channel,
        observations.value,
        observations.is_success,
        observations.is_detractor,
        (observations.observed_at)::date as observed_date,
        coalesce(personas.persona, 'unknown') as persona,
        coalesce(personas.segment, 'unknown') as segment,
        coalesce(stages.journey_stage, 'unknown') as journey_stage
    from observations
    left join personas
        on
            observations.customer_id = personas.customer_id
            and observations.observed_at >= personas.valid_from
            and observations.observed_at < personas.valid_to
    left join stages
        on {{ in_journey_state('observations.customer_id', 'observations.observed_at', 'stages') }}
    where observations.observed_at < {{ as_of_end() }}
)

select
    annotated_observations.*,
    as_of.as_of_end as built_as_of_end,
    current_timestamp as built_at
from annotated_observations
cross join as_of
{% if is_incremental() %}

    union all

    select
        null as kpi,
        recomputed.customer_id,
        null as observed_at,
        null as channel,
        null as value,
        null as is_success,
        null as is_detractor,
        null as observed_date,
        null as persona,
        null as segment,
        null as journey_stage,
        as_of.as_of_end as built_as_of_end,
        current_timestamp as built_at
    from recomputed_customers as recomputed
    cross join as_of
    anti join annotated_observations
        on recomputed.customer_id = annotated_observations.customer_id
{% endif %}
