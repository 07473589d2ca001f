{#- Retention by monthly first-order cohort: of the customers whose first order fell in a month,
    the share who ordered again in each following month (month 0 = the first-order month). -#}
with

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

orders as (
    select
        customer_id,
        ordered_at,
        customer_order_number
    from {{ ref('int_orders_enriched') }}
    where not is_cancelled
),

cohorts as (
    select
        customer_id,
        (date_trunc('month', ordered_at))::date as cohort_month
    from orders
    where customer_order_number = 1
),

cohort_sizes as (
    select
        cohort_month,
        count(*) as cohort_customers
    from cohorts
    group by cohort_month
),

activity as (
    select distinct
        cohorts.cohort_month,
        orders.customer_id,
        date_diff('month', cohorts.cohort_month, date_trunc('month', orders.ordered_at))
            as months_since_first_order
    from orders
    inner join cohorts
        on orders.customer_id = cohorts.customer_id
),

grid as (
    select
        cohort_sizes.cohort_month,
        cohort_sizes.cohort_customers,
        (unnest(generate_series(
            0, date_diff('month', cohort_sizes.cohort_month, as_of.as_of_date)
        )))::integer as months_since_first_order
    from cohort_sizes
    cross join as_of
),

counts as (
    select
        grid.cohort_month,
        grid.months_since_first_order,
        grid.cohort_customers,
        count(activity.customer_id) as ordering_customers
    from grid
    left join activity
        on
            grid.cohort_month = activity.cohort_month
            and grid.months_since_first_order = activity.months_since_first_order
    group by grid.cohort_month, grid.months_since_first_order, grid.cohort_customers
)

select
    cohort_month,
    months_since_first_order,
    cohort_customers,
    ordering_customers,
    (cohort_month + to_months(months_since_first_order))::date as activity_month,
    ordering_customers / cohort_customers as retention_rate
from counts
