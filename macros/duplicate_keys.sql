{#- The values of `columns` that more than one row of `model` holds, with their row count.
    Rows are first grouped by a 64-bit hash of their key, which is far cheaper to group than
    long text keys over millions of rows; only the keys whose hash repeats are then grouped
    by value, so a hash collision alone never fails the test. -#}
{% macro duplicate_keys(model, columns, where=none) -%}
    {%- set key = columns | join(', ') -%}
    with

    repeated_hashes as (
        select hash({{ key }}) as key_hash
        from {{ model }}
        {% if where %}where {{ where }}{% endif %}
        group by key_hash
        having count(*) > 1
    )

    select
        {{ key }},
        count(*) as rows_per_key
    from {{ model }}
    where
        hash({{ key }}) in (select repeated.key_hash from repeated_hashes as repeated)
        {% if where %}and {{ where }}{% endif %}
    group by {{ key }}
    having count(*) > 1
{%- endmacro %}
