{#- A dictionary of the distinct non-null values of `column` in `relation`: each value with a
    small integer code (`<column>_code`, numbered in value order). Grouping and distinct on such
    codes hash and spill far less than on the text. -#}
{% macro value_codes(relation, column, code_type='usmallint') -%}
    select
        {{ column }},
        (row_number() over (order by {{ column }}))::{{ code_type }} as {{ column }}_code
    from (select distinct {{ column }} from {{ relation }} where {{ column }} is not null)
{%- endmacro %}
