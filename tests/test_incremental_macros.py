"""The reload check of the incremental models (`built_from_a_reloaded_extract` in
macros/incremental.sql): which kept rows it picks, and that it completes at the size of a real
reload. Every extract loaded again makes the loaded-records CTE millions of rows long; the
enriched orders read it in a union that is then semi-joined, and DuckDB 2.0 never returned from
such a query while the check was an uncorrelated EXISTS. The queries run in a child process so
a hang fails the test instead of stalling the suite."""

from __future__ import annotations

import subprocess
import sys

import jinja2
import pytest

from cx_warehouse.settings import PROJECT_ROOT

LOADED_RECORDS = 4_000_000
CUSTOMERS = 100_000
# A liveness limit, not a speed target: the query takes well under a second.
HANG_SECONDS = 120


def reload_check(first_date: str, last_date: str, loaded: str) -> str:
    macros = (PROJECT_ROOT / "macros" / "incremental.sql").read_text()
    module = jinja2.Environment().from_string(macros).module
    return str(module.built_from_a_reloaded_extract(first_date, last_date, loaded))


def affected_customers_query(built_extract_date: str) -> str:
    """The changed-orders and affected-customers CTEs of int_orders_enriched over synthetic
    orders, every one of them loaded again."""
    check = reload_check(
        "kept.records_first_extract_date", "kept.records_extract_date", "loaded_records"
    )
    return f"""
        create table staged as
        select
            i as order_id,
            i % {CUSTOMERS} as customer_id,
            date '2026-01-01' + (i % 300)::int as source_extract_date
        from range({LOADED_RECORDS}) as t (i);

        create table kept as
        select
            order_id,
            customer_id,
            source_extract_date - 3 as records_first_extract_date,
            source_extract_date as records_extract_date
        from staged;

        with
        built as (select date '{built_extract_date}' as extract_date),
        loaded_records as (select order_id, source_extract_date from staged),
        changed_orders as (
            select order_id from staged
            union
            select kept.order_id from kept
            where {check}
        ),
        affected_customers as (
            select staged.customer_id from staged
            semi join changed_orders on staged.order_id = changed_orders.order_id
            union
            select kept.customer_id from kept
            semi join changed_orders on kept.order_id = changed_orders.order_id
        )
        select count(*) from affected_customers;
    """


def run_in_child(sql: str) -> str:
    script = (
        "import duckdb, sys; connection = duckdb.connect(); "
        "connection.execute('set enable_progress_bar = false'); "
        "print(connection.execute(sys.stdin.read()).fetchone()[0])"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        input=sql,
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
        check=True,
    )
    return completed.stdout.strip()


def test_a_reload_of_every_extract_date_completes():
    assert run_in_child(affected_customers_query("2026-10-01")) == str(CUSTOMERS)


@pytest.mark.parametrize(
    ("built_extract_date", "kept_span", "expected"),
    [
        pytest.param(
            "2026-01-01", ("2025-12-20", "2026-01-01"), "False", id="only-new-extract-dates-loaded"
        ),
        pytest.param(
            "2026-01-05", ("2025-12-20", "2026-01-02"), "True", id="row-built-from-a-reloaded-date"
        ),
        pytest.param(
            "2026-01-05", ("2026-01-01", "2026-01-04"), "True", id="row-spans-the-reloaded-dates"
        ),
        pytest.param(
            "2026-01-05", ("2026-01-04", "2026-01-05"), "False", id="row-built-after-them"
        ),
        pytest.param(
            "2026-01-05", ("2025-12-20", "2026-01-01"), "False", id="row-built-before-them"
        ),
    ],
)
def test_the_check_picks_the_rows_built_from_an_extract_loaded_again(
    built_extract_date, kept_span, expected
):
    """Records of 2 and 3 January are loaded tonight: a reload when the last build had already
    taken extracts up to 5 January, not when it stopped at 1 January."""
    first, last = kept_span
    sql = f"""
        with
        built as (select date '{built_extract_date}' as extract_date),
        loaded_records as (
            select * from (values (1, date '2026-01-02'), (2, date '2026-01-03'))
                as t (order_id, source_extract_date)
        )
        select {reload_check(f"date '{first}'", f"date '{last}'", "loaded_records")}
    """
    assert run_in_child(sql) == expected
