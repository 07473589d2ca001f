{#- Extracts repeat records: keep one row per key, the newest version. Without a version column
    (immutable records) the copy from the newest extract is kept. -#}
{% macro latest_version(key, version_column=none) -%}
    qualify row_number() over (
        partition by {{ key }}
        order by
            {% if version_column %}{{ version_column }} desc, {% endif -%}
            _extract_date desc, _source_file desc, _source_line desc
    ) = 1
{%- endmacro %}
