{#- dbt's own `unique` test, grouping by a hash of the column first (duplicate_keys). -#}
{% test unique(model, column_name) %}
{{ duplicate_keys(model, [column_name], where=column_name ~ ' is not null') }}
{% endtest %}
