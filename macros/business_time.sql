{#- Minutes between two UTC timestamps that fall inside the team's business hours
    (its weekly schedule in its own time zone, minus its holidays), from the intervals of
    int_support_business_intervals. NULL when either end is NULL. -#}
{% macro business_minutes_between(started_at, ended_at, team) -%}
    case
        when {{ started_at }} is null or {{ ended_at }} is null then null
        when {{ ended_at }} <= {{ started_at }} then 0
        else coalesce((
            select
                sum(
                    epoch(least(bi.closes_at, {{ ended_at }}))
                    - epoch(greatest(bi.opens_at, {{ started_at }}))
                ) / 60.0
            from {{ ref('int_support_business_intervals') }} as bi
            where
                bi.team = {{ team }}
                and bi.opens_at < {{ ended_at }}
                and bi.closes_at > {{ started_at }}
        ), 0)
    end
{%- endmacro %}
