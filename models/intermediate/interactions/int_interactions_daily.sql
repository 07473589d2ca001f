{{
    config(
        materialized='incremental',
        unique_key='occurred_date',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}
{#- The interaction stream counted per day and channel: volume, distinct customers, support
    contacts, orders and marketing touches. Incremental like int_interactions, whose rows
    before its lookback window never change: a night recounts the days of that window. -#}
select
    occurred_date,
    channel,
    count(*) as interactions,
    count(distinct customer_id) as unique_customers,
    count(*) filter (where interaction_kind in ('ticket_created', 'ticket_customer_reply'))
        as support_contacts,
    count(*) filter (where interaction_kind in ('first_order', 'repeat_order')) as orders,
    count(*) filter (where starts_with(interaction_kind, 'touch_')) as marketing_touches,
    current_timestamp as built_at
from {{ ref('int_interactions') }}
{% if is_incremental() -%}
    where occurred_date >= {{ lookback_start('occurred_date') }}
{%- endif %}
group by all
