{#- Each customer's persona (grain: customer): the first persona, in seed priority order, for
    which the customer's features meet every condition of one of its rule groups (persona_rules);
    the persona without rules takes everyone else. `matched_conditions` lists the feature values
    that decided it. -#}
{#- The features persona rules may name (persona_rules' accepted values), compared as doubles. #}
{%- set rule_features = {
    'has_business_profile': 'has_business_profile::int',
    'contacts_per_order': 'contacts_per_order',
    'ticket_count': 'ticket_count',
    'discount_order_share': 'discount_order_share',
    'orders_per_active_year': 'orders_per_active_year',
    'app_order_share': 'app_order_share',
    'in_store_order_share': 'in_store_order_share',
    'order_count': 'order_count',
    'net_revenue_eur': 'net_revenue_eur',
    'purchase_frequency_per_year': 'purchase_frequency_per_year',
    'average_order_value_eur': 'coalesce(average_order_value_eur, 0)',
    'return_rate': 'coalesce(return_rate, 0)',
    'app_touch_share': 'coalesce(app_touch_share, 0)',
} -%}
with

features as (
    select
        customer_id,
        {%- for feature, expression in rule_features.items() %}
            ({{ expression }})::double as {{ feature }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('int_customer_features') }}
),

personas as (
    select * from {{ ref('personas') }}
),

-- Each rule is a bit of a 128-bit mask (the persona_rules seed holds at most 127 rules, a
-- test on the seed checks it): a group is met when the customer's mask of met rules covers the
-- group's mask, an integer comparison instead of comparing lists.
rules as (
    select
        *,
        1::uhugeint << (
            row_number() over (order by persona, rule_group, feature, operator, threshold)
        )::uhugeint as rule_bit
    from {{ ref('persona_rules') }}
),

rule_groups as (
    select
        rules.persona,
        rules.rule_group,
        personas.priority,
        bit_or(rules.rule_bit) as rule_mask
    from rules
    inner join personas
        on rules.persona = personas.persona
    group by rules.persona, rules.rule_group, personas.priority
),

-- Every rule against every customer, reading the rule's feature from the customer's row (no
-- long table of customer x feature to join on the feature's name).
checks as (
    select
        features.customer_id,
        rules.rule_bit,
        {{ column_named_by('rules.feature', 'features', rule_features) }} as feature_value,
        rules.operator,
        rules.threshold
    from features
    cross join rules
),

met_rules as (
    select
        customer_id,
        coalesce(
            bit_or(rule_bit) filter (
                where case operator
                    when '>=' then feature_value >= threshold
                    when '>' then feature_value > threshold
                    when '<=' then feature_value <= threshold
                    when '<' then feature_value < threshold
                    when '=' then feature_value = threshold
                end
            ),
            0
        ) as met_mask
    from checks
    group by customer_id
),

-- The rule groups of the customer's first persona whose every condition is met.
first_persona_groups as (
    select
        met_rules.customer_id,
        rule_groups.persona,
        rule_groups.rule_group,
        rule_groups.priority
    from met_rules
    inner join rule_groups
        on met_rules.met_mask & rule_groups.rule_mask = rule_groups.rule_mask
    qualify rank() over (partition by met_rules.customer_id order by rule_groups.priority) = 1
),

-- Conditions are spelt out only for those groups; on a tie the first spelling wins.
matches as (
    select
        first_persona_groups.customer_id,
        any_value(first_persona_groups.persona) as persona,
        any_value(first_persona_groups.priority) as priority,
        array_to_string(
            list_sort(list(
                rules.feature || ' = '
                || round({{ column_named_by('rules.feature', 'features', rule_features) }}, 3)
                || ' ' || rules.operator || ' ' || rules.threshold
            )),
            '; '
        ) as matched_conditions
    from first_persona_groups
    inner join rules
        on
            first_persona_groups.persona = rules.persona
            and first_persona_groups.rule_group = rules.rule_group
    inner join features
        on first_persona_groups.customer_id = features.customer_id
    group by first_persona_groups.customer_id, first_persona_groups.rule_group
),

first_match as (
    select *
    from matches
    qualify row_number() over (partition by customer_id order by matched_conditions) = 1
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
