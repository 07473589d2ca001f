{#- First value of `column` an incremental run reprocesses: the newest value already in the
    model minus `incremental_lookback_days`, so late-arriving records are absorbed. -#}
{% macro lookback_start(column) -%}
    (select max({{ column }}) - {{ var('incremental_lookback_days') }} from {{ this }})
{%- endmacro %}

{#- Post-hook of int_orders_enriched: an order that left staging (an extract loaded again
    without it) leaves the model, also when none of its customer's orders is left to replace
    its rows. -#}
{% macro drop_orders_gone_from_staging() -%}
    delete from {{ this }} as kept
    where not exists (
        select 1 from {{ ref('stg_orders__orders') }} as staged
        where staged.order_id = kept.order_id
    )
{%- endmacro %}
