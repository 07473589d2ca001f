-- depends_on: {{ ref('int_as_of_date') }}
{{
    config(
        materialized='incremental',
        unique_key=['customer_id', 'valid_from'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        full_refresh=false
    )
}}
{#- Each customer's persona and segment over time (grain: customer x validity period, from
    valid_from up to valid_to). The first build gives every customer one period without a start:
    history before it is read with the persona it assigned. Each night after that closes the
    open period of every customer whose persona or segment changed, at the end of the as-of
    day, and opens one with the new values; a new customer starts with a period without a start.
    A night run again for the same as-of day replaces the period it opened. History can't be
    rebuilt from the extracts, so `--full-refresh` leaves the model as it is (full_refresh:
    false); drop the table to start it again. -#}
with

assignments as (
    select
        personas.customer_id,
        personas.persona,
        features.segment
    from {{ ref('int_persona_assignments') }} as personas
    inner join {{ ref('int_customer_features') }} as features
        on personas.customer_id = features.customer_id
),

{% if is_incremental() -%}
    as_of as (
        select * from {{ ref('int_as_of_date') }}
    ),

    open_periods as (
        select * from {{ this }}
        where valid_to = 'infinity'::timestamp
    ),

    changed as (
        select
            assignments.customer_id,
            assignments.persona,
            assignments.segment,
            open_periods.persona as open_persona,
            open_periods.segment as open_segment,
            open_periods.valid_from as open_from
        from assignments
        left join open_periods
            on assignments.customer_id = open_periods.customer_id
        where
            open_periods.customer_id is null
            or assignments.persona <> open_periods.persona
            or assignments.segment <> open_periods.segment
    ),

    -- A period opened before this as-of day ends with it; one opened on it (a night run again)
    -- or after it (the as-of date moved back) takes the new values instead.
    periods as (
        select
            changed.customer_id,
            changed.open_persona as persona,
            changed.open_segment as segment,
            changed.open_from as valid_from,
            as_of.as_of_end as valid_to
        from changed
        cross join as_of
        where changed.open_from < as_of.as_of_end
        union all
        select
            changed.customer_id,
            changed.persona,
            changed.segment,
            case
                when changed.open_from is null then '-infinity'::timestamp
                else greatest(changed.open_from, as_of.as_of_end)
            end as valid_from,
            'infinity'::timestamp as valid_to
        from changed
        cross join as_of
    )
{%- else -%}
    periods as (
        select
            customer_id,
            persona,
            segment,
            '-infinity'::timestamp as valid_from,
            'infinity'::timestamp as valid_to
        from assignments
    )
{%- endif %}

select
    customer_id,
    persona,
    segment,
    valid_from,
    valid_to,
    current_timestamp as built_at
from periods
