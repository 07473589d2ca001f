{#- Every text with its lexicon sentiment (grain: text): the scored text with what later records
    can change, a survey comment's channel (its invitation) and a ticket's customer (identity
    resolution). A ticket's texts wait for the ticket's own record. -#}
with

-- Read three times: not materialised, instead of a copy of every scored text.
texts as not materialized (
    select * from {{ ref('int_sentiment_lexicon_scores') }}
),

survey_comments as (
    select * from texts
    where text_source = 'survey_comment'
),

-- Narrowed to the comments' invitations: the hash join is built on the narrow side.
comment_invitations as (
    {{ rows_wanted_by(ref('stg_surveys__invitations'), 'survey_comments', 'invitation_id') }}
)

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
from texts
inner join {{ ref('int_support_ticket_timeline') }} as tickets
    on texts.ticket_id = tickets.ticket_id
where texts.text_source <> 'survey_comment'
