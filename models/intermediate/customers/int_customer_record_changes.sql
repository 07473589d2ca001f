{{
    config(
        materialized='incremental',
        unique_key='customer_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ record_search_dependencies() }}
{#- The last build that found a change in each customer's records (grain: customer; built_at:
    when that build ran). A night marks the customers with a record loaded since its last build,
    every customer the record ever had, and those whose tickets identity resolution may have
    moved (customers_with_records_loaded_since_build); a full build marks every customer any
    record ever had. The models incremental by customer recompute the customers marked since
    their own last build (customers_changed_since_build), so the search over the raw versions of
    the records runs once a night, however many models read it. built_at only moves forward: a
    model that missed a night still finds the customers of both. #}
with

{% if is_incremental() -%}
    built as (
        select max(built_at) as built_at from {{ this }}
    ),

    changed as (
        {{ customers_with_records_loaded_since_build() }}
    )
{%- else -%}
    {#- Staging and identity resolution pass customer ids through unchanged: the CRM's and the
        help desk's raw versions hold every id the staged customers and the tickets' timeline
        can have. #}
    changed as (
        {%- for relation in [
            source('crm', 'customers'), source('crm', 'touchpoints'), source('orders', 'orders'),
            source('surveys', 'invitations'), source('surveys', 'responses'),
            source('tickets', 'tickets'),
        ] %}
            select customer_id from {{ relation }}
            {% if not loop.last %}union{% endif %}
        {%- endfor %}
    )
{%- endif %}

select
    customer_id,
    current_timestamp as built_at
from changed
where customer_id is not null
