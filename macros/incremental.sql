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
    columns that hold them), and when it last wrote a row. -#}
{% macro last_build(loaded_at, extract_date) -%}
    select
        {{ newest_load(loaded_at, extract_date) }},
        max(built_at) as built_at
    from {{ this }}
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

{#- The `key` of every row of `relation` (staging rows, or a union of their columns with
    built_at) that staging wrote since the model's last build: the records loaded since, and
    those that fell back to an earlier version because an extract was loaded again without
    their newest one. Reads the `built` CTE (last_build). -#}
{% macro restaged_since_build(relation, key) -%}
    select {{ key }} from {{ relation }}
    where built_at > (select built.built_at from built)
{%- endmacro %}

{#- Whether a kept row was built from a record of an extract date loaded again tonight: its
    records' extract dates span `first_date` .. `last_date`, and the extract dates loaded again
    are those of `loaded` (records loaded since the last build, with their source_extract_date)
    not after the last build's newest one (the `built` CTE, see last_build). A record such an
    extract no longer holds left staging unseen, so the row's key is recomputed. False on a
    night of new extract dates only. Scalar comparisons, not `exists (...)`: DuckDB 2.0 never
    returns from an uncorrelated EXISTS over a CTE that the same union also semi-joins once the
    CTE holds a few million rows (every extract loaded again: all its threads wait, like
    duckdb/duckdb#24961); see tests/test_incremental_macros.py. -#}
{% macro built_from_a_reloaded_extract(first_date, last_date, loaded) -%}
    {{ first_date }} <= (
        select max({{ loaded }}.source_extract_date) from {{ loaded }}
        where {{ loaded }}.source_extract_date <= (select built.extract_date from built)
    )
    and {{ last_date }} >= (select min({{ loaded }}.source_extract_date) from {{ loaded }})
{%- endmacro %}

{#- Every record behind the tickets (the ticket record, its events) with its ticket, load time,
    extract date and staging time: what the models incremental by ticket were built from. -#}
{% macro ticket_records() -%}
    {%- for staged in ['stg_tickets__tickets', 'stg_tickets__ticket_events'] %}
        select
            ticket_id,
            source_loaded_at,
            source_extract_date,
            built_at
        from {{ ref(staged) }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
