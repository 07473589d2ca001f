{#- Business minutes between two UTC timestamps, from the team's business clock read at each
    (microseconds of business hours elapsed since the team's calendar began; see
    int_support_ticket_durations). NULL when either end is NULL, 0 when the end is not after
    the start. -#}
{% macro business_minutes(started_at, ended_at, started_clock_us, ended_clock_us) -%}
    case
        when {{ started_at }} is null or {{ ended_at }} is null then null
        when {{ ended_at }} <= {{ started_at }} then 0
        else ({{ ended_clock_us }} - {{ started_clock_us }})::double / 60000000
    end
{%- endmacro %}
