{#- Normalisation used by the staging models. -#}

{#- Timestamps arrive with any offset; the warehouse stores naive UTC timestamps. -#}
{% macro to_utc(column) -%}
    timezone('UTC', {{ column }})
{%- endmacro %}

{% macro normalize_email(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}

{#- Enum values are matched case-insensitively at the door; here they take one spelling. -#}
{% macro normalize_enum(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}

{#- A phone number in E.164 (+<country code><number>): international numbers keep their
    code (+ or 00 prefix); national numbers lose the trunk prefix and gain the country code. -#}
{% macro e164_phone(phone, calling_code, trunk_prefix) -%}
    case
        when nullif(regexp_replace({{ phone }}, '[^0-9+]', '', 'g'), '') is null then null
        when starts_with(regexp_replace({{ phone }}, '[^0-9+]', '', 'g'), '+')
            then '+' || regexp_replace({{ phone }}, '[^0-9]', '', 'g')
        when starts_with(regexp_replace({{ phone }}, '[^0-9]', '', 'g'), '00')
            then '+' || substr(regexp_replace({{ phone }}, '[^0-9]', '', 'g'), 3)
        when {{ calling_code }} is null then null
        when coalesce({{ trunk_prefix }}, '') <> ''
            and starts_with(regexp_replace({{ phone }}, '[^0-9]', '', 'g'), {{ trunk_prefix }})
            then '+' || {{ calling_code }}
            || substr(regexp_replace({{ phone }}, '[^0-9]', '', 'g'), length({{ trunk_prefix }}) + 1)
        else '+' || {{ calling_code }} || regexp_replace({{ phone }}, '[^0-9]', '', 'g')
    end
{%- endmacro %}
