{#- Every team's business clock: each opening interval of int_support_business_intervals with
    its length and the open time of all the team's earlier intervals, in microseconds (so
    differences of readings are exact; the intervals of a team never overlap, see tests/dbt). -#}
{% macro business_clock() -%}
    select
        team,
        opens_at,
        open_us,
        coalesce(sum(open_us) over (
            partition by team order by opens_at
            rows between unbounded preceding and 1 preceding
        ), 0) as open_us_before
    from (
        select
            team,
            opens_at,
            epoch_us(closes_at) - epoch_us(opens_at) as open_us
        from {{ ref('int_support_business_intervals') }}
    )
{%- endmacro %}

{#- The business clock read at `moment_at`, from the clock interval an ASOF join found for it
    (the team's last interval opening at or before the moment): the open time of all earlier
    intervals plus the elapsed part of this one. -#}
{% macro business_clock_reading(moment_at, clock) -%}
    coalesce(
        {{ clock }}.open_us_before + least(
            greatest(epoch_us({{ moment_at }}) - epoch_us({{ clock }}.opens_at), 0),
            {{ clock }}.open_us
        ),
        0
    )
{%- endmacro %}

{#- Business minutes between two UTC timestamps, from the team's business clock read at each
    (microseconds of business hours elapsed since the team's calendar began; see
    business_clock). NULL when either end is NULL, 0 when the end is not after the start. -#}
{% macro business_minutes(started_at, ended_at, started_clock_us, ended_clock_us) -%}
    case
        when {{ started_at }} is null or {{ ended_at }} is null then null
        when {{ ended_at }} <= {{ started_at }} then 0
        else ({{ ended_clock_us }} - {{ started_clock_us }})::double / 60000000
    end
{%- endmacro %}
