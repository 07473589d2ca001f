{#- Like `relationships`, but allowing for late-arriving parents: only rows whose timestamp is
    more than `allowance_days` older than the newest timestamp in the model must find their
    parent. Orphans younger than that are expected to be resolved by the next extracts. -#}
{% test relationships_settled(model, column_name, to, field, timestamp_column, allowance_days=7) %}
with settled as (
    select {{ column_name }} as child_key
    from {{ model }}
    where
        {{ column_name }} is not null
        and {{ timestamp_column }} < (
            select max({{ timestamp_column }}) from {{ model }}
        ) - to_days({{ allowance_days }})
)

select settled.child_key
from settled
left join {{ to }} as parent
    on settled.child_key = parent.{{ field }}
where parent.{{ field }} is null
{% endtest %}
