{#- One row: the day the warehouse describes (see the as_of_date macro). -#}
with

newest_extracts as (
    {%- for source_name, table_name in [
        ('crm', 'customers'), ('crm', 'touchpoints'), ('orders', 'orders'),
        ('orders', 'order_items'), ('orders', 'returns'), ('tickets', 'tickets'),
        ('tickets', 'ticket_events'), ('tickets', 'agents'), ('surveys', 'invitations'),
        ('surveys', 'responses')
    ] %}
        select max(_extract_date) as extract_date from {{ source(source_name, table_name) }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

chosen as (
    select
        {% if var('as_of_date') -%}
            date '{{ var("as_of_date") }}'
        {%- else -%}
            max(extract_date)
        {%- endif %} as as_of_date
    from newest_extracts
)

select
    as_of_date,
    (as_of_date + interval 1 day)::timestamp as as_of_end
from chosen
