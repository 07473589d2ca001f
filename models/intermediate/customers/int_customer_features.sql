{#- Everything known about each customer as of the as-of date (grain: customer). These are the
    features the persona rules, the health score and the marts read: the CRM profile and the
    customer's activity (int_customer_activity), with what moves with the as-of date alone
    (tenure, recency, yearly rates) computed here for every customer each night. -#}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

customers as (
    select * from {{ ref('stg_crm__customers') }}
),

activity as (
    select * from {{ ref('int_customer_activity') }}
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
    activity.first_order_at,
    activity.last_order_at,
    activity.second_order_at,
    activity.average_order_value_eur,
    activity.return_rate,
    activity.preferred_purchase_channel,
    activity.app_touch_share,
    activity.preferred_support_channel,
    activity.latest_nps,
    activity.latest_csat,
    activity.latest_ces,
    activity.mean_sentiment,
    activity.order_count,
    activity.net_revenue_eur,
    activity.discount_order_share,
    activity.app_order_share,
    activity.in_store_order_share,
    activity.touch_count,
    activity.ticket_count,
    activity.recent_ticket_count,
    activity.recent_friction_tickets,
    activity.survey_response_count,
    activity.negative_text_count,
    activity.lapse_count,
    activity.is_lapsed,
    activity.lapsed_at,
    case when customers.has_business_profile then 'business' else 'consumer' end as segment,
    activity.order_count
    / greatest(date_diff('day', customers.created_at, as_of.as_of_end) / 365.25, 0.25)
        as orders_per_active_year,
    activity.order_count
    / greatest(date_diff('day', activity.first_order_at, as_of.as_of_end) / 365.25, 0.25)
        as purchase_frequency_per_year,
    date_diff('day', customers.created_at, as_of.as_of_end) as tenure_days,
    date_diff('day', activity.last_order_at, as_of.as_of_end) as days_since_last_order,
    activity.ticket_count / greatest(activity.order_count, 1) as contacts_per_order
from customers
cross join as_of
inner join activity
    on customers.customer_id = activity.customer_id
