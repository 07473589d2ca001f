{{
    config(
        materialized='incremental',
        unique_key='text_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where text_source is null"
    )
}}
{#- Every free text with its lexicon sentiment (grain: text): survey comments, ticket
    descriptions and ticket messages (customer and agent replies, internal notes), with what
    their own record says (a ticket's customer comes from identity resolution, a comment's
    channel from its invitation: int_sentiment_scores adds them). Scoring, in SQL at any scale:
    - the text is lower-cased and split into words;
    - each word found in the sentiment_lexicon seed contributes its polarity (-3..+3);
    - a negator (sentiment_modifiers) up to three words before flips and damps it (x -0.74),
      an intensifier right before amplifies it (x 1.5);
    - the sum s is normalised to score = s / sqrt(s^2 + 15), in (-1, 1);
    - label: see the sentiment_label macro (positive >= 0.15, negative <= -0.15).
    Incremental: a text depends on its own record alone, so a night scores only the texts of
    the records staged since the last build and, when an extract date already built is loaded
    again, those scored from it (their record may have left staging or fallen back to an
    earlier version); a text gone from its record gets a row without a source that the
    post-hook deletes, so delete+insert removes it. The texts are read from staging here rather
    than kept in a table of their own: a night would rewrite every text to score a few. After
    editing the lexicon or modifier seeds, rebuild it with --full-refresh. -#}
with

-- Every record that can hold a text, with its text (null when it holds none). Read more than
-- once on a night: not materialised, instead of a copy of every text.
records as not materialized (
    select
        {{ text_id('response', 'response_id') }} as text_id,
        'survey_comment' as text_source,
        'customer' as author_type,
        customer_id,
        null::varchar as ticket_id,
        response_id,
        invitation_id,
        null::varchar as channel,
        responded_at as written_at,
        comment as text,
        source_extract_date,
        source_loaded_at,
        built_at
    from {{ ref('stg_surveys__responses') }}

    union all

    select
        {{ text_id('ticket', 'ticket_id') }} as text_id,
        'ticket_description' as text_source,
        'customer' as author_type,
        null as customer_id,
        ticket_id,
        null as response_id,
        null as invitation_id,
        channel,
        created_at as written_at,
        description as text,
        source_extract_date,
        source_loaded_at,
        built_at
    from {{ ref('stg_tickets__tickets') }}

    union all

    -- A ticket's created event repeats its description.
    select
        {{ text_id('event', 'event_id') }} as text_id,
        'ticket_message' as text_source,
        actor_type as author_type,
        null as customer_id,
        ticket_id,
        null as response_id,
        null as invitation_id,
        channel,
        occurred_at as written_at,
        case when event_type <> 'created' then body end as text,
        source_extract_date,
        source_loaded_at,
        built_at
    from {{ ref('stg_tickets__ticket_events') }}
),

{% if is_incremental() -%}
    built as (
        {{ last_build('source_loaded_at', 'source_extract_date') }}
    ),

    loaded_records as (
        {{ loaded_since_build('records', 'text_id') }}
    ),

    restaged_records as (
        {{ restaged_since_build('records', 'text_id') }}
    ),

    -- The texts kept from the extract dates loaded again tonight: gone if the extract no longer
    -- holds their record.
    reloaded_texts as (
        select kept.text_id
        from {{ this }} as kept
        where {{ built_from_a_reloaded_extract(
            'kept.source_extract_date', 'kept.source_extract_date', 'loaded_records'
        ) }}
    ),

    rescored_texts as (
        select text_id from restaged_records
        union
        select text_id from reloaded_texts
    ),

    still_held_texts as (
        select records.text_id
        from records
        semi join reloaded_texts
            on records.text_id = reloaded_texts.text_id
        where records.text is not null
    ),

    -- Texts whose record now holds none or is gone.
    gone_texts as (
        select records.text_id
        from records
        semi join restaged_records
            on records.text_id = restaged_records.text_id
        where records.text is null
        union
        select reloaded_texts.text_id
        from reloaded_texts
        anti join still_held_texts
            on reloaded_texts.text_id = still_held_texts.text_id
    ),
{%- endif %}

to_score as (
    select * from records
    where text is not null and {{ is_wanted_by('text_id', 'rescored_texts') }}
),

lexicon as (
    select
        term,
        polarity
    from {{ ref('sentiment_lexicon') }}
),

modifiers as (
    select
        list(term) filter (where kind = 'negator') as negators,
        list(term) filter (where kind = 'intensifier') as intensifiers,
        any_value(factor) filter (where kind = 'negator') as negation_factor,
        any_value(factor) filter (where kind = 'intensifier') as intensity_factor
    from {{ ref('sentiment_modifiers') }}
),

tokenized as (
    select
        text_id,
        list_filter(
            string_split_regex(lower(text), '[^\p{L}'']+'), lambda word: word <> ''
        ) as words
    from to_score
),

words as (
    select
        text_id,
        words,
        unnest(words) as word,
        unnest(generate_series(1, len(words))) as position
    from tokenized
),

scored_words as (
    select
        words.text_id,
        lexicon.polarity
        * case
            when list_has_any(
                list_slice(words.words, greatest(words.position - 3, 1), words.position - 1),
                modifiers.negators
            ) then modifiers.negation_factor
            else 1
        end
        * case
            when list_contains(modifiers.intensifiers, words.words[words.position - 1])
                then modifiers.intensity_factor
            else 1
        end as contribution
    from words
    inner join lexicon
        on words.word = lexicon.term
    cross join modifiers
),

summed as (
    select
        text_id,
        sum(contribution) as raw_sum,
        count(*) as matched_words
    from scored_words
    group by text_id
),

scored as (
    select
        to_score.text_id,
        to_score.text_source,
        to_score.author_type,
        to_score.customer_id,
        to_score.ticket_id,
        to_score.response_id,
        to_score.invitation_id,
        to_score.channel,
        to_score.written_at,
        to_score.source_extract_date,
        to_score.source_loaded_at,
        coalesce(summed.matched_words, 0) as matched_words,
        coalesce(summed.raw_sum / sqrt(summed.raw_sum * summed.raw_sum + 15), 0)
            as sentiment_score
    from to_score
    left join summed
        on to_score.text_id = summed.text_id
)

select
    *,
    {{ sentiment_label('sentiment_score') }} as sentiment_label,
    current_timestamp as built_at
from scored
{%- if is_incremental() %}

    union all

    select
        gone.text_id,
        null as text_source,
        null as author_type,
        null as customer_id,
        null as ticket_id,
        null as response_id,
        null as invitation_id,
        null as channel,
        null as written_at,
        null as source_extract_date,
        null as source_loaded_at,
        null as matched_words,
        null as sentiment_score,
        null as sentiment_label,
        current_timestamp as built_at
    from gone_texts as gone
{%- endif %}
