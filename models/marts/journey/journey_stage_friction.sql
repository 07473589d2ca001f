{{
    config(
        materialized='incremental',
        unique_key='month',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}
{#- Friction per journey stage and month: support contacts, negative messages and detractor
    answers of the customers while they were in the stage. Incremental by month: a night
    rebuilds the months int_interactions may have rewritten, those from the lookback window
    before the newest month built on (its rows before the window never change). -#}
with

interactions as (
    select * from {{ ref('int_interactions') }}
    {% if is_incremental() -%}
        where occurred_date >= date_trunc('month', {{ lookback_start('month') }})
    {%- endif %}
)

select
    journey_stage,
    (date_trunc('month', occurred_date))::date as month,
    count(distinct customer_id) as active_customers,
    count(*) as interactions,
    count(*) filter (where interaction_kind = 'ticket_created') as support_contacts,
    {{ safe_divide(
        "count(*) filter (where interaction_kind = 'ticket_created')",
        'count(distinct customer_id)'
    ) }} as support_contacts_per_customer,
    count(*) filter (where {{ is_negative_sentiment('sentiment_score') }}) as negative_messages,
    {{ safe_divide(
        'count(*) filter (where ' ~ is_negative_sentiment('sentiment_score') ~ ')',
        'count(sentiment_score)'
    ) }} as negative_message_share,
    count(*) filter (where interaction_kind = 'survey_nps') as nps_answers,
    count(*) filter (where interaction_kind = 'survey_nps' and {{ is_detractor('survey_score') }})
        as detractor_answers,
    {{ safe_divide(
        "count(*) filter (where interaction_kind = 'survey_nps' and "
        ~ is_detractor('survey_score') ~ ")",
        "count(*) filter (where interaction_kind = 'survey_nps')"
    ) }} as detractor_share,
    avg(sentiment_score) as mean_sentiment
from interactions
group by all
