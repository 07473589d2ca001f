{#- First value of `column` an incremental run reprocesses: the newest value already in the
    model minus `incremental_lookback_days`, so late-arriving records are absorbed. -#}
{% macro lookback_start(column) -%}
    (select max({{ column }}) - {{ var('incremental_lookback_days') }} from {{ this }})
{%- endmacro %}

{#- Post-hook of the models that recompute only some keys (a customer, a ticket, a text): a
    row whose `key` left `relation` (an extract loaded again without it), or left the rows of
    `relation` meeting `where`, leaves the model, also when nothing recomputed replaces its
    rows. -#}
{% macro drop_rows_gone_from(relation, key, where=none) -%}
    delete from {{ this }} as kept
    where not exists (
        select 1 from {{ relation }} as current
        where current.{{ key }} = kept.{{ key }}{% if where %} and ({{ where }}){% endif %}
    )
{%- endmacro %}

{#- The `built` CTE of a model incremental by a parent key: the newest load time and extract
    date among the records it was last built from (`loaded_at`, `extract_date`: the model's
    columns that hold them). -#}
{% macro last_build(loaded_at, extract_date) -%}
    select {{ newest_load(loaded_at, extract_date) }} from {{ this }}
{%- endmacro %}

{#- The `built` CTE of a model whose rows carry built_at and built_as_of_end: when it was last
    built, and for which as-of end. -#}
{% macro last_build_and_as_of_end() -%}
    select
        max(built_at) as built_at,
        max(built_as_of_end) as as_of_end
    from {{ this }}
{%- endmacro %}

{#- The `key` and extract date of every row of `relation` (with source_lineage columns) loaded
    since the last build. Reads the `built` CTE (last_build). -#}
{% macro loaded_since_build(relation, key) -%}
    select
        {{ key }},
        source_extract_date
    from {{ relation }}
    where source_loaded_at > (select built.loaded_at from built)
{%- endmacro %}

{#- Whether a record loaded since the last build (a row of `loaded`, with its
    source_extract_date) belongs to an extract date already built: that extract was loaded
    again, a record it no longer holds left staging unseen, so every parent key is recomputed.
    Reads the `built` CTE (last_build). A scalar comparison, not `exists (...)`: DuckDB 2.0
    never returns from an uncorrelated EXISTS over a CTE that the same union also semi-joins
    once the CTE holds a few million rows (every extract loaded again: all its threads wait,
    like duckdb/duckdb#24961); see tests/test_incremental_macros.py. -#}
{% macro reloads_a_built_extract(loaded) -%}
    (select min({{ loaded }}.source_extract_date) from {{ loaded }})
    <= (select built.extract_date from built)
{%- endmacro %}

{#- Every record behind the tickets (the ticket record, its events) with its ticket, load time
    and extract date: what the models incremental by ticket were built from. -#}
{% macro ticket_records() -%}
    {%- for staged in ['stg_tickets__tickets', 'stg_tickets__ticket_events'] %}
        select
            ticket_id,
            source_loaded_at,
            source_extract_date
        from {{ ref(staged) }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
