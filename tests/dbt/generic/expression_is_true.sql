{#- Every row satisfies the SQL expression (rows where it is NULL pass, as in dbt_utils). -#}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
