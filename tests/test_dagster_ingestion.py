"""Ingestion end to end through Dagster, on a generated landing zone."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import dagster as dg
import duckdb
import pytest

from cx_warehouse.contracts import load_contracts
from cx_warehouse.definitions import build_definitions
from cx_warehouse.defs.ingestion import raw_asset_key
from cx_warehouse.runner import choose_range, landing_dates
from cx_warehouse.warehouse import WarehouseBusyError, exclusive_writer
from tests.conftest import configure, run_nightly


def test_definitions_load_with_every_source_entity_grouped_by_source(tmp_path, monkeypatch):
    configure(monkeypatch, tmp_path)
    defs = build_definitions()
    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    for entity in load_contracts():
        node = graph.get(raw_asset_key(entity))
        assert node.group_name == f"ingest_{entity.source}"
        assert node.partitions_def is not None
        schema = node.metadata["dagster/column_schema"]
        assert [c.name for c in schema.columns] == list(entity.column_names)
    assert defs.resolve_job_def("nightly") is not None


@pytest.fixture(scope="module")
def ingested(nightly_build, small_landing):
    settings, result = nightly_build
    _, truth, _ = small_landing
    return settings, result, json.loads((truth / "generation.json").read_text())


def test_nightly_ingests_every_entity_and_rejects_exactly_the_broken_records(ingested):
    settings, result, manifest = ingested
    assert result.success
    conn = duckdb.connect(str(settings.warehouse_db), read_only=True)
    for entity in load_contracts():
        read, loaded, rejected = conn.execute(
            "SELECT sum(rows_read), sum(rows_loaded), sum(rows_rejected) "
            "FROM ingestion_audit.file_loads WHERE source = ? AND entity = ?",
            [entity.source, entity.name],
        ).fetchone()
        assert read == manifest["rows"][entity.qualified_name]
        assert rejected == sum(manifest["corrupted_rows"][entity.qualified_name].values())
        assert read == loaded + rejected
        in_raw = conn.execute(f"SELECT count(*) FROM raw.{entity.raw_table}").fetchone()[0]
        assert in_raw == loaded
    assert (
        conn.execute(
            "SELECT count(*) FROM ingestion_audit.file_loads "
            "WHERE rows_read <> rows_loaded + rows_rejected OR status <> 'loaded'"
        ).fetchone()[0]
        == 0
    )
    reasons = {
        r for (r,) in conn.execute("SELECT DISTINCT reason FROM ingestion_audit.rejects").fetchall()
    }
    for expected in (
        "not one of the allowed values",
        "not an ISO-8601 timestamp",
        "above the maximum 10",
        "below the minimum 0",
        "required value is missing",
        "not valid JSON",
        "invalid UTF-8 byte sequence",
    ):
        assert any(expected in reason for reason in reasons), expected


def test_materializations_report_rows_per_partition(ingested):
    _, result, _ = ingested
    events = [e for e in result.get_asset_materialization_events() if e.asset_key.path[0] == "raw"]
    keys = {e.asset_key for e in events}
    assert keys == {raw_asset_key(entity) for entity in load_contracts()}
    metadata = events[0].materialization.metadata
    assert {"rows_read", "rows_loaded", "rows_rejected", "reject_rate"} <= set(metadata)


def test_rerunning_a_partition_is_idempotent(built):
    settings = built

    def counts():
        with duckdb.connect(str(settings.warehouse_db), read_only=True) as conn:
            return [
                conn.execute(f"SELECT count(*) FROM raw.{e.raw_table}").fetchone()[0]
                for e in load_contracts()
            ]

    before = counts()
    last = landing_dates(settings)[-1].isoformat()
    assert run_nightly(last, last).success
    assert counts() == before


def test_a_file_missing_a_column_fails_its_asset_naming_the_file(tmp_path, monkeypatch):
    settings = configure(monkeypatch, tmp_path)
    folder = settings.landing_dir / "orders" / "returns" / "2026-03-02"
    folder.mkdir(parents=True)
    (folder / "part-0001.csv").write_text("return_id,order_id\nRET-000000001,ORD-000000001\n")
    result = run_nightly("2026-03-02", "2026-03-02")
    assert not result.success
    [failure] = [e for e in result.all_events if e.is_step_failure]
    message = failure.step_failure_data.user_failure_data.description
    assert str(folder / "part-0001.csv") in message
    assert "missing required column(s) requested_at, reason" in message


def test_the_nightly_range_starts_at_the_first_date_not_yet_ingested(small_landing):
    from datetime import date

    dates = [date(2026, 10, d) for d in (1, 2, 3, 4)]
    assert choose_range(dates, set(), None, None) == (dates[0], dates[-1])
    assert choose_range(dates, set(dates[:2]), None, None) == (dates[2], dates[-1])
    assert choose_range(dates, set(dates), None, None) == (dates[-1], dates[-1])
    with pytest.raises(SystemExit, match="no extracts"):
        choose_range([], set(), None, None)


def test_a_second_writer_waits_for_the_lock(tmp_path):
    database = tmp_path / "build.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from pathlib import Path; "
                "from cx_warehouse.warehouse import exclusive_writer\n"
                f"with exclusive_writer(Path({str(database)!r}), 5):\n"
                "    print('held', flush=True); time.sleep(3)"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with (
        pytest.raises(WarehouseBusyError, match="being written by another process"),
        exclusive_writer(database, timeout_seconds=0.5),
    ):
        pass
    started = time.monotonic()
    with exclusive_writer(database, timeout_seconds=10):
        waited = time.monotonic() - started
    holder.wait()
    assert waited > 0.5
