"""The reload check of the incremental models (`reloads_a_built_extract` in
macros/incremental.sql) at the size of a real reload. Every extract loaded again makes the
loaded-records CTE millions of rows long; the enriched orders read it twice in one union (a
semi join and the reload check), and DuckDB 2.0 never returned from that query while the check
was an uncorrelated EXISTS. The query runs in a child process so a hang fails the test instead
of stalling the suite."""

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


def reload_check(loaded: str) -> str:
    macros = (PROJECT_ROOT / "macros" / "incremental.sql").read_text()
    return str(jinja2.Environment().from_string(macros).module.reloads_a_built_extract(loaded))


def affected_customers_query(built_extract_date: str) -> str:
    """The affected-customers union of int_orders_enriched over synthetic staged orders."""
    return f"""
        create table staged as
        select
            i as order_id,
            i % {CUSTOMERS} as customer_id,
            date '2026-01-01' + (i % 300)::int as source_extract_date
        from range({LOADED_RECORDS}) as t (i);

        with
        built as (select date '{built_extract_date}' as extract_date),
        loaded_records as (select order_id, source_extract_date from staged),
        affected_customers as (
            select staged.customer_id from staged
            semi join loaded_records on staged.order_id = loaded_records.order_id
            union
            select staged.customer_id from staged
            where {reload_check("loaded_records")}
        )
        select count(*) from affected_customers;
    """


def run_in_child(sql: str) -> str:
    script = "import duckdb, sys; print(duckdb.connect().execute(sys.stdin.read()).fetchone()[0])"
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
    ("built_extract_date", "expected"),
    [
        pytest.param("2026-01-01", "False", id="only-new-extract-dates-loaded"),
        pytest.param("2026-01-02", "True", id="a-built-extract-date-loaded-again"),
    ],
)
def test_the_check_tells_a_reload_from_new_extract_dates(built_extract_date, expected):
    sql = f"""
        with
        built as (select date '{built_extract_date}' as extract_date),
        loaded_records as (
            select * from (values (1, date '2026-01-02'), (2, date '2026-01-03'))
                as t (order_id, source_extract_date)
        )
        select {reload_check("loaded_records")}
    """
    assert run_in_child(sql) == expected
