{#- One profile per persona: size, value, satisfaction (last 12 months), churn, preferred
    channels, top contact reasons and journey-stage mix. -#}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

labels as (
    select * from {{ ref('personas') }}
),

sizes as (
    select
        persona,
        count(*) as customers,
        count(*) filter (where order_count > 0) as buyers,
        sum(historical_clv_eur) as net_revenue_eur,
        avg(historical_clv_eur) filter (where order_count > 0) as average_historical_clv_eur,
        avg(predicted_clv_eur) filter (where order_count > 0) as average_predicted_clv_eur,
        sum(predicted_clv_eur) as total_predicted_clv_eur,
        avg(average_order_value_eur) as average_order_value_eur,
        avg(purchase_frequency_per_year) filter (where order_count > 0)
            as purchase_frequency_per_year,
        avg(is_lapsed::int) filter (where order_count > 0) as lapsed_share,
        avg(health_score) as average_health_score,
        avg(contacts_per_order) filter (where order_count > 0) as contacts_per_order
    from customers
    group by persona
),

recent_months as (
    select period_values.*
    from {{ ref('int_kpi_period_values') }} as period_values
    cross join as_of
    where
        period_values.period_grain = 'month'
        and period_values.slice_type = 'persona'
        and period_values.period_start >= date_trunc('month', as_of.as_of_date) - interval 12 month
),

top_purchase_channels as (
    {{ most_frequent_per('customers', 'persona', 'preferred_purchase_channel') }}
),

top_support_channels as (
    {{ most_frequent_per('customers', 'persona', 'preferred_support_channel') }}
),

experience as (
    select
        slice_value as persona,
        sum(observations) filter (where kpi = 'nps')::bigint as nps_answers,
        {{ nps(
            "sum(promoters) filter (where kpi = 'nps')",
            "sum(detractors) filter (where kpi = 'nps')",
            "sum(observations) filter (where kpi = 'nps')"
        ) }} as nps,
        {{ nps_margin_of_error(
            "sum(promoters) filter (where kpi = 'nps')",
            "sum(detractors) filter (where kpi = 'nps')",
            "sum(observations) filter (where kpi = 'nps')"
        ) }} as nps_margin_of_error,
        sum(value * observations) filter (where kpi = 'csat')
        / sum(observations) filter (where kpi = 'csat') as csat,
        sum(value * observations) filter (where kpi = 'ces')
        / sum(observations) filter (where kpi = 'ces') as ces,
        sum(value * observations) filter (where kpi = 'sentiment')
        / sum(observations) filter (where kpi = 'sentiment') as mean_sentiment
    from recent_months
    group by slice_value
),

churn as (
    select
        persona,
        monthly_churn_rate
    from {{ ref('int_customer_churn_rates') }}
),

reasons as (
    select
        persona,
        list(contact_reason order by reason_rank) as top_contact_reasons
    from {{ ref('persona_contact_reasons') }}
    where reason_rank <= 3
    group by persona
)

select
    labels.persona,
    labels.label,
    labels.description,
    sizes.customers,
    sizes.buyers,
    sizes.net_revenue_eur,
    sizes.average_order_value_eur,
    sizes.purchase_frequency_per_year,
    sizes.average_historical_clv_eur,
    sizes.average_predicted_clv_eur,
    sizes.total_predicted_clv_eur,
    experience.nps,
    experience.nps_margin_of_error,
    experience.nps_answers,
    experience.csat,
    experience.ces,
    experience.mean_sentiment,
    churn.monthly_churn_rate,
    sizes.lapsed_share,
    sizes.average_health_score,
    sizes.contacts_per_order,
    top_purchase_channels.preferred_purchase_channel as top_purchase_channel,
    top_support_channels.preferred_support_channel as top_support_channel,
    sizes.customers / sum(sizes.customers) over () as share_of_customers,
    sizes.net_revenue_eur / nullif(sum(sizes.net_revenue_eur) over (), 0) as share_of_revenue,
    coalesce(reasons.top_contact_reasons, []) as top_contact_reasons
from labels
inner join sizes
    on labels.persona = sizes.persona
left join top_purchase_channels
    on labels.persona = top_purchase_channels.persona
left join top_support_channels
    on labels.persona = top_support_channels.persona
left join experience
    on labels.persona = experience.persona
left join churn
    on labels.persona = churn.persona
left join reasons
    on labels.persona = reasons.persona
