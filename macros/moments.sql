{#- Rolling up groups of observations summarised by their counts and mean (relation columns
    observations, successes, detractors, valued - the observations with a value - mean_value and
    squared_deviations: the sum of squared deviations from the group's mean). -#}

{#- The groups of `parts` summed per `keys`: counts add, means weigh by the values behind them. -#}
{% macro summed_moments(parts, keys) -%}
    select
        {{ keys | join(', ') }},
        sum(observations)::bigint as observations,
        sum(successes)::bigint as successes,
        sum(detractors)::bigint as detractors,
        sum(valued)::bigint as valued,
        sum(mean_value * valued) / nullif(sum(valued), 0) as mean_value
    from {{ parts }}
    group by all
{%- endmacro %}

{#- The squared deviations of `totals` (summed_moments of `parts` per `keys`): each part's own
    plus its weight times its mean's squared distance from the total's mean. Exact, unlike a sum
    of squares, which loses digits on large values. -#}
{% macro combined_squared_deviations(parts, totals, keys) -%}
    select
        {%- for key in keys %}
        parts.{{ key }},
        {%- endfor %}
        sum(
            parts.squared_deviations + parts.valued * (parts.mean_value - totals.mean_value) ** 2
        ) as squared_deviations
    from {{ parts }} as parts
    inner join {{ totals }} as totals
        on {{ columns_match('parts', 'totals', keys) }}
    where parts.valued > 0
    group by all
{%- endmacro %}
