{#- The value of the column of `relation` whose name `name` holds (a column or an expression),
    one of `columns`; null for any other name. Reads a wide row by a name found in data
    without unpivoting it into a long table of name x value. -#}
{% macro column_named_by(name, relation, columns) -%}
    case {{ name }}
        {%- for column in columns %}
            when '{{ column }}' then {{ relation }}.{{ column }}
        {%- endfor %}
    end
{%- endmacro %}
