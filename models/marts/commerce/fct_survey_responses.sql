{{
    config(
        materialized='incremental',
        unique_key='response_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}
{#- One row per survey answer with what it is about (order, ticket, trigger), the score's
    reading (promoter, detractor, satisfied, easy) and the comment's sentiment. Incremental:
    each run rebuilds the answers whose answer or invitation arrived in the last
    `incremental_lookback_days` extract days. -#}
with

{% if is_incremental() -%}
    changed as (
        select response_id
        from {{ ref('stg_surveys__responses') }}
        where source_extract_date >= {{ lookback_start('source_extract_date') }}
        union
        select responses.response_id
        from {{ ref('stg_surveys__responses') }} as responses
        semi join {{ ref('stg_surveys__invitations') }} as invitations
            on
                responses.invitation_id = invitations.invitation_id
                and invitations.source_extract_date >= {{ lookback_start('source_extract_date') }}
    ),
{%- endif %}

{# A night reads the invitations and sentiments of the answers it rebuilds only: no hash
    table over all of them for a few days of answers. #}
responses as (
    {{ rows_wanted_by(ref('stg_surveys__responses'), 'changed', 'response_id', is_incremental()) }}
),

invitations as (
    {{ rows_wanted_by(
        ref('stg_surveys__invitations'), 'responses', 'invitation_id', is_incremental()
    ) }}
),

scores as (
    {{ rows_wanted_by(ref('int_sentiment_scores'), 'responses', 'response_id', is_incremental()) }}
),

sentiments as (
    select
        response_id,
        sentiment_score,
        sentiment_label
    from scores
    where response_id is not null
)

select
    responses.response_id,
    responses.invitation_id,
    responses.customer_id,
    responses.survey_type,
    invitations.survey_trigger,
    invitations.channel as invitation_channel,
    invitations.order_id,
    invitations.ticket_id,
    invitations.sent_at,
    responses.responded_at,
    (responses.responded_at)::date as response_date,
    date_diff('second', invitations.sent_at, responses.responded_at) / 3600.0 as hours_to_respond,
    responses.score,
    case when responses.survey_type = 'nps' then {{ is_promoter('responses.score') }} end
        as is_promoter,
    case when responses.survey_type = 'nps' then {{ is_detractor('responses.score') }} end
        as is_detractor,
    case
        when responses.survey_type = 'csat' then {{ is_csat_satisfied('responses.score') }}
    end as is_satisfied,
    case when responses.survey_type = 'ces' then {{ is_ces_easy('responses.score') }} end
        as is_easy,
    responses.comment,
    responses.language,
    sentiments.sentiment_score as comment_sentiment_score,
    sentiments.sentiment_label as comment_sentiment_label,
    greatest(responses.source_extract_date, invitations.source_extract_date)
        as source_extract_date
from responses
left join invitations
    on responses.invitation_id = invitations.invitation_id
left join sentiments
    on responses.response_id = sentiments.response_id
