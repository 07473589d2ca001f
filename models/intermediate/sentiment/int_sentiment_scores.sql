{#- Every text with its lexicon sentiment (grain: text): the text's attributes, which can
    change with later records (the ticket's customer after identity resolution), joined to its
    score, which can't. -#}
select
    texts.text_id,
    texts.text_source,
    texts.author_type,
    texts.customer_id,
    texts.ticket_id,
    texts.response_id,
    texts.channel,
    texts.written_at,
    scores.matched_words,
    scores.sentiment_score,
    scores.sentiment_label,
    texts.source_extract_date
from {{ ref('int_sentiment_texts') }} as texts
inner join {{ ref('int_sentiment_lexicon_scores') }} as scores
    on texts.text_id = scores.text_id
