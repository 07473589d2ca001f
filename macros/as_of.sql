{#- The day the warehouse describes: the `as_of_date` var, or else the newest extract date
    loaded. "Now" in every recency, lapse and backlog calculation is the end of that day. -#}
{% macro as_of_date() -%}
    (select max(as_of_date) from {{ ref('int_as_of_date') }})
{%- endmacro %}

{% macro as_of_end() -%}
    (select max(as_of_end) from {{ ref('int_as_of_date') }})
{%- endmacro %}
