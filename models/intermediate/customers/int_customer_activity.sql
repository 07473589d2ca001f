{{
    config(
        materialized='incremental',
        unique_key='customer_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="{{ drop_rows_gone_from(ref('stg_crm__customers'), 'customer_id') }}"
    )
}}
-- depends_on: {{ changed_customers_dependencies() }}, {{ ref('int_support_ticket_durations') }}
{#- Each CRM customer's orders, tickets, touches, survey answers, texts and lapses up to the
    as-of date, counted and summed (grain: customer): what int_customer_features reads, which
    adds what moves with the as-of date alone (tenure, recency, yearly rates).
    Incremental by customer: a night recomputes the customers marked by
    int_customer_record_changes, those whose enriched orders or sentiment scores were rewritten,
    those with an order, ticket, touch, answer or lapse dated from the last build's as-of end
    on, those with a ticket leaving the recent window or still without a first response (its
    SLA can fail with the as-of date alone); every customer when the as-of date moves back. A
    customer gone from the CRM leaves with the post-hook. -#}
{%- set recent_window = 'interval 180 day' %}
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
        {{ customers_rebuilt_since_this_build(
            ref('int_orders_enriched'), '(select built.built_at from built)'
        ) }}
        union
        {{ customers_rebuilt_since_this_build(
            ref('int_sentiment_scores'), '(select built.built_at from built)'
        ) }}
        union
        {{ customers_dated_since_last_build([
            (ref('int_orders_enriched'), 'ordered_at'),
            (ref('int_support_ticket_timeline'), 'created_at'),
            (ref('stg_crm__touchpoints'), 'occurred_at'),
            (ref('stg_surveys__responses'), 'responded_at'),
            (ref('int_customer_active_periods'), 'lapsed_at'),
        ]) }}
        union
        select timeline.customer_id
        from {{ ref('int_support_ticket_timeline') }} as timeline
        inner join {{ ref('int_support_ticket_durations') }} as durations
            on timeline.ticket_id = durations.ticket_id
        where
            timeline.created_at + {{ recent_window }} >= (select built.as_of_end from built)
            and (
                timeline.created_at + {{ recent_window }} < (select as_of.as_of_end from as_of)
                or durations.first_response_business_minutes is null
            )
        union
        {{ every_customer_when_recomputing_everyone() }}
    ),
{%- endif %}

customers as (
    select customer_id from {{ ref('stg_crm__customers') }}
    where {{ is_recomputed_customer }}
),

orders as (
    select * from {{ ref('int_orders_enriched') }}
    where not is_cancelled and ordered_at < {{ as_of_end() }} and {{ is_recomputed_customer }}
),

order_features as (
    select
        customer_id,
        count(*) as order_count,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at,
        min(ordered_at) filter (where customer_order_number = 2) as second_order_at,
        sum(net_revenue_eur) as net_revenue_eur,
        avg(merchandise_value_eur) as average_order_value_eur,
        avg(has_discount::int) as discount_order_share,
        {{ safe_divide(
            'count(*) filter (where is_returned)', 'count(*) filter (where is_delivered)'
        ) }}
            as return_rate,
        avg((sales_channel = 'mobile_app')::int) as app_order_share,
        avg((sales_channel = 'in_store')::int) as in_store_order_share
    from orders
    group by customer_id
),

preferred_purchase_channels as (
    {{ most_frequent_per('orders', 'customer_id', 'sales_channel') }}
),

customer_tickets as (
    select
        ticket_id,
        customer_id,
        created_at,
        channel,
        reopen_count
    from {{ ref('int_support_ticket_timeline') }}
    where
        customer_id is not null
        and created_at < {{ as_of_end() }}
        and {{ is_recomputed_customer }}
),

ticket_metrics as (
    {{ rows_wanted_by(
        ref('int_support_ticket_metrics'), 'customer_tickets', 'ticket_id',
        narrowed=is_incremental()
    ) }}
),

tickets as (
    select
        customer_tickets.customer_id,
        customer_tickets.created_at,
        customer_tickets.channel,
        customer_tickets.reopen_count,
        ticket_metrics.is_first_response_sla_met,
        ticket_metrics.is_channel_switch_away
    from customer_tickets
    inner join ticket_metrics
        on customer_tickets.ticket_id = ticket_metrics.ticket_id
),

