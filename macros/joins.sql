{#- Join condition: each of `columns` equal in the relations `left` and `right`. -#}
{% macro columns_match(left, right, columns) -%}
    {%- for column in columns -%}
        {{ 'and ' if not loop.first }}{{ left }}.{{ column }} = {{ right }}.{{ column }}
        {{- ' ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- Join condition: the journey state `states` (a row of int_journey_stage_states) is the one
    the customer `customer_id` was in at `moment` (the current state has no end). A hash join on
    the customer with this range keeps only the narrow states in memory, where an ASOF join
    would sort every row of the other side with all its columns. -#}
{% macro in_journey_state(customer_id, moment, states) -%}
    {{ customer_id }} = {{ states }}.customer_id
    and {{ moment }} >= {{ states }}.state_started_at
    and {{ moment }} < coalesce({{ states }}.state_ended_at, 'infinity'::timestamp)
{%- endmacro %}

{#- The rows of `relation` whose `key` is among the `key` values of `wanted` (a CTE of few
    rows); every row when `narrowed` is false (a full build, where all rows are wanted). Joined
    afterwards, they spare building a hash table over the whole relation, which DuckDB does for
    the right side of a left join however few rows probe it. -#}
{% macro rows_wanted_by(relation, wanted, key, narrowed=true) -%}
    select candidates.*
    from {{ relation }} as candidates
    {% if narrowed -%}
        semi join {{ wanted }}
            on candidates.{{ key }} = {{ wanted }}.{{ key }}
    {%- endif %}
{%- endmacro %}

{#- A filter for the rows whose `key` is among the keys of `wanted` on an incremental run; true
    on a full build, where `wanted` is not built and every row is wanted. -#}
{% macro is_wanted_by(key, wanted) -%}
    {%- if is_incremental() -%}
        {{ key }} in (select {{ wanted }}.{{ key }} from {{ wanted }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
