{#- One row per customer: profile (no contact details), persona, current journey stage, purchase
    and support behaviour, lifetime value and health. -#}
with

features as (
    select * from {{ ref('int_customer_features') }}
),

personas as (
    select * from {{ ref('int_persona_assignments') }}
),

current_stages as (
    select
        customer_id,
        arg_max(journey_stage, state_started_at) as journey_stage,
        max(state_started_at) as journey_stage_entered_at
    from {{ ref('int_journey_stage_states') }}
    group by customer_id
),

churn_rates as (
    select * from {{ ref('int_customer_churn_rates') }}
),

weights as (
    select
        sum(weight) filter (where component = 'recency') as recency,
        sum(weight) filter (where component = 'satisfaction') as satisfaction,
        sum(weight) filter (where component = 'support_friction') as support_friction,
        sum(weight) filter (where component = 'sentiment') as sentiment
    from {{ ref('health_score_weights') }}
),

valued as (
    select
        features.*,
        personas.persona,
        current_stages.journey_stage,
        current_stages.journey_stage_entered_at,
        coalesce(persona_churn.monthly_churn_rate, overall_churn.monthly_churn_rate)
            as persona_monthly_churn_rate,
        least(
            {{ safe_divide(
                '1',
                '12 * coalesce(persona_churn.monthly_churn_rate, overall_churn.monthly_churn_rate)'
            ) }},
            {{ var('clv_max_lifetime_years') }}
        ) as persona_expected_lifetime_years,
        case
            when features.order_count = 0 then 0
            else greatest(
                1 - features.days_since_last_order / {{ var('lapse_window_days') }}, 0
            )
        end as health_recency,
        case
            when features.latest_nps is not null then features.latest_nps / 10
            when features.latest_csat is not null then (features.latest_csat - 1) / 4
            else 0.5
        end as health_satisfaction,
        {#- No recent tickets: no friction. -#}
        1 - least(
            coalesce(
                {{ safe_divide(
                    'features.recent_friction_tickets', 'features.recent_ticket_count'
                ) }},
                0
            ),
            1
        ) as health_support_friction,
        coalesce((features.mean_sentiment + 1) / 2, 0.5) as health_sentiment
    from features
    inner join personas
        on features.customer_id = personas.customer_id
    left join current_stages
        on features.customer_id = current_stages.customer_id
    left join churn_rates as persona_churn
        on personas.persona = persona_churn.persona
    left join churn_rates as overall_churn
        on overall_churn.persona = 'all'
),

scored as (
    select
        valued.*,
        100 * (
            weights.recency * valued.health_recency
            + weights.satisfaction * valued.health_satisfaction
            + weights.support_friction * valued.health_support_friction
            + weights.sentiment * valued.health_sentiment
        ) as health_score
    from valued
    cross join weights
)

select
    customer_id,
    created_at,
    country_code,
    region,
    language,
    segment,
    acquisition_channel,
    preferred_contact_channel,
    is_marketing_opt_in,
    persona,
    journey_stage,
    journey_stage_entered_at,
    order_count,
    first_order_at,
    last_order_at,
    average_order_value_eur,
    purchase_frequency_per_year,
    tenure_days,
    days_since_last_order,
    discount_order_share,
    return_rate,
    ticket_count,
    contacts_per_order,
    preferred_purchase_channel,
    preferred_support_channel,
    latest_nps,
    latest_csat,
    latest_ces,
    mean_sentiment,
    is_lapsed,
    lapsed_at,
    net_revenue_eur as historical_clv_eur,
    persona_monthly_churn_rate,
    case when order_count > 0 and not is_lapsed then persona_expected_lifetime_years else 0 end
        as expected_lifetime_years,
    case
        when order_count = 0 or is_lapsed then 0
        else
            average_order_value_eur * purchase_frequency_per_year
            * persona_expected_lifetime_years * {{ var('clv_margin') }}
    end as predicted_clv_eur,
    health_recency,
    health_satisfaction,
    health_support_friction,
    health_sentiment,
    health_score,
    1 - health_score / 100 as churn_risk
from scored
