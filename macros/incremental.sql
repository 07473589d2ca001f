{#- First value of `column` an incremental run reprocesses: the newest value already in the
    model minus `incremental_lookback_days`, so late-arriving records are absorbed. -#}
{% macro lookback_start(column) -%}
    (select max({{ column }}) - {{ var('incremental_lookback_days') }} from {{ this }})
{%- endmacro %}

{#- Post-hook of the models incremental by a parent key (a customer, a ticket): a row whose
    `key` left `relation` (an extract loaded again without it) leaves the model, also when
    nothing recomputed replaces its rows. -#}
{% macro drop_rows_gone_from(relation, key) -%}
    delete from {{ this }} as kept
    where not exists (
        select 1 from {{ relation }} as current
        where current.{{ key }} = kept.{{ key }}
    )
{%- endmacro %}
