{#- Models incremental by customer (the customer activity, the journey entries, the KPI
    observations) recompute the customers whose records may have changed since their last build
    (the `built` CTE of last_customer_build_ctes). Which customers those are is searched once a
    night, by int_customer_record_changes (customers_with_records_loaded_since_build); each model
    reads the customers it marked since the model's own last build
    (customers_changed_since_build). Raw tables keep every version of a record, so a record that
    moved to another customer marks every customer it ever had, not only its current one. -#}

{#- Each extract date loaded into the raw tables behind the customers' records, with its load
    time. -#}
{% macro customer_record_loads() -%}
    {%- for relation in customer_record_sources() %}
        {{ extract_loads(relation) }}
        {% if not loop.last %}union{% endif %}
    {%- endfor %}
{%- endmacro %}

{% macro customer_record_sources() -%}
    {{ return([
        source('crm', 'customers'), source('crm', 'touchpoints'),
        source('orders', 'orders'), source('orders', 'order_items'), source('orders', 'returns'),
        source('surveys', 'invitations'), source('surveys', 'responses'),
        source('tickets', 'tickets'), source('tickets', 'ticket_events'),
    ]) }}
{%- endmacro %}

{#- What customers_with_records_loaded_since_build reads, for the `-- depends_on:` line of
    int_customer_record_changes (dbt sees no ref or source inside is_incremental() blocks when it
    parses). -#}
{% macro record_search_dependencies() -%}
    {{ (customer_record_sources() + [
        ref('country_calling_codes'), ref('stg_crm__customers'), ref('stg_tickets__tickets'),
        ref('stg_surveys__invitations'), ref('stg_surveys__responses'),
        ref('int_support_ticket_timeline'),
    ]) | join(', ') }}
{%- endmacro %}

{#- What a model incremental by customer reads in its incremental run
    (customers_changed_since_build, and the CRM customers when it recomputes everyone), for its
    `-- depends_on:` line. -#}
{% macro changed_customers_dependencies() -%}
    {{ [ref('stg_crm__customers'), ref('int_customer_record_changes')] | join(', ') }}
{%- endmacro %}

{#- The customers int_customer_record_changes marked since the model's last build (the `built`
    CTE of last_customer_build_ctes). -#}
{% macro customers_changed_since_build() -%}
    select changes.customer_id
    from {{ ref('int_customer_record_changes') }} as changes
    where changes.built_at > (select built.built_at from built)
{%- endmacro %}

{#- The CTEs of an incremental run of a model incremental by customer, whose rows carry
    built_at and built_as_of_end (reads an `as_of` CTE of int_as_of_date):
    - built: when it was last built, and for which as-of end;
    - recomputes_everyone: whether the as-of date moved back. An extract already built and
      loaded again needs no clause here: int_customer_record_changes marks the customers it
      may have changed. -#}
{% macro last_customer_build_ctes() -%}
    built as (
        {{ last_build_and_as_of_end() }}
    ),

    recomputes_everyone as (
        select
            (select as_of.as_of_end from as_of) < (select built.as_of_end from built)
            as is_true
    ),
{%- endmacro %}

{#- Every customer of the model and of the CRM when recomputes_everyone (last_customer_build_ctes)
    holds, none otherwise. -#}
{% macro every_customer_when_recomputing_everyone() -%}
    select customer_id from {{ this }}
    where (select recomputes_everyone.is_true from recomputes_everyone)
    union
    select customer_id from {{ ref('stg_crm__customers') }}
    where (select recomputes_everyone.is_true from recomputes_everyone)
{%- endmacro %}

{#- Customers with a row of a relation dated from the last build's as-of end on: what that build
    could not show yet (a lapse reached, a record dated ahead). `dated`: (relation, moment)
    pairs. -#}
{% macro customers_dated_since_last_build(dated) -%}
    {%- for relation, moment in dated %}
        select customer_id from {{ relation }}
        where {{ moment }} >= (select built.as_of_end from built)
        {% if not loop.last %}union{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- Every customer id a record holds: what a full build of int_customer_record_changes marks.
    Staging and identity resolution pass customer ids through unchanged, so the CRM's and the
    help desk's raw versions hold every id the staged customers and the tickets' timeline can
    have. -#}
{% macro customers_of_every_record() -%}
    {%- for relation in [
        source('crm', 'customers'), source('crm', 'touchpoints'), source('orders', 'orders'),
        source('surveys', 'invitations'), source('surveys', 'responses'),
        source('tickets', 'tickets'),
    ] %}
        select customer_id from {{ relation }}
        {% if not loop.last %}union{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- Customers with a record loaded since the last build (every customer the record ever had),
    those whose survey answers are about a ticket or order loaded, and those whose tickets
    identity resolution may have given to another customer: a ticket matches a customer by the
    help desk's customer id, else by an email or phone held by exactly one customer, so a
    customer or ticket loaded with an email or phone (now or before) can move every ticket whose
    requester has it. -#}
{% macro customers_with_records_loaded_since_build() -%}
    {%- set since_build = "_loaded_at > (select built.built_at from built)" -%}
    with

    loaded_customers as (
        select customer_id from {{ source('crm', 'customers') }} where {{ since_build }}
    ),

    loaded_orders as (
        select order_id from {{ source('orders', 'orders') }} where {{ since_build }}
        union all
        select order_id from {{ source('orders', 'order_items') }} where {{ since_build }}
        union all
        select order_id from {{ source('orders', 'returns') }} where {{ since_build }}
    ),

    loaded_tickets as (
        select ticket_id from {{ source('tickets', 'tickets') }} where {{ since_build }}
        union all
        select ticket_id from {{ source('tickets', 'ticket_events') }} where {{ since_build }}
    ),

    identity_keys as (
        select
            {{ normalize_email('versions.email') }} as email,
            {{ e164_phone('versions.phone', 'codes.calling_code', 'codes.trunk_prefix') }}
                as phone_e164
        from {{ source('crm', 'customers') }} as versions
        semi join loaded_customers using (customer_id)
        left join {{ ref('country_calling_codes') }} as codes
            on upper(trim(versions.country)) = codes.country
        union
        select
            {{ normalize_email('versions.requester_email') }} as email,
            {{ e164_phone('versions.requester_phone', 'null', 'null') }} as phone_e164
        from {{ source('tickets', 'tickets') }} as versions
        semi join loaded_tickets using (ticket_id)
        union
        select
            tickets.requester_email as email,
            tickets.requester_phone_e164 as phone_e164
        from {{ ref('stg_tickets__tickets') }} as tickets
        semi join loaded_customers using (customer_id)
    ),

    identity_emails as (
        select distinct email from identity_keys where email is not null
    ),

    identity_phones as (
        select distinct phone_e164 from identity_keys where phone_e164 is not null
    ),

    moved_tickets as (
        select ticket_id from loaded_tickets
        union
        select ticket_id from {{ ref('stg_tickets__tickets') }}
        semi join identity_emails on requester_email = identity_emails.email
        union
        select ticket_id from {{ ref('stg_tickets__tickets') }}
        semi join identity_phones on requester_phone_e164 = identity_phones.phone_e164
    )

    select customer_id from loaded_customers
    union
    select customer_id from {{ ref('stg_crm__customers') }}
    semi join identity_emails using (email)
    union
    select customer_id from {{ ref('stg_crm__customers') }}
    semi join identity_phones using (phone_e164)
    union
    select versions.customer_id from {{ source('orders', 'orders') }} as versions
    semi join loaded_orders using (order_id)
    {%- for relation, key in [
        (source('crm', 'touchpoints'), 'touchpoint_id'),
        (source('surveys', 'invitations'), 'invitation_id'),
        (source('surveys', 'responses'), 'response_id'),
    ] %}
    union
    select versions.customer_id from {{ relation }} as versions
    semi join (select {{ key }} from {{ relation }} where {{ since_build }}) using ({{ key }})
    {%- endfor %}
    union
    {#- An answer takes its channel from the ticket or order it is about. #}
    select responses.customer_id
    from {{ ref('stg_surveys__responses') }} as responses
    where responses.invitation_id in (
        select invitations.invitation_id
        from {{ ref('stg_surveys__invitations') }} as invitations
        where
            invitations.ticket_id in (select moved_tickets.ticket_id from moved_tickets)
            or invitations.order_id in (select loaded_orders.order_id from loaded_orders)
    )
    union
    select versions.customer_id from {{ source('tickets', 'tickets') }} as versions
    semi join moved_tickets using (ticket_id)
    union
    select timeline.customer_id from {{ ref('int_support_ticket_timeline') }} as timeline
    semi join moved_tickets using (ticket_id)
{%- endmacro %}

{#- The customers whose rows of `relation` (a model incremental by customer, with a `built_at`
    column) were recomputed since this model's own last build: its newest `built_at`, or
    `last_built_at` where the model has already read it (the `built` CTE of
    last_customer_build_ctes). -#}
{% macro customers_rebuilt_since_this_build(relation, last_built_at=none) -%}
    select distinct rebuilt.customer_id
    from {{ relation }} as rebuilt
    where rebuilt.built_at > {{
        last_built_at or '(select max(built.built_at) from ' ~ this ~ ' as built)'
    }}
{%- endmacro %}

{#- The CTEs of a model that follows another model incremental by customer (the journey states
    and funnel entries follow the entries): `name`, the rows of `relation` of the customers
    rebuilt since this model's own last build, every row on a full build. -#}
{% macro rows_rebuilt_since_this_build_ctes(relation, name) -%}
    {% if is_incremental() -%}
        rebuilt_customers as (
            {{ customers_rebuilt_since_this_build(relation) }}
        ),
    {%- endif %}

    {{ name }} as (
        {{ rows_wanted_by(relation, 'rebuilt_customers', 'customer_id', narrowed=is_incremental()) }}
    ),
{%- endmacro %}
