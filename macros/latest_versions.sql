{#- Extracts repeat records: keep one row per `key` (the model's unique_key), the newest version.
    Without a version column (immutable records) the copy from the newest extract is kept.
    Most keys arrive once; only the keys that arrive more than once are ranked, which spares
    sorting the whole table by key (at a million customers the window over every row spilled).
    An incremental run ranks again only the keys whose versions may have changed (see
    changed_keys), reading their versions from the raw table once; the others keep their row. -#}
{% macro latest_versions(relation, key, version_column=none) -%}
    with
    {% if is_incremental() -%}
        changed_keys as (
            {{ changed_keys(relation, key) }}
        ),

        versions as materialized (
            select * from {{ relation }} semi join changed_keys using ({{ key }})
        ),
    {%- endif %}
    {%- set versions = 'versions' if is_incremental() else relation %}

    repeated_keys as (
        select {{ key }} from {{ versions }} group by {{ key }} having count(*) > 1
    )

    select * from {{ versions }} anti join repeated_keys using ({{ key }})
    union all
    (
        select * from {{ versions }} semi join repeated_keys using ({{ key }})
        qualify row_number() over (
            partition by {{ key }}
            order by
                {% if version_column %}{{ version_column }} desc, {% endif -%}
                _extract_date desc, _source_file desc, _source_line desc
        ) = 1
    )
{%- endmacro %}

{#- Keys whose newest version may have changed since the model was built: keys of rows loaded
    since then, and keys whose kept version came from a load that is gone (ingesting an extract
    date again replaces all its rows, under a new load time). -#}
{% macro changed_keys(relation, key) -%}
    select {{ key }} from {{ relation }}
    where _loaded_at > (
        select coalesce(max(source_loaded_at), '-infinity'::timestamptz) from {{ this }}
    )
    union
    select kept.{{ key }} from {{ this }} as kept
    where (kept.source_extract_date, kept.source_loaded_at) in ({{ gone_loads(relation) }})
{%- endmacro %}

{#- The loads (extract date, load time) the model's rows came from that the raw table no longer
    holds: the extract date was ingested again. Both sides are a few hundred distinct pairs, so
    a night without reloads finds none without reading the model's rows one by one. -#}
{% macro gone_loads(relation) -%}
    select distinct source_extract_date, source_loaded_at from {{ this }}
    except
    {{ extract_loads(relation) }}
{%- endmacro %}

{#- Each extract date of a raw table with the time it was loaded. -#}
{% macro extract_loads(relation) -%}
    select distinct _extract_date, _loaded_at from {{ relation }}
{%- endmacro %}

{#- Post-hook of the staging models: a kept row whose load is gone and whose key no raw row
    holds any more (an extract loaded again without it) leaves the model, as in a full build.
    Each staging model reads one source. -#}
{% macro drop_vanished_versions() -%}
    {%- if execute -%}
        {%- if model.sources | length != 1 -%}
            {{ exceptions.raise_compiler_error(
                model.name ~ " reads " ~ model.sources | length ~ " sources; a staging model reads one"
            ) }}
        {%- endif -%}
        delete from {{ this }}
        where (source_extract_date, source_loaded_at) in (
            {{ gone_loads(source(*model.sources[0])) }}
        )
    {%- endif -%}
{%- endmacro %}

{#- The lineage columns every staging model carries from its raw table, and when the build wrote
    the row (`built_at`: a night's tests read the rows it wrote, see get_where_subquery). -#}
{% macro source_lineage(prefix='') -%}
    {{ prefix }}_extract_date as source_extract_date,
    {{ prefix }}_source_file as source_file,
    {{ prefix }}_source_line as source_line,
    {{ prefix }}_loaded_at as source_loaded_at,
    current_timestamp as built_at
{%- endmacro %}

{#- Aggregate columns over a group of rows: when the newest was loaded, and the newest
    extract date (by default from their source_lineage columns). -#}
{% macro newest_load(loaded_at='source_loaded_at', extract_date='source_extract_date') -%}
    max({{ loaded_at }}) as loaded_at,
    max({{ extract_date }}) as extract_date
{%- endmacro %}

{#- Aggregate columns over the records behind a row (their source_lineage columns): when the
    newest was loaded, and the first and newest extract dates, which tell whether the row was
    built from an extract loaded again (built_from_a_reloaded_extract). -#}
{% macro load_span() -%}
    {{ newest_load() }},
    min(source_extract_date) as first_extract_date
{%- endmacro %}
