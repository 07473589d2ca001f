{#- Everything known about each customer as of the as-of date (grain: customer). These are the
    features the persona rules, the health score and the marts read. -#}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

orders as (
    select * from {{ ref('int_orders_enriched') }}
    where not is_cancelled and ordered_at < {{ as_of_end() }}
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

tickets as (
    select
        timeline.customer_id,
        timeline.created_at,
        timeline.channel,
        timeline.reopen_count,
        metrics.is_first_response_sla_met,
        metrics.is_channel_switch_away
    from {{ ref('int_support_ticket_timeline') }} as timeline
    inner join {{ ref('int_support_ticket_metrics') }} as metrics
        on timeline.ticket_id = metrics.ticket_id
    where timeline.customer_id is not null and timeline.created_at < {{ as_of_end() }}
),

support_features as (
    select
        tickets.customer_id,
        count(*) as ticket_count,
        count(*) filter (where tickets.created_at >= as_of.as_of_end - interval 180 day)
            as recent_ticket_count,
        count(*) filter (
            where tickets.created_at >= as_of.as_of_end - interval 180 day
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

touch_features as (
    select
        customer_id,
        count(*) as touch_count,
        {{ safe_divide(
            "count(*) filter (where channel = 'mobile_app')",
            "count(*) filter (where channel in ('web', 'mobile_app'))"
        ) }} as app_touch_share
    from {{ ref('stg_crm__touchpoints') }}
    where occurred_at < {{ as_of_end() }}
    group by customer_id
),

preferred_support_channels as (
    {{ most_frequent_per('tickets', 'customer_id', 'channel') }}
),

answers as (
    select
        customer_id,
        survey_type,
        score,
        responded_at
    from {{ ref('stg_surveys__responses') }}
    where responded_at < {{ as_of_end() }}
),

survey_features as (
    select
        customer_id,
        arg_max(score, responded_at) filter (where survey_type = 'nps') as latest_nps,
        arg_max(score, responded_at) filter (where survey_type = 'csat') as latest_csat,
        arg_max(score, responded_at) filter (where survey_type = 'ces') as latest_ces,
        count(*) as survey_response_count
    from answers
    group by customer_id
),

sentiment_features as (
    select
        customer_id,
        avg(sentiment_score) as mean_sentiment,
        count(*) filter (where sentiment_label = 'negative') as negative_text_count,
        count(*) as text_count
    from {{ ref('int_sentiment_scores') }}
    where author_type = 'customer' and customer_id is not null
    group by customer_id
),

lapses as (
    select
        customer_id,
        count(lapsed_at) as lapse_count,
        arg_max(lapsed_at, period_number) as latest_lapsed_at,
        arg_max(lapsed_at is not null, period_number) as is_lapsed
    from {{ ref('int_customer_active_periods') }}
    group by customer_id
)

select
    customers.customer_id,
    customers.created_at,
    customers.country_code,
    customers.region,
    customers.language,
    customers.has_business_profile,
    customers.acquisition_channel,
    customers.preferred_contact_channel,
    customers.is_marketing_opt_in,
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
    case when customers.has_business_profile then 'business' else 'consumer' end as segment,
    coalesce(order_features.order_count, 0) as order_count,
    coalesce(order_features.net_revenue_eur, 0) as net_revenue_eur,
    coalesce(order_features.order_count, 0)
    / greatest(date_diff('day', customers.created_at, as_of.as_of_end) / 365.25, 0.25)
        as orders_per_active_year,
    coalesce(order_features.order_count, 0)
    / greatest(date_diff('day', order_features.first_order_at, as_of.as_of_end) / 365.25, 0.25)
        as purchase_frequency_per_year,
    date_diff('day', customers.created_at, as_of.as_of_end) as tenure_days,
    date_diff('day', order_features.last_order_at, as_of.as_of_end) as days_since_last_order,
    coalesce(order_features.discount_order_share, 0) as discount_order_share,
    coalesce(order_features.app_order_share, 0) as app_order_share,
    coalesce(order_features.in_store_order_share, 0) as in_store_order_share,
    coalesce(touch_features.touch_count, 0) as touch_count,
    coalesce(support_features.ticket_count, 0) as ticket_count,
    coalesce(support_features.ticket_count, 0)
    / greatest(coalesce(order_features.order_count, 0), 1)
        as contacts_per_order,
    coalesce(support_features.recent_ticket_count, 0) as recent_ticket_count,
    coalesce(support_features.recent_friction_tickets, 0) as recent_friction_tickets,
    coalesce(survey_features.survey_response_count, 0) as survey_response_count,
    coalesce(sentiment_features.negative_text_count, 0) as negative_text_count,
    coalesce(lapses.lapse_count, 0) as lapse_count,
    coalesce(lapses.is_lapsed, false) as is_lapsed,
    case when lapses.is_lapsed then lapses.latest_lapsed_at end as lapsed_at
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
