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
        coalesce(features.preferred_purchase_channel, 'none') as preferred_purchase_channel,
        personas.persona
    from {{ ref('int_customer_features') }} as features
    inner join {{ ref('int_persona_assignments') }} as personas
        on features.customer_id = personas.customer_id
),

events as (
    select customer_id, cast(started_at as date) as event_date, 1 as activations, 0 as lapses,
        0 as first_orders, 0 as second_orders, 0.0 as net_revenue_eur
    from {{ ref('int_customer_active_periods') }}
    union all
    select customer_id, cast(lapsed_at as date), 0, 1, 0, 0, 0.0
    from {{ ref('int_customer_active_periods') }}
    where lapsed_at is not null
    union all
    select customer_id, cast(ordered_at as date), 0, 0,
        (customer_order_number = 1)::int, (customer_order_number = 2)::int, net_revenue_eur
    from {{ ref('int_orders_enriched') }}
    where not is_cancelled
),

sliced as (
    select events.*, slices.slice_type, slices.slice_value
    from events
    inner join customers
        on events.customer_id = customers.customer_id
    cross join lateral (
        select * from (values
            ('all', 'all'),
            ('persona', customers.persona),
            ('segment', customers.segment),
            ('channel', customers.preferred_purchase_channel)
        ) as slice (slice_type, slice_value)
    ) as slices
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
    select * from (values ('day'), ('week'), ('month')) as grains (period_grain)
),

periods as (
    select distinct
        grains.period_grain,
        cast(date_trunc(grains.period_grain, day) as date) as period_start,
        cast(date_trunc(grains.period_grain, day) + ('1 ' || grains.period_grain)::interval as date)
            as period_end
    from (
        select unnest(generate_series(
            (select min(event_date) from daily), as_of.as_of_date, interval 1 day
        )) as day
        from as_of
    ) as days
    cross join grains
),

slices as (
    select distinct slice_type, slice_value from daily
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
        and daily.event_date < periods.period_end
group by all
