{{
    config(
        materialized='incremental',
        unique_key='text_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where text_source is null"
    )
}}
{#- Every text with its lexicon sentiment (grain: text): the scored text with what later records
    can change, a survey comment's channel (its invitation) and a ticket's customer (identity
    resolution). A ticket's texts wait for the ticket's own record.
    Incremental by text: a night recomputes the texts whose lexicon score, ticket timeline or
    invitation was written since this model's last build (their `built_at`), and those gone
    from the lexicon scores or whose ticket is gone; a text left without a row gets one
    without a source that the post-hook deletes, so delete+insert removes it. -#}
with

-- Read more than once: not materialised, instead of a copy of every scored text.
texts as not materialized (
    select * from {{ ref('int_sentiment_lexicon_scores') }}
),

{% if is_incremental() -%}
    built as (
        select max(built_at) as built_at from {{ this }}
    ),

    affected_texts as (
        select text_id from texts
        where built_at > (select built.built_at from built)
        union
        select texts.text_id
        from texts
        semi join {{ ref('int_support_ticket_timeline') }} as tickets
            on
                texts.ticket_id = tickets.ticket_id
                and tickets.built_at > (select built.built_at from built)
        union
        select texts.text_id
        from texts
        semi join {{ ref('stg_surveys__invitations') }} as invitations
            on
                texts.invitation_id = invitations.invitation_id
                and invitations.built_at > (select built.built_at from built)
        union
        select kept.text_id
        from {{ this }} as kept
        anti join texts
            on kept.text_id = texts.text_id
        union
        select kept.text_id
        from {{ this }} as kept
        anti join {{ ref('int_support_ticket_timeline') }} as tickets
            on kept.ticket_id = tickets.ticket_id
        where kept.ticket_id is not null
    ),
{%- endif %}

recomputed_texts as (
    select * from texts
    where {{ is_wanted_by('text_id', 'affected_texts') }}
),

survey_comments as (
    select * from recomputed_texts
    where text_source = 'survey_comment'
),

-- Narrowed to the comments' invitations: the hash join is built on the narrow side.
comment_invitations as (
    {{ rows_wanted_by(ref('stg_surveys__invitations'), 'survey_comments', 'invitation_id') }}
),

recomputed_tickets as (
    {{ rows_wanted_by(
        ref('int_support_ticket_timeline'), 'recomputed_texts', 'ticket_id',
        narrowed=is_incremental()
    ) }}
),

attributed as (
    select
        texts.text_id,
        texts.text_source,
        texts.author_type,
        texts.customer_id,
        texts.ticket_id,
        texts.response_id,
        invitations.channel,
        texts.written_at,
        texts.matched_words,
        texts.sentiment_score,
        texts.sentiment_label,
        texts.source_extract_date
    from survey_comments as texts
    left join comment_invitations as invitations
        on texts.invitation_id = invitations.invitation_id

    union all

    select
        texts.text_id,
        texts.text_source,
        texts.author_type,
        tickets.customer_id,
        texts.ticket_id,
        texts.response_id,
        texts.channel,
        texts.written_at,
        texts.matched_words,
        texts.sentiment_score,
        texts.sentiment_label,
        texts.source_extract_date
    from recomputed_texts as texts
    inner join recomputed_tickets as tickets
        on texts.ticket_id = tickets.ticket_id
    where texts.text_source <> 'survey_comment'
)

select
    *,
    current_timestamp as built_at
from attributed
{%- if is_incremental() %}

    union all

    select
        gone.text_id,
        null as text_source,
        null as author_type,
        null as customer_id,
        null as ticket_id,
        null as response_id,
        null as channel,
        null as written_at,
        null as matched_words,
        null as sentiment_score,
        null as sentiment_label,
        null as source_extract_date,
        current_timestamp as built_at
    from affected_texts as gone
    anti join attributed
        on gone.text_id = attributed.text_id
{%- endif %}
