{{
    config(
        materialized='incremental',
        unique_key='occurred_date',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}
{#- The omnichannel interaction stream (grain: interaction): every marketing touch, order,
    return request, ticket message and survey answer of a customer, with its channel, the
    journey stage the customer was in at the time, and the sentiment of its text.
    Incremental: each run replaces the last `incremental_lookback_days` days of interactions
    (whole days), which absorbs records arriving up to that many days late. Each source is
    filtered on the window before its joins: DuckDB does not push the filter through them. -#}
with

window_start as (
    {% if is_incremental() -%}
        select ({{ lookback_start('occurred_date') }})::timestamp as first_moment
    {%- else -%}
        select timestamp '1900-01-01' as first_moment
    {%- endif %}
),

stream as (
    select
        'touch:' || touchpoint_id as interaction_id,
        customer_id,
        occurred_at,
        'crm' as source_system,
        channel,
        'touch_' || touchpoint_type as interaction_kind,
        null::varchar as text_id,
        null::varchar as description_text_id,
        null::integer as survey_score
    from {{ ref('stg_crm__touchpoints') }}
    where occurred_at >= (select window_start.first_moment from window_start)

    union all

    select
        'order:' || order_id as interaction_id,
        customer_id,
        ordered_at as occurred_at,
        'orders' as source_system,
        sales_channel as channel,
        case
            when customer_order_number = 1 then 'first_order' else 'repeat_order'
        end as interaction_kind,
        null as text_id,
        null as description_text_id,
        null as survey_score
    from {{ ref('int_orders_enriched') }}
    where not is_cancelled and ordered_at >= (select window_start.first_moment from window_start)

    union all

    select
        'return:' || returns.return_id as interaction_id,
        orders.customer_id,
        returns.requested_at as occurred_at,
        'orders' as source_system,
        orders.sales_channel as channel,
        'return_request' as interaction_kind,
        null as text_id,
        null as description_text_id,
        null as survey_score
    from {{ ref('stg_orders__returns') }} as returns
    inner join {{ ref('stg_orders__orders') }} as orders
        on returns.order_id = orders.order_id
    where returns.requested_at >= (select window_start.first_moment from window_start)

    union all

    select
        'ticket_event:' || events.event_id as interaction_id,
        tickets.customer_id,
        events.occurred_at,
        'tickets' as source_system,
        events.channel,
        'ticket_' || events.event_type as interaction_kind,
        {{ text_id('event', 'events.event_id') }} as text_id,
        case when events.event_type = 'created' then {{ text_id('ticket', 'events.ticket_id') }} end
            as description_text_id,
        null as survey_score
    from {{ ref('stg_tickets__ticket_events') }} as events
    inner join {{ ref('int_support_ticket_timeline') }} as tickets
        on events.ticket_id = tickets.ticket_id
    where
        events.event_type in ('created', 'customer_reply', 'agent_reply', 'call_handled')
        and tickets.customer_id is not null
        and events.occurred_at >= (select window_start.first_moment from window_start)

    union all

    select
        'survey:' || responses.response_id as interaction_id,
        responses.customer_id,
        responses.responded_at as occurred_at,
        'surveys' as source_system,
        invitations.channel,
        'survey_' || responses.survey_type as interaction_kind,
        {{ text_id('response', 'responses.response_id') }} as text_id,
        null as description_text_id,
        responses.score as survey_score
    from {{ ref('stg_surveys__responses') }} as responses
    -- The channel is the invitation's: a response whose invitation has not arrived yet waits
    -- for it (the incremental lookback picks it up on the night the invitation lands).
    inner join {{ ref('stg_surveys__invitations') }} as invitations
        on responses.invitation_id = invitations.invitation_id
    where responses.responded_at >= (select window_start.first_moment from window_start)
),

windowed as (
    select stream.*
    from stream
    where stream.occurred_at < {{ as_of_end() }}
),

{#- A night's window holds a few days of interactions: the states and sentiments it joins are
    narrowed to its customers and texts first, so no hash table is built over all of them. #}
{%- if is_incremental() %}

    window_texts as (
        select windowed.text_id from windowed
        union all
        select windowed.description_text_id from windowed
    ),
{%- endif %}

stages as (
    {{ rows_wanted_by(
        ref('int_journey_stage_states'), 'windowed', 'customer_id', is_incremental()
    ) }}
),

sentiments as (
    {{ rows_wanted_by(ref('int_sentiment_scores'), 'window_texts', 'text_id', is_incremental()) }}
),

-- A ticket's creation takes the sentiment of its description.
scored as (
    select
        windowed.*,
        coalesce(message.sentiment_score, description.sentiment_score) as sentiment_score
    from windowed
    left join sentiments as message
        on windowed.text_id = message.text_id
    left join sentiments as description
        on windowed.description_text_id = description.text_id
)

select
    scored.interaction_id,
    scored.customer_id,
    scored.occurred_at,
    scored.source_system,
    scored.channel,
    scored.interaction_kind,
    scored.sentiment_score,
    scored.survey_score,
    (scored.occurred_at)::date as occurred_date,
    coalesce(stages.journey_stage, 'awareness') as journey_stage,
    current_timestamp as built_at
from scored
left join stages
    on {{ in_journey_state('scored.customer_id', 'scored.occurred_at', 'stages') }}
