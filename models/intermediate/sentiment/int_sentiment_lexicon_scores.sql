{{
    config(
        materialized='incremental',
        unique_key='text_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ drop_rows_gone_from(ref('int_sentiment_texts'), 'text_id') }}"
    )
}}
{#- Lexicon-based sentiment of every text (grain: text), computed in SQL at any scale:
    - the text is lower-cased and split into words;
    - each word found in the sentiment_lexicon seed contributes its polarity (-3..+3);
    - a negator (sentiment_modifiers) up to three words before flips and damps it (x -0.74),
      an intensifier right before amplifies it (x 1.5);
    - the sum s is normalised to score = s / sqrt(s^2 + 15), in (-1, 1);
    - label: see the sentiment_label macro (positive >= 0.15, negative <= -0.15).
    Incremental: a text's score depends on its words alone, so a night scores only the texts
    new or loaded again since the last build; the post-hook drops texts that are gone. After
    editing the lexicon or modifier seeds, rebuild it with --full-refresh. -#}
with

texts as (
    select
        texts.text_id,
        texts.text,
        texts.source_loaded_at
    from {{ ref('int_sentiment_texts') }} as texts
    {% if is_incremental() -%}
        anti join {{ this }} as scored
            on
                texts.text_id = scored.text_id
                and texts.source_loaded_at = scored.source_loaded_at
    {%- endif %}
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
    from texts
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
        texts.text_id,
        texts.source_loaded_at,
        coalesce(summed.matched_words, 0) as matched_words,
        coalesce(summed.raw_sum / sqrt(summed.raw_sum * summed.raw_sum + 15), 0)
            as sentiment_score
    from texts
    left join summed
        on texts.text_id = summed.text_id
)

select
    text_id,
    source_loaded_at,
    matched_words,
    sentiment_score,
    {{ sentiment_label('sentiment_score') }} as sentiment_label,
    current_timestamp as built_at
from scored
