{#- The customer base over time, per period and slice (grain: period grain x period start x
    slice): customers active at the period start, customers lapsing in it, and - as of its end -
    customers with one and with two or more orders and their net revenue. The slices use each
    customer's current persona, segment and preferred purchase channel. -#}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

customers as (
    select
        features.customer_id,
        features.segment,
        personas.persona,
        coalesce(features.preferred_purchase_channel, 'none') as preferred_purchase_channel
    from {{ ref('int_customer_features') }} as features
    inner join {{ ref('int_persona_assignments') }} as personas
        on features.customer_id = personas.customer_id
),

events as (
    select
        customer_id,
        started_at::date as event_date,
        1 as activations,
        0 as lapses,
        0 as first_orders,
        0 as second_orders,
        0.0 as net_revenue_eur
    from {{ ref('int_customer_active_periods') }}
    union all
    select
        customer_id,
        lapsed_at::date as event_date,
        0 as activations,
        1 as lapses,
        0 as first_orders,
        0 as second_orders,
        0.0 as net_revenue_eur
    from {{ ref('int_customer_active_periods') }}
    where lapsed_at is not null
    union all
    select
        customer_id,
        ordered_at::date as event_date,
        0 as activations,
        0 as lapses,
        (customer_order_number = 1)::int as first_orders,
        (customer_order_number = 2)::int as second_orders,
        net_revenue_eur
    from {{ ref('int_orders_enriched') }}
    where not is_cancelled
),

customer_events as (
    select
        events.*,
        'all' as "all",
        customers.persona,
        customers.segment,
        customers.preferred_purchase_channel as channel
    from events
    inner join customers
        on events.customer_id = customers.customer_id
),

sliced as (
    unpivot customer_events
    on "all", persona, segment, channel
    into name slice_type value slice_value
),

daily as (
    select
        event_date,
        slice_type,
        slice_value,
        sum(activations)::bigint as activations,
        sum(lapses)::bigint as lapses,
        sum(first_orders)::bigint as first_orders,
        sum(second_orders)::bigint as second_orders,
        sum(net_revenue_eur) as net_revenue_eur
    from sliced
    group by all
),

grains as (
    select unnest(['day', 'week', 'month']) as period_grain
),

first_day as (
    select min(event_date) as first_date from daily
),

days as (
    select unnest(generate_series(first_day.first_date, as_of.as_of_date, interval 1 day)) as day
    from first_day
    cross join as_of
),

periods as (
    select distinct
        grains.period_grain,
        date_trunc(grains.period_grain, days.day)::date as period_start,
        (date_trunc(grains.period_grain, days.day) + ('1 ' || grains.period_grain)::interval)::date
            as period_end
    from days
    cross join grains
),

slices as (
    select distinct
        slice_type,
        slice_value
    from daily
)

select
    periods.period_grain,
    periods.period_start,
    periods.period_end,
    slices.slice_type,
    slices.slice_value,
    coalesce(sum(daily.activations - daily.lapses) filter (
        where daily.event_date < periods.period_start
    ), 0)::bigint as active_at_start,
    coalesce(sum(daily.lapses) filter (
        where daily.event_date >= periods.period_start and daily.event_date < periods.period_end
    ), 0)::bigint as lapsed_in_period,
    coalesce(sum(daily.first_orders) filter (where daily.event_date < periods.period_end), 0)
    ::bigint as buyers_to_date,
    coalesce(sum(daily.second_orders) filter (where daily.event_date < periods.period_end), 0)
    ::bigint as repeat_buyers_to_date,
    coalesce(sum(daily.net_revenue_eur) filter (where daily.event_date < periods.period_end), 0)
        as net_revenue_to_date_eur
from periods
cross join slices
left join daily
    on
        slices.slice_type = daily.slice_type
        and slices.slice_value = daily.slice_value
        and periods.period_end > daily.event_date
group by all
