{#- The id of a text that sentiment scores (int_sentiment_lexicon_scores): its kind - response
    (a survey comment), ticket (a ticket's description) or event (a ticket message) - and the
    key of its record. -#}
{% macro text_id(kind, key) -%}
    '{{ kind }}:' || {{ key }}
{%- endmacro %}
