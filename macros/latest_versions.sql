{#- Extracts repeat records: keep one row per key, the newest version. Without a version column
    (immutable records) the copy from the newest extract is kept.
    Most keys arrive once; only the keys that arrive more than once are ranked, which spares
    sorting the whole table by key (at a million customers the window over every row spilled). -#}
{% macro latest_versions(relation, key, version_column=none) -%}
    with repeated_keys as (
        select {{ key }} from {{ relation }} group by {{ key }} having count(*) > 1
    )

    select * from {{ relation }} anti join repeated_keys using ({{ key }})
    union all
    (
        select * from {{ relation }} semi join repeated_keys using ({{ key }})
        qualify row_number() over (
            partition by {{ key }}
            order by
                {% if version_column %}{{ version_column }} desc, {% endif -%}
                _extract_date desc, _source_file desc, _source_line desc
        ) = 1
    )
{%- endmacro %}
