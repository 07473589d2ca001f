{#- Each customer's persona (grain: customer): the first persona, in seed priority order, for
    which the customer's features meet every condition of one of its rule groups (persona_rules);
    the persona without rules takes everyone else. `matched_conditions` lists the feature values
    that decided it. -#}
with

features as (
    select
        customer_id,
        has_business_profile::int::double as has_business_profile,
        contacts_per_order::double as contacts_per_order,
        ticket_count::double as ticket_count,
        discount_order_share::double as discount_order_share,
        orders_per_active_year::double as orders_per_active_year,
        app_order_share::double as app_order_share,
        in_store_order_share::double as in_store_order_share,
        order_count::double as order_count,
        net_revenue_eur::double as net_revenue_eur,
        purchase_frequency_per_year::double as purchase_frequency_per_year,
        coalesce(average_order_value_eur, 0)::double as average_order_value_eur,
        coalesce(return_rate, 0)::double as return_rate,
        coalesce(app_touch_share, 0)::double as app_touch_share
    from {{ ref('int_customer_features') }}
),

long_features as (
    unpivot features
    on columns(* exclude (customer_id))
    into name feature value feature_value
),

personas as (
    select * from {{ ref('personas') }}
),

rules as (
    select * from {{ ref('persona_rules') }}
),

checks as (
    select
        long_features.customer_id,
        rules.persona,
        rules.rule_group,
        rules.feature,
        rules.operator,
        rules.threshold,
        long_features.feature_value,
        case rules.operator
            when '>=' then long_features.feature_value >= rules.threshold
            when '>' then long_features.feature_value > rules.threshold
            when '<=' then long_features.feature_value <= rules.threshold
            when '<' then long_features.feature_value < rules.threshold
            when '=' then long_features.feature_value = rules.threshold
        end as is_met
    from rules
    inner join long_features
        on rules.feature = long_features.feature
),

-- Rule groups whose every condition is met; their conditions are spelt out only then.
met_groups as (
    select
        customer_id,
        persona,
        rule_group
    from checks
    group by all
    having bool_and(coalesce(is_met, false))
),

matches as (
    select
        checks.customer_id,
        checks.persona,
        personas.priority,
        string_agg(
            checks.feature || ' = ' || round(checks.feature_value, 3) || ' '
            || checks.operator || ' ' || checks.threshold,
            '; ' order by checks.feature
        ) as matched_conditions
    from checks
    inner join met_groups
        on {{ columns_match('checks', 'met_groups', ['customer_id', 'persona', 'rule_group']) }}
    inner join personas
        on checks.persona = personas.persona
    group by checks.customer_id, checks.persona, checks.rule_group, personas.priority
),

first_match as (
    select *
    from matches
    qualify row_number() over (partition by customer_id order by priority, matched_conditions) = 1
),

fallback as (
    select
        personas.persona,
        personas.priority
    from personas
    anti join rules
        on personas.persona = rules.persona
    qualify row_number() over (order by personas.priority desc) = 1
)

select
    features.customer_id,
    coalesce(first_match.persona, fallback.persona) as persona,
    coalesce(first_match.priority, fallback.priority) as persona_priority,
    coalesce(first_match.matched_conditions, 'no rule matched: default persona')
        as matched_conditions
from features
cross join fallback
left join first_match
    on features.customer_id = first_match.customer_id
