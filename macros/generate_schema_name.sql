{#- Models land in the schema their folder names (staging, intermediate, marts, reference),
    not in "<target schema>_<name>": one build database holds one warehouse. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
