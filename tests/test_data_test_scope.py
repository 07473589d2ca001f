"""Data tests of the incremental models read what the dbt invocation wrote (macros/
data_test_scope.sql): a night tests the rows it loaded and recomputed, a uniqueness test every
row of the keys written, and a model the invocation did not write is tested whole."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from cx_warehouse.benchmark.dbt_cli import run_dbt

MODEL = "staging.stg_crm__touchpoints"
TESTS = {
    "not_null": "not_null_stg_crm__touchpoints_customer_id",
    "unique": "unique_stg_crm__touchpoints_touchpoint_id",
}


@pytest.fixture
def compiled_tests(built, tmp_path) -> tuple[dict[str, str], datetime]:
    """The two tests' SQL as an invocation compiles them, and a moment after it started."""
    folder = tmp_path / "compile"
    folder.mkdir()
    run_dbt(["compile", "--select", *TESTS.values()], built.warehouse_db, folder)
    sql = {
        kind: next((folder / "target" / "compiled").rglob(f"{name}.sql")).read_text()
        for kind, name in TESTS.items()
    }
    return sql, datetime.now().astimezone()


def failures(conn: duckdb.DuckDBPyConnection, sql: str) -> int:
    return conn.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]


def plant(conn: duckdb.DuckDBPyConnection, key: str, customer: str | None, written) -> None:
    """A copy of the first touch under `key`, for `customer`, written at `written`."""
    conn.execute(
        f"INSERT INTO {MODEL} SELECT * REPLACE (? AS touchpoint_id, ? AS customer_id, "
        f"?::timestamptz AS built_at) FROM {MODEL} ORDER BY touchpoint_id LIMIT 1",
        [key, customer, written],
    )


def test_a_model_the_invocation_did_not_write_is_tested_whole(built, compiled_tests):
    sql, during = compiled_tests
    with duckdb.connect(str(built.warehouse_db)) as conn:
        assert conn.execute(f"SELECT max(built_at) < ? FROM {MODEL}", [during]).fetchone()[0]
        plant(conn, "TP-OLD-NULL", None, "2020-01-01")
        plant(conn, "TP-OLD-TWIN", "CUS-0000001", "2020-01-01")
        plant(conn, "TP-OLD-TWIN", "CUS-0000001", "2020-01-01")
        assert failures(conn, sql["not_null"]) == 1
        assert failures(conn, sql["unique"]) == 1


def test_a_written_model_is_tested_on_the_rows_and_keys_written(built, compiled_tests):
    sql, during = compiled_tests
    with duckdb.connect(str(built.warehouse_db)) as conn:
        (old_key,) = conn.execute(f"SELECT min(touchpoint_id) FROM {MODEL}").fetchone()
        # History an earlier build wrote and tested is not read again...
        plant(conn, "TP-OLD-NULL", None, "2020-01-01")
        plant(conn, "TP-OLD-TWIN", "CUS-0000001", "2020-01-01")
        plant(conn, "TP-OLD-TWIN", "CUS-0000001", "2020-01-01")
        plant(conn, "TP-NEW", "CUS-0000001", during)
        assert failures(conn, sql["not_null"]) == 0
        assert failures(conn, sql["unique"]) == 0
        # ...but a new row breaking a rule is found, and so is a new row duplicating an old one.
        plant(conn, "TP-NEW-NULL", None, during)
        plant(conn, old_key, "CUS-0000001", during)
        assert failures(conn, sql["not_null"]) == 1
        assert failures(conn, sql["unique"]) == 1


def test_a_model_the_invocation_wrote_whole_is_tested_whole(built, compiled_tests):
    """A full build writes every row: the keys written are not looked up, every row is read."""
    sql, during = compiled_tests
    with duckdb.connect(str(built.warehouse_db)) as conn:
        conn.execute(f"UPDATE {MODEL} SET built_at = ?", [during])
        plant(conn, "TP-NULL", None, during)
        plant(conn, "TP-TWIN", "CUS-0000001", during)
        plant(conn, "TP-TWIN", "CUS-0000001", during)
        assert failures(conn, sql["not_null"]) == 1
        assert failures(conn, sql["unique"]) == 1
