"""The uniqueness tests of the dbt project (`unique`, overriding dbt's own, and
`unique_combination_of_columns`) find duplicates through `duplicate_keys` in
macros/duplicate_keys.sql: rows grouped by a hash of their key first, then the keys whose hash
repeats grouped by value."""

from __future__ import annotations

import duckdb
import jinja2
import pytest

from cx_warehouse.benchmark.dbt_cli import DbtFailedError, run_dbt
from cx_warehouse.settings import PROJECT_ROOT


def duplicate_keys(model: str, columns: list[str], where: str | None = None) -> str:
    macros = jinja2.Environment().from_string(
        (PROJECT_ROOT / "macros" / "duplicate_keys.sql").read_text()
    )
    return str(macros.module.duplicate_keys(model, columns, where))


def test_a_repeated_key_is_found_with_its_row_count():
    conn = duckdb.connect()
    conn.execute(
        "create table t as select * from (values ('a', 1), ('a', 2), ('a', 3), ('b', 1), "
        "(null, 1), (null, 2)) as v (k, n)"
    )
    assert conn.execute(duplicate_keys("t", ["k"], where="k is not null")).fetchall() == [("a", 3)]
    assert sorted(conn.execute(duplicate_keys("t", ["k"])).fetchall(), key=str) == [
        ("a", 3),
        (None, 2),
    ]


def test_a_combination_repeats_only_when_every_column_does():
    conn = duckdb.connect()
    conn.execute(
        "create table t as select * from (values ('a', 1), ('a', 2), ('b', 1), ('b', 1), "
        "('c', null), ('c', null)) as v (k, n)"
    )
    found = conn.execute(duplicate_keys("t", ["k", "n"]) + " order by k").fetchall()
    assert found == [("b", 1, 2), ("c", None, 2)]


def test_a_unique_key_passes():
    conn = duckdb.connect()
    conn.execute("create table t as select 'id-' || i as k from range(100000) as r (i)")
    assert conn.execute(duplicate_keys("t", ["k"], where="k is not null")).fetchall() == []


def test_dbt_runs_the_projects_unique_test_and_fails_on_a_duplicate(built, tmp_path):
    database = built.warehouse_db
    selection = ["test", "--select", "unique_stg_orders__orders_order_id"]
    run_dbt(selection, database, tmp_path)
    assert "repeated_hashes" in next((tmp_path / "target" / "compiled").rglob("*.sql")).read_text()
    with duckdb.connect(str(database)) as conn:
        conn.execute(
            "insert into staging.stg_orders__orders select * from staging.stg_orders__orders "
            "limit 1"
        )
    with pytest.raises(DbtFailedError, match="Got 1 result"):
        run_dbt(selection, database, tmp_path)
