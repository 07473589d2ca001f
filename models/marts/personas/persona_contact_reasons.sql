{#- Why each persona contacts support (pain points): tickets per contact reason, share and rank. -#}
with

counts as (
    select
        customers.persona,
        tickets.category as contact_reason,
        count(*) as tickets
    from {{ ref('int_support_ticket_timeline') }} as tickets
    inner join {{ ref('dim_customers') }} as customers
        on tickets.customer_id = customers.customer_id
    group by all
)

select
    persona,
    contact_reason,
    tickets,
    tickets / sum(tickets) over (partition by persona) as share_of_tickets,
    row_number()
        over (partition by persona order by tickets desc, contact_reason asc)
        as reason_rank
from counts
