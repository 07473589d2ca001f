{#- Average monthly churn rate over the 12 complete months before the as-of date, per persona
    and overall (grain: persona, 'all' for everyone): lapses in those months / the sum of the
    customers active at each month's start. Feeds the expected lifetime of predicted CLV. -#}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

months as (
    select base.*
    from {{ ref('int_kpi_customer_base') }} as base
    cross join as_of
    where
        base.period_grain = 'month'
        and base.slice_type in ('all', 'persona')
        and base.period_end <= date_trunc('month', as_of.as_of_date)
        and base.period_start >= date_trunc('month', as_of.as_of_date) - interval 12 month
)

select
    slice_value as persona,
    sum(lapsed_in_period) as lapses,
    sum(active_at_start) as active_customer_months,
    {{ safe_divide('sum(lapsed_in_period)', 'sum(active_at_start)') }} as monthly_churn_rate
from months
group by slice_value
