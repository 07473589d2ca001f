{{
    config(
        materialized='incremental',
        unique_key='customer_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where period_number is null"
    )
}}
-- depends_on: {{ changed_customers_dependencies() }}
{#- Periods in which a customer is active (grain: customer x period). A period starts with the
    first order, or with an order that ends a lapse (reactivation); it ends - the customer lapses -
    `lapse_window_days` after an order that no further order follows within that window. A period
    still running has no lapsed_at.
    Incremental by customer: a night recomputes the customers marked by
    int_customer_record_changes, those whose enriched orders were rewritten and those whose
    last order lapses from the last build's as-of end to tonight's; every customer when the
    as-of date moves back. A customer left
    without orders gets a row without a period that the post-hook deletes, so delete+insert
    removes their old periods. -#}
{%- set is_recomputed_customer = is_wanted_by('customer_id', 'recomputed_customers') %}
with

lapse_window as (
    select to_days({{ var('lapse_window_days') }}) as span
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

{% if is_incremental() -%}
    {{ last_customer_build_ctes() }}

    recomputed_customers as (
        {{ customers_changed_since_build() }}
        union
        {{ customers_rebuilt_since_this_build(
            ref('int_orders_enriched'), '(select built.built_at from built)'
        ) }}
        union
        select orders.customer_id
        from {{ ref('int_orders_enriched') }} as orders
        cross join lapse_window
        where
            orders.ordered_at + lapse_window.span >= (select built.as_of_end from built)
            and orders.ordered_at + lapse_window.span <= (select as_of.as_of_end from as_of)
        union
        {{ every_customer_when_recomputing_everyone() }}
    ),
{%- endif %}

orders as (
    select
        customer_id,
        order_id,
        ordered_at,
        lag(ordered_at) over by_customer as previous_ordered_at,
        lead(ordered_at) over by_customer as next_ordered_at
    from {{ ref('int_orders_enriched') }}
    where not is_cancelled and {{ is_recomputed_customer }}
    window by_customer as (partition by customer_id order by ordered_at, order_id)
),

starts as (
    select
        orders.customer_id,
        orders.ordered_at as started_at,
        case when orders.previous_ordered_at is null then 'first_order' else 'reactivation' end
            as start_reason,
        row_number() over (partition by orders.customer_id order by orders.ordered_at)
            as period_number
    from orders
    cross join lapse_window
    where
        orders.previous_ordered_at is null
        or orders.ordered_at > orders.previous_ordered_at + lapse_window.span
),

ends as (
    select
        orders.customer_id,
        orders.ordered_at as last_order_at,
        orders.ordered_at + lapse_window.span as lapsed_at,
        row_number() over (partition by orders.customer_id order by orders.ordered_at)
            as period_number
    from orders
    cross join lapse_window
    where
        (
            orders.next_ordered_at is null
            and orders.ordered_at + lapse_window.span <= {{ as_of_end() }}
        )
        or orders.next_ordered_at > orders.ordered_at + lapse_window.span
),

periods as (
    select
        starts.customer_id,
        starts.period_number,
        starts.started_at,
        starts.start_reason,
        ends.last_order_at,
        ends.lapsed_at
    from starts
    left join ends
        on
            starts.customer_id = ends.customer_id
            and starts.period_number = ends.period_number
    {% if is_incremental() -%}
        union all
        select
            recomputed.customer_id,
            null as period_number,
            null as started_at,
            null as start_reason,
            null as last_order_at,
            null as lapsed_at
        from recomputed_customers as recomputed
        anti join starts
            on recomputed.customer_id = starts.customer_id
    {%- endif %}
)

select
    periods.*,
    as_of.as_of_end as built_as_of_end,
    current_timestamp as built_at
from periods
cross join as_of
