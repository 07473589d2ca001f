{{
    config(
        materialized='incremental',
        unique_key='customer_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where journey_stage is null"
    )
}}
-- depends_on: {{ changed_customers_dependencies() }}
{#- Every entry of every customer into a journey stage (grain: customer x stage x entry), as
    defined in the journey_stages seed. Stages are entered once, except retention (entered again
    by an order that ends a lapse) and lapsed (entered at every lapse).
    Incremental by customer (each entry depends on the customer's other records): a night
    recomputes the customers with a record loaded since the last build, every customer the
    record ever had and those whose tickets identity resolution may have moved
    (int_customer_record_changes), and those with an entry between the last
    build's as-of date and tonight's (a lapse reached, a record dated ahead). Every customer is
    recomputed when the as-of date moves back.
    A customer left without entries gets a row without a stage that the post-hook deletes, so
    delete+insert removes their old entries. A changed journey_stages or touchpoint_stages seed
    needs `--full-refresh`. -#}
{%- set reenterable_stages = "('retention', 'lapsed')" %}
{%- set is_recomputed_customer = is_wanted_by('customer_id', 'recomputed_customers') %}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

{% if is_incremental() -%}
    {{ last_customer_build_ctes() }}

    recomputed_customers as (
        {{ customers_changed_since_build() }}
        union
        {{ customers_dated_since_last_build([
            (ref('stg_crm__customers'), 'created_at'),
            (ref('stg_crm__touchpoints'), 'occurred_at'),
            (
                ref('int_orders_enriched'),
                'greatest(ordered_at, delivered_at, first_return_requested_at)',
            ),
            (ref('int_support_ticket_timeline'), 'created_at'),
            (ref('int_customer_active_periods'), 'greatest(started_at, lapsed_at)'),
            (ref('stg_surveys__responses'), 'responded_at'),
        ]) }}
        union
        {{ every_customer_when_recomputing_everyone() }}
    ),
{%- endif %}

customers as (
    select
        customer_id,
        created_at
    from {{ ref('stg_crm__customers') }}
    where {{ is_recomputed_customer }}
),

touchpoints as (
    select
        customer_id,
        occurred_at,
        touchpoint_type
    from {{ ref('stg_crm__touchpoints') }}
    where {{ is_recomputed_customer }}
),

touches as (
    select
        touches.customer_id,
        touches.occurred_at,
        touches.touchpoint_type,
        stages.journey_stage
    from touchpoints as touches
    inner join {{ ref('touchpoint_stages') }} as stages
        on touches.touchpoint_type = stages.touchpoint_type
),

orders as (
    select
        customer_id,
        order_id,
        ordered_at,
        delivered_at,
        customer_order_number,
        first_return_requested_at
    from {{ ref('int_orders_enriched') }}
    where not is_cancelled and {{ is_recomputed_customer }}
),

tickets as (
    select
        customer_id,
        created_at
    from {{ ref('int_support_ticket_timeline') }}
    where {{ is_recomputed_customer }}
),

active_periods as (
    select
        customer_id,
        started_at,
        start_reason,
        lapsed_at
    from {{ ref('int_customer_active_periods') }}
    where {{ is_recomputed_customer }}
),

promoter_answers as (
    select
        customer_id,
        responded_at
    from {{ ref('stg_surveys__responses') }}
    where survey_type = 'nps' and {{ is_promoter('score') }} and {{ is_recomputed_customer }}
),

first_orders as (
    select
        customer_id,
        ordered_at as first_order_at
    from orders
    where customer_order_number = 1
),

entries as (
    select
        customer_id,
        'awareness' as journey_stage,
        created_at as entered_at,
        'crm_record_created' as entry_signal
    from customers

    union all

    select
        customer_id,
        journey_stage,
        occurred_at as entered_at,
        'touch_' || touchpoint_type as entry_signal
    from touches
    where journey_stage in ('awareness', 'consideration', 'advocacy')

    union all

    select
        customer_id,
        'purchase' as journey_stage,
        ordered_at as entered_at,
        'first_order' as entry_signal
    from orders
    where customer_order_number = 1

    union all

    select
        orders.customer_id,
        'post_purchase' as journey_stage,
        orders.delivered_at as entered_at,
        'delivery' as entry_signal
    from orders
    where orders.delivered_at is not null

    union all

    select
        orders.customer_id,
        'post_purchase' as journey_stage,
        orders.first_return_requested_at as entered_at,
        'return_request' as entry_signal
    from orders
    where orders.first_return_requested_at is not null

    union all

    select
        tickets.customer_id,
        'post_purchase' as journey_stage,
        tickets.created_at as entered_at,
        'support_contact' as entry_signal
    from tickets
    inner join first_orders
        on
            tickets.customer_id = first_orders.customer_id
            and tickets.created_at >= first_orders.first_order_at

    union all

    select
        customer_id,
        'retention' as journey_stage,
        ordered_at as entered_at,
        'second_order' as entry_signal
    from orders
    where customer_order_number = 2

    union all

    select
        customer_id,
        'retention' as journey_stage,
        started_at as entered_at,
        'reactivation' as entry_signal
    from active_periods
    where start_reason = 'reactivation'

    union all

    select
        customer_id,
        'advocacy' as journey_stage,
        responded_at as entered_at,
        'promoter_answer' as entry_signal
    from promoter_answers

    union all

    select
        customer_id,
        'lapsed' as journey_stage,
        lapsed_at as entered_at,
        'lapse' as entry_signal
    from active_periods
    where lapsed_at is not null
),

earliest_entries as (
    {#- The first entry of each stage (the earliest; on a tie, the first signal by name); every
        distinct entry of the stages one can re-enter. An aggregate, not a row_number window:
        it need not sort the entries. -#}
    select
        entries.customer_id,
        entries.journey_stage,
        min({ 'entered_at': entries.entered_at, 'entry_signal': entries.entry_signal })
            as first_entry
    from entries
    cross join as_of
    where entries.entered_at < as_of.as_of_end
    group by
        entries.customer_id,
        entries.journey_stage,
        case when entries.journey_stage in {{ reenterable_stages }} then entries.entered_at end
),

first_entries as (
    select
        earliest_entries.customer_id,
        earliest_entries.journey_stage,
        stages.stage_order,
        earliest_entries.first_entry['entered_at'] as entered_at,
        earliest_entries.first_entry['entry_signal'] as entry_signal
    from earliest_entries
    inner join {{ ref('journey_stages') }} as stages
        on earliest_entries.journey_stage = stages.stage
),

{# Only the stages one can re-enter are numbered by a window: every other entry is the first. #}
numbered_entries as (
    select
        customer_id,
        journey_stage,
        stage_order,
        entered_at,
        entry_signal,
        1::bigint as entry_number
    from first_entries
    where journey_stage not in {{ reenterable_stages }}

    union all

    select
        customer_id,
        journey_stage,
        stage_order,
        entered_at,
        entry_signal,
        row_number() over (partition by customer_id, journey_stage order by entered_at)
            as entry_number
    from first_entries
    where journey_stage in {{ reenterable_stages }}
    {% if is_incremental() %}

        union all

        select
            recomputed_customers.customer_id,
            null as journey_stage,
            null as stage_order,
            null as entered_at,
            null as entry_signal,
            null as entry_number
        from recomputed_customers
        anti join first_entries
            on recomputed_customers.customer_id = first_entries.customer_id
    {% endif %}
)

select
    numbered_entries.*,
    as_of.as_of_end as built_as_of_end,
    current_timestamp as built_at
from numbered_entries
cross join as_of
