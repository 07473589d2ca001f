{#- Each customer's persona and the feature values the persona rules looked at. -#}
select
    personas.customer_id,
    personas.persona,
    persona_labels.label as persona_label,
    personas.persona_priority,
    personas.matched_conditions,
    features.has_business_profile,
    features.average_order_value_eur,
    features.discount_order_share,
    features.app_order_share,
    features.app_touch_share,
    features.contacts_per_order,
    features.ticket_count,
    features.in_store_order_share,
    features.orders_per_active_year,
    features.order_count
from {{ ref('int_persona_assignments') }} as personas
inner join {{ ref('int_customer_features') }} as features
    on personas.customer_id = features.customer_id
inner join {{ ref('personas') }} as persona_labels
    on personas.persona = persona_labels.persona
