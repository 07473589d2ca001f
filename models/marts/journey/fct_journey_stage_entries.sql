{#- The full history of journey-stage entries (one row per customer, stage and entry). -#}
select
    customer_id,
    journey_stage,
    stage_order,
    entered_at,
    entry_signal,
    entry_number
from {{ ref('int_journey_stage_entries') }}
