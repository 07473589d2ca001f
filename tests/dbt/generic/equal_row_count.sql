{#- Row-count conservation: the model has exactly as many rows as the compared relation. -#}
{% test equal_row_count(model, compare_model) %}
with counts as (
    select
        (select count(*) from {{ model }}) as model_rows,
        (select count(*) from {{ compare_model }}) as compared_rows
)

select *
from counts
where model_rows <> compared_rows
{% endtest %}
