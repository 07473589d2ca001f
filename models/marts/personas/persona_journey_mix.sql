{#- How each persona's customers spread over the journey stages today. -#}
with

counts as (
    select
        persona,
        journey_stage,
        count(*) as customers
    from {{ ref('dim_customers') }}
    group by all
)

select
    counts.persona,
    counts.journey_stage,
    stages.stage_order,
    counts.customers,
    counts.customers / sum(counts.customers) over (partition by counts.persona) as share_of_persona
from counts
inner join {{ ref('journey_stages') }} as stages
    on counts.journey_stage = stages.stage
