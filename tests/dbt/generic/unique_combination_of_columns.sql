{#- The columns together identify a row (the model's grain). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
{{ duplicate_keys(model, combination_of_columns) }}
{% endtest %}
