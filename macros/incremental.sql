{#- First value of `column` an incremental run reprocesses: the newest value already in the
    model minus `incremental_lookback_days`, so late-arriving records are absorbed. -#}
{% macro lookback_start(column) -%}
    (select max({{ column }}) - {{ var('incremental_lookback_days') }} from {{ this }})
{%- endmacro %}
