{#- The rows a data test reads (overrides dbt's get_where_subquery; a test's `where` config
    still applies). A model that records when the build wrote each row (a documented `built_at`
    column: the staging and intermediate incremental models) is tested, in a build that wrote
    it, on the rows that build wrote: a night tests what it loaded and recomputed, not the
    history earlier builds tested. -#}
{% macro get_where_subquery(relation) -%}
    {%- set filters = [config.get('where')] if config.get('where') else [] -%}
    {%- set written = written_by_this_build(relation) -%}
    {%- if written -%}
        {%- do filters.append(written) -%}
    {%- endif -%}
    {%- if filters -%}
        {%- do return(
            '(select * from ' ~ relation ~ ' where ' ~ filters | join(' and ') ~ ') dbt_subquery'
        ) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{#- The filter of the test being compiled to the rows this dbt invocation wrote, or '' to read
    every row:
    - a uniqueness test reads every row of the keys written, so a new row duplicating one an
      earlier build wrote is still found;
    - every row when this invocation wrote none of them (`dbt test` on its own) or all of them
      (a full build): then the keys written are not even looked up;
    - every row for the tests that compare with rows the build did not write: row counts
      (equal_row_count) and settled relationships (rows become old enough to be checked without
      being written again). -#}
{% macro written_by_this_build(relation) -%}
    {%- set tested = graph.nodes.get(model.attached_node) if execute and model.attached_node -%}
    {%- set test = model.test_metadata if tested else none -%}
    {%- if not test or 'built_at' not in tested.columns
        or test.name in ['equal_row_count', 'relationships_settled'] -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set since = "'" ~ run_started_at.isoformat() ~ "'::timestamptz" -%}
    {%- set every_row = '(select min(written.built_at) >= ' ~ since ~ ' or max(written.built_at) < '
        ~ since ~ ' from ' ~ relation ~ ' as written)' -%}
    {%- set keys = {
        'unique': [test.kwargs.get('column_name')],
        'unique_combination_of_columns': test.kwargs.get('combination_of_columns'),
    }.get(test.name) -%}
    {%- if keys -%}
        {%- set key_list = keys | join(', ') -%}
        {%- do return(
            '(' ~ every_row ~ ' or (' ~ key_list ~ ') in (select ' ~ key_list ~ ' from '
            ~ relation ~ ' where built_at >= ' ~ since ~ ' and not ' ~ every_row ~ '))'
        ) -%}
    {%- endif -%}
    {%- do return('(' ~ every_row ~ ' or built_at >= ' ~ since ~ ')') -%}
{%- endmacro %}
