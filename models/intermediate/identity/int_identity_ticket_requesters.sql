{#- Which CRM customer opened each ticket. The help desk's own customer id wins; otherwise the
    requester's normalised email, then phone, must match exactly one CRM customer. -#}
with

tickets as (
    select
        ticket_id,
        customer_id,
        requester_email,
        requester_phone_e164
    from {{ ref('stg_tickets__tickets') }}
),

customers as (
    select
        customer_id,
        email,
        phone_e164
    from {{ ref('stg_crm__customers') }}
),

unique_emails as (
    select
        email,
        any_value(customer_id) as customer_id
    from customers
    group by email
    having count(*) = 1
),

unique_phones as (
    select
        phone_e164,
        any_value(customer_id) as customer_id
    from customers
    where phone_e164 is not null
    group by phone_e164
    having count(*) = 1
),

resolved as (
    select
        tickets.ticket_id,
        tickets.requester_email,
        known.customer_id as known_customer_id,
        unique_emails.customer_id as email_customer_id,
        unique_phones.customer_id as phone_customer_id
    from tickets
    left join customers as known
        on tickets.customer_id = known.customer_id
    left join unique_emails
        on tickets.requester_email = unique_emails.email
    left join unique_phones
        on tickets.requester_phone_e164 = unique_phones.phone_e164
)

select
    ticket_id,
    coalesce(known_customer_id, email_customer_id, phone_customer_id) as customer_id,
    case
        when known_customer_id is not null then 'customer_id'
        when email_customer_id is not null then 'email'
        when phone_customer_id is not null then 'phone'
        else 'unmatched'
    end as match_rule,
    coalesce(
        known_customer_id, email_customer_id, phone_customer_id, 'email:' || requester_email
    ) as requester_key
from resolved
