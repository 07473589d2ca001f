{#- Every CX KPI by day, ISO week and month, overall and sliced by persona, channel, journey
    stage and segment, against its target (kpi_targets seed): the gap, a status, the change from
    the previous period and whether that change exceeds the margin of error. Experience KPIs come
    from int_kpi_period_values (slices: the persona, segment, channel and journey stage of each
    observation when it was made); churn, retention, repeat purchase and CLV from the customer
    base (int_kpi_customer_base: slices use the customer's current persona, segment and preferred
    purchase channel; there is no journey-stage slice for them). -#}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

experience as (
    select
        kpi,
        period_grain,
        period_start,
        (period_start + ('1 ' || period_grain)::interval)::date as period_end,
        slice_type,
        slice_value,
        observations,
        customers,
        value,
        margin_of_error
    from {{ ref('int_kpi_period_values') }}
),

base as (
    select * from {{ ref('int_kpi_customer_base') }}
),

customer_base as (
    select
        'churn_rate' as kpi,
        period_grain,
        period_start,
        period_end,
        slice_type,
        slice_value,
        active_at_start as observations,
        active_at_start as customers,
        {{ safe_divide('lapsed_in_period', 'active_at_start') }} as value,
        {{ proportion_margin_of_error(
            safe_divide('lapsed_in_period', 'active_at_start'), 'active_at_start'
        ) }}
            as margin_of_error
    from base
    union all
    select
        'retention_rate' as kpi,
        period_grain,
        period_start,
        period_end,
        slice_type,
        slice_value,
        active_at_start as observations,
        active_at_start as customers,
        1 - {{ safe_divide('lapsed_in_period', 'active_at_start') }} as value,
        {{ proportion_margin_of_error(
            safe_divide('lapsed_in_period', 'active_at_start'), 'active_at_start'
        ) }} as margin_of_error
    from base
    union all
    select
        'repeat_purchase_rate' as kpi,
        period_grain,
        period_start,
        period_end,
        slice_type,
        slice_value,
        buyers_to_date as observations,
        buyers_to_date as customers,
        {{ safe_divide('repeat_buyers_to_date', 'buyers_to_date') }} as value,
        {{ proportion_margin_of_error(
            safe_divide('repeat_buyers_to_date', 'buyers_to_date'), 'buyers_to_date'
        ) }} as margin_of_error
    from base
    union all
    select
        'clv' as kpi,
        period_grain,
        period_start,
        period_end,
        slice_type,
        slice_value,
        buyers_to_date as observations,
        buyers_to_date as customers,
        {{ safe_divide('net_revenue_to_date_eur', 'buyers_to_date') }} as value,
        null as margin_of_error
    from base
),

all_values as (
    select * from experience
    union all
    select * from customer_base
    where value is not null
),

targets as (
    select * from {{ ref('kpi_targets') }}
)

select
    current.kpi,
    targets.label as kpi_label,
    targets.unit,
    targets.direction,
    current.period_grain,
    current.period_start,
    current.period_end,
    current.period_end <= as_of.as_of_date + 1 as is_complete_period,
    current.slice_type,
    current.slice_value,
    current.observations,
    current.customers,
    current.value,
    current.margin_of_error,
    targets.target,
    current.value - targets.target as gap_to_target,
    {{ kpi_status(
        'current.value', 'targets.target', 'targets.direction', 'targets.at_risk_margin'
    ) }}
        as status,
    previous.value as previous_value,
    current.value - previous.value as change_from_previous,
    sqrt(power(current.margin_of_error, 2) + power(previous.margin_of_error, 2))
        as change_margin_of_error,
    abs(current.value - previous.value)
    > sqrt(power(current.margin_of_error, 2) + power(previous.margin_of_error, 2))
        as is_significant_change
from all_values as current
cross join as_of
inner join targets
    on current.kpi = targets.kpi
left join all_values as previous
    on
        current.kpi = previous.kpi
        and current.period_grain = previous.period_grain
        and current.slice_type = previous.slice_type
        and current.slice_value = previous.slice_value
        and current.period_start = previous.period_end
