{#- Each period (of `grains`: rows of period_grain and period_grain_code) in which a `keys`
    combination of `days` (rows with those columns and an observed_date) has at least one day:
    the distinct keys x grain x period_start. Found on the keys' days in date order - a day
    opens a period when the previous day of the same keys lies in another - which sorts the
    distinct days once instead of hashing every day for every grain. -#}
{% macro periods_with_a_day(days, keys, grains) -%}
    {%- set key_list = keys | join(', ') -%}
    select
        {{ key_list }},
        {{ grains }}.period_grain_code,
        date_trunc({{ grains }}.period_grain, observed_date)::date as period_start
    from (
        select
            {{ key_list }},
            observed_date,
            lag(observed_date) over (partition by {{ key_list }} order by observed_date)
                as previous_date
        from (
            select distinct
                {{ key_list }},
                observed_date
            from {{ days }}
            where {{ keys | join(' is not null and ') }} is not null
        )
    )
    cross join {{ grains }}
    where
        previous_date is null
        or date_trunc({{ grains }}.period_grain, previous_date)
        <> date_trunc({{ grains }}.period_grain, observed_date)
{%- endmacro %}
