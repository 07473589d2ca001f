{#- Every formula used by more than one model. Definitions: models/marts/kpis/_kpis__models.yml -#}

{% macro safe_divide(numerator, denominator) -%}
    case
        when {{ denominator }} is null or {{ denominator }} = 0 then null
        else ({{ numerator }}) / ({{ denominator }})
    end
{%- endmacro %}

{#- The mean of a double column summed exactly (as decimals rounded to 1e-12): a plain avg()
    adds in whatever order DuckDB's threads read the rows, so the same scores could give a mean
    differing in its last bit from one build to the next (and from a full refresh). -#}
{% macro exact_mean(column) -%}
    avg(({{ column }})::decimal(18, 12))
{%- endmacro %}

{#- A ticket whose SLA is still decided by the time it has been open to date: no first response
    or no resolution yet (`durations`: int_support_ticket_durations). -#}
{% macro sla_pending(durations) -%}
    ({{ durations }}.first_response_business_minutes is null
    or {{ durations }}.resolution_business_minutes is null)
{%- endmacro %}

{% macro is_promoter(score) -%}
    ({{ score }} >= 9)
{%- endmacro %}

{% macro is_detractor(score) -%}
    ({{ score }} <= 6)
{%- endmacro %}

{#- CSAT counts answers of 4 or 5 (of 1-5) as satisfied; CES counts 5-7 (of 1-7) as easy. -#}
{% macro is_csat_satisfied(score) -%}
    ({{ score }} >= 4)
{%- endmacro %}

{% macro is_ces_easy(score) -%}
    ({{ score }} >= 5)
{%- endmacro %}

{#- NPS = 100 x (promoters - detractors) / answers -#}
{% macro nps(promoters, detractors, answers) -%}
    {{ safe_divide('100.0 * (' ~ promoters ~ ' - ' ~ detractors ~ ')', answers) }}
{%- endmacro %}

{#- 95% margin of error of NPS, in points:
    100 x 1.96 x sqrt((p_pro + p_det - (p_pro - p_det)^2) / n) -#}
{% macro nps_margin_of_error(promoters, detractors, answers) -%}
    case
        when coalesce({{ answers }}, 0) = 0 then null
        else 100.0 * 1.96 * sqrt(
            (
                {{ promoters }} / ({{ answers }}) + {{ detractors }} / ({{ answers }})
                - power(({{ promoters }} - {{ detractors }}) / ({{ answers }}), 2)
            ) / ({{ answers }})
        )
    end
{%- endmacro %}

{#- 95% margin of error of a share p observed over n: 1.96 x sqrt(p (1 - p) / n) -#}
{% macro proportion_margin_of_error(share, observations) -%}
    case
        when coalesce({{ observations }}, 0) = 0 or {{ share }} is null then null
        else 1.96 * sqrt({{ share }} * (1 - {{ share }}) / ({{ observations }}))
    end
{%- endmacro %}

{#- 95% margin of error of a mean: 1.96 x sample standard deviation / sqrt(n). Rounded to 10
    decimals: the last bits of a standard deviation depend on the order rows are aggregated in. -#}
{% macro mean_margin_of_error(standard_deviation, observations) -%}
    case
        when coalesce({{ observations }}, 0) < 2 then null
        else round(1.96 * {{ standard_deviation }} / sqrt({{ observations }}), 10)
    end
{%- endmacro %}

{#- on target / at risk / off target, against a seed target and its at-risk margin. The gap is
    rounded to 9 decimals so that a value on a boundary gets the same status whatever the order
    in which its floating-point sum was added up. -#}
{% macro kpi_status(value, target, direction, at_risk_margin) -%}
    {%- set gap = 'round(' ~ value ~ ' - ' ~ target ~ ', 9)' -%}
    {%- set margin = 'round(' ~ at_risk_margin ~ ', 9)' -%}
    case
        when {{ value }} is null or {{ target }} is null then null
        when {{ direction }} = 'higher' and {{ gap }} >= 0 then 'on target'
        when {{ direction }} = 'lower' and {{ gap }} <= 0 then 'on target'
        when {{ direction }} = 'higher' and {{ gap }} >= -{{ margin }} then 'at risk'
        when {{ direction }} = 'lower' and {{ gap }} <= {{ margin }} then 'at risk'
        else 'off target'
    end
{%- endmacro %}

{#- Sentiment labels: positive at or above 0.15, negative at or below -0.15, else neutral. -#}
{% macro sentiment_label(score) -%}
    case
        when {{ score }} >= 0.15 then 'positive'
        when {{ score }} <= -0.15 then 'negative'
        else 'neutral'
    end
{%- endmacro %}

{% macro is_negative_sentiment(score) -%}
    ({{ score }} <= -0.15)
{%- endmacro %}

{#- A query giving, per group, the most frequent non-null value of a column (ties go to the
    alphabetically first): unlike mode(), the result does not depend on the order rows arrive in. -#}
{% macro most_frequent_per(relation, group_column, value_column) -%}
    select
        {{ group_column }},
        {{ value_column }}
    from {{ relation }}
    where {{ value_column }} is not null
    group by {{ group_column }}, {{ value_column }}
    qualify row_number() over (
        partition by {{ group_column }} order by count(*) desc, {{ value_column }}
    ) = 1
{%- endmacro %}
