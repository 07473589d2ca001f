{{ config(unique_key='customer_id') }}

with

source as (
    {{ latest_versions(source('crm', 'customers'), 'customer_id', 'updated_at') }}
),

calling_codes as (
    select * from {{ ref('country_calling_codes') }}
)

select
    source.customer_id,
    {{ normalize_email('source.email') }} as email,
    {{ e164_phone('source.phone', 'calling_codes.calling_code', 'calling_codes.trunk_prefix') }}
        as phone_e164,
    trim(source.first_name) as first_name,
    trim(source.last_name) as last_name,
    source.birth_year,
    upper(trim(source.country)) as country_code,
    trim(source.region) as region,
    trim(source.city) as city,
    {{ normalize_enum('source.language') }} as language,
    nullif(trim(source.job_role), '') as job_role,
    {{ normalize_enum('source.industry') }} as industry,
    {{ normalize_enum('source.company_size') }} as company_size,
    coalesce(
        nullif(trim(source.job_role), '') is not null
        or source.industry is not null
        or source.company_size is not null,
        false
    ) as has_business_profile,
    {{ normalize_enum('source.acquisition_channel') }} as acquisition_channel,
    source.marketing_opt_in as is_marketing_opt_in,
    {{ normalize_enum('source.preferred_contact_channel') }} as preferred_contact_channel,
    {{ to_utc('source.created_at') }} as created_at,
    {{ to_utc('source.updated_at') }} as updated_at,
    {{ source_lineage('source.') }}
from source
left join calling_codes
    on upper(trim(source.country)) = calling_codes.country
