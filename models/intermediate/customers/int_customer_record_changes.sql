{{
    config(
        materialized='incremental',
        unique_key='customer_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ record_search_dependencies() }}
{#- The last build that found a change in each customer's records (grain: customer; built_at:
    when that build ran, with the extract dates it loaded). A night marks the customers with a
    record loaded since its last build, every customer the record ever had, and those whose
    tickets identity resolution may have moved (customers_with_records_loaded_since_build); a
    full build marks every customer any record ever had. The models incremental by customer
    recompute the customers marked since their own last build (customers_changed_since_build),
    so the search over the raw versions of the records runs once a night, however many models
    read it. built_at only moves forward: a model that missed a night still finds the customers
    of both.
    An extract already built and loaded again may no longer hold a record, which leaves no
    trace: when every extract loaded again was loaded by the last build (a night run again on
    its own extracts), the customers that build marked are marked again, since they include
    every customer of its records; when an older one is loaded again, every customer is. #}
with

loads as (
    {{ customer_record_loads() }}
),

{% if is_incremental() -%}
    built as (
        select
            max(built_at) as built_at,
            arg_max(loaded_first_extract_date, built_at) as loaded_first_extract_date,
            arg_max(loaded_last_extract_date, built_at) as loaded_last_extract_date,
            arg_max(newest_extract_date, built_at) as newest_extract_date
        from {{ this }}
    ),

    new_loads as (
        select * from loads
        where _loaded_at > (select built.built_at from built)
    ),

    reloaded as (
        select
            min(new_loads._extract_date) as first_date,
            max(new_loads._extract_date) as last_date
        from new_loads
        where new_loads._extract_date <= (select built.newest_extract_date from built)
    ),

    reload as (
        select
            reloaded.first_date is not null as is_reload,
            coalesce(
                reloaded.first_date >= built.loaded_first_extract_date
                and reloaded.last_date <= built.loaded_last_extract_date,
                false
            ) as was_loaded_by_the_last_build
        from reloaded
        cross join built
    ),

    changed as (
        {{ customers_with_records_loaded_since_build() }}
        union
        select kept.customer_id from {{ this }} as kept
        where
            kept.built_at = (select built.built_at from built)
            and (select reload.is_reload and reload.was_loaded_by_the_last_build from reload)
        union
        select every_customer.customer_id
        from (
            {{ customers_of_every_record() }}
            union
            select kept.customer_id from {{ this }} as kept
        ) as every_customer
        where (select reload.is_reload and not reload.was_loaded_by_the_last_build from reload)
    ),
{%- else -%}
    new_loads as (
        select * from loads
    ),

    changed as (
        {{ customers_of_every_record() }}
    ),
{%- endif %}

new_range as (
    select
        min(new_loads._extract_date) as first_date,
        max(new_loads._extract_date) as last_date,
        count(distinct new_loads._extract_date) as dates
    from new_loads
),

-- A first date only when the build loaded every extract date between its first and last:
-- otherwise a date in between was loaded by an earlier build.
loaded_dates as (
    select
        new_range.last_date,
        case
            when new_range.dates = (
                select count(distinct loads._extract_date) from loads
                where loads._extract_date between new_range.first_date and new_range.last_date
            ) then new_range.first_date
        end as first_date,
        (select max(loads._extract_date) from loads) as newest_date
    from new_range
)

select
    changed.customer_id,
    loaded_dates.first_date as loaded_first_extract_date,
    loaded_dates.last_date as loaded_last_extract_date,
    loaded_dates.newest_date as newest_extract_date,
    current_timestamp as built_at
from changed
cross join loaded_dates
where changed.customer_id is not null
