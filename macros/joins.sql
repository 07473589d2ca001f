{#- Join condition: each of `columns` equal in the relations `left` and `right`. -#}
{% macro columns_match(left, right, columns) -%}
    {%- for column in columns -%}
        {{ 'and ' if not loop.first }}{{ left }}.{{ column }} = {{ right }}.{{ column }}
        {{- ' ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