support_features as (
    select
        tickets.customer_id,
        count(*) as ticket_count,
        count(*) filter (where tickets.created_at >= as_of.as_of_end - {{ recent_window }})
            as recent_ticket_count,
        count(*) filter (
            where tickets.created_at >= as_of.as_of_end - {{ recent_window }}
            and (
                tickets.reopen_count > 0
                or tickets.is_first_response_sla_met = false
                or tickets.is_channel_switch_away
            )
        ) as recent_friction_tickets
    from tickets
    cross join as_of
    group by tickets.customer_id
),

preferred_support_channels as (
    {{ most_frequent_per('tickets', 'customer_id', 'channel') }}
),

touch_features as (
    select
        customer_id,
        count(*) as touch_count,
        {{ safe_divide(
            "count(*) filter (where channel = 'mobile_app')",
            "count(*) filter (where channel in ('web', 'mobile_app'))"
        ) }} as app_touch_share
    from {{ ref('stg_crm__touchpoints') }}
    where occurred_at < {{ as_of_end() }} and {{ is_recomputed_customer }}
    group by customer_id
),

survey_features as (
    select
        customer_id,
        arg_max(score, responded_at) filter (where survey_type = 'nps') as latest_nps,
        arg_max(score, responded_at) filter (where survey_type = 'csat') as latest_csat,
        arg_max(score, responded_at) filter (where survey_type = 'ces') as latest_ces,
        count(*) as survey_response_count
    from {{ ref('stg_surveys__responses') }}
    where responded_at < {{ as_of_end() }} and {{ is_recomputed_customer }}
    group by customer_id
),

sentiment_features as (
    select
        customer_id,
        {{ exact_mean('sentiment_score') }} as mean_sentiment,
        count(*) filter (where sentiment_label = 'negative') as negative_text_count
    from {{ ref('int_sentiment_scores') }}
    where author_type = 'customer' and customer_id is not null and {{ is_recomputed_customer }}
    group by customer_id
),

lapses as (
    select
        customer_id,
        count(lapsed_at) as lapse_count,
        arg_max(lapsed_at, period_number) as latest_lapsed_at,
        arg_max(lapsed_at is not null, period_number) as is_lapsed
    from {{ ref('int_customer_active_periods') }}
    where {{ is_recomputed_customer }}
    group by customer_id
)

select
    customers.customer_id,
    order_features.first_order_at,
    order_features.last_order_at,
    order_features.second_order_at,
    order_features.average_order_value_eur,
    order_features.return_rate,
    preferred_purchase_channels.sales_channel as preferred_purchase_channel,
    touch_features.app_touch_share,
    preferred_support_channels.channel as preferred_support_channel,
    survey_features.latest_nps,
    survey_features.latest_csat,
    survey_features.latest_ces,
    sentiment_features.mean_sentiment,
    as_of.as_of_end as built_as_of_end,
    coalesce(order_features.order_count, 0) as order_count,
    coalesce(order_features.net_revenue_eur, 0) as net_revenue_eur,
    coalesce(order_features.discount_order_share, 0) as discount_order_share,
    coalesce(order_features.app_order_share, 0) as app_order_share,
    coalesce(order_features.in_store_order_share, 0) as in_store_order_share,
    coalesce(touch_features.touch_count, 0) as touch_count,
    coalesce(support_features.ticket_count, 0) as ticket_count,
    coalesce(support_features.recent_ticket_count, 0) as recent_ticket_count,
    coalesce(support_features.recent_friction_tickets, 0) as recent_friction_tickets,
    coalesce(survey_features.survey_response_count, 0) as survey_response_count,
    coalesce(sentiment_features.negative_text_count, 0) as negative_text_count,
    coalesce(lapses.lapse_count, 0) as lapse_count,
    coalesce(lapses.is_lapsed, false) as is_lapsed,
    case when lapses.is_lapsed then lapses.latest_lapsed_at end as lapsed_at,
    current_timestamp as built_at
from customers
cross join as_of
left join order_features
    on customers.customer_id = order_features.customer_id
left join touch_features
    on customers.customer_id = touch_features.customer_id
left join preferred_purchase_channels
    on customers.customer_id = preferred_purchase_channels.customer_id
left join support_features
    on customers.customer_id = support_features.customer_id
left join preferred_support_channels
    on customers.customer_id = preferred_support_channels.customer_id
left join survey_features
    on customers.customer_id = survey_features.customer_id
left join sentiment_features
    on customers.customer_id = sentiment_features.customer_id
left join lapses
    on customers.customer_id = lapses.customer_id
