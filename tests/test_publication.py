"""Write, audit, publish, end to end through Dagster on the small generated data: what a clean
run publishes, what the gate blocks, what readers see during a publish, what a kill leaves
behind, rollback, and the schedule and sensor."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import dagster as dg
import duckdb
import pytest
from dbt.version import __version__ as dbt_version

from cx_warehouse import cli
from cx_warehouse.defs.dbt import dbt_project_manifest
from cx_warehouse.defs.quality import MARTS
from cx_warehouse.publication.publish import INFO_TABLE
from cx_warehouse.publication.store import DATABASE, TEMPORARY_PREFIX, PublicationStore
from cx_warehouse.quality.validation import MartValidator
from cx_warehouse.settings import PROJECT_ROOT, Settings
from cx_warehouse.warehouse import connect
from tests.conftest import configure, extract_dates, run_job

BIN = Path(sys.executable).parent


def publication_digest(settings: Settings) -> dict[str, str]:
    """Every published file's SHA-256 and where `current` points: equal digests mean the
    publication is unchanged byte for byte (leftovers of interrupted publishes excluded)."""
    root = settings.publication_dir
    digest = {"current": os.readlink(root / "current")}
    for path in sorted((root / "versions").rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not relative.parts[1].startswith(TEMPORARY_PREFIX):
            digest[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def published_version(settings: Settings) -> str:
    """The version recorded inside the current published DuckDB file, opened as a BI tool does."""
    path = settings.publication_dir / "current" / DATABASE
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(f"SELECT version FROM {INFO_TABLE}").fetchone()[0]


def failed_checks(result: dg.ExecuteInProcessResult) -> set[tuple[str, str]]:
    return {
        (e.asset_key.to_user_string(), e.check_name)
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    }


def materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {
        e.event_specific_data.materialization.asset_key.to_user_string()
        for e in result.get_asset_materialization_events()
    }


def test_a_clean_run_publishes_a_version_with_a_complete_manifest(nightly_build):
    settings, result = nightly_build
    store = PublicationStore(settings.publication_dir)
    manifest = store.current_manifest()
    marts = MARTS

    assert manifest["version"] == store.current_version() == published_version(settings)
    assert manifest["dagster_run_id"] == result.run_id
    assert re.fullmatch(r"[0-9a-f]{40}", manifest["git_revision"])
    assert manifest["dbt_version"] == dbt_version
    assert manifest["dbt_target"] == settings.dbt_target
    assert manifest["storage_version"].startswith("v1.")
    landing_dates = extract_dates(settings.landing_dir)
    assert manifest["extract_date"] == landing_dates[-1]
    published_at = datetime.fromisoformat(manifest["published_at"])
    assert abs(datetime.now(UTC) - published_at).total_seconds() < 3600

    checks = manifest["checks"]
    assert all(c["passed"] for c in checks if c["severity"] == "ERROR")
    checked = {(c["asset"], c["check"]) for c in checks}
    assert {("quality/source_health", "freshness"), ("quality/source_health", "reject_rate")} <= (
        checked
    )
    assert {(f"marts/{m}", "great_expectations") for m in marts} <= checked
    dbt_tests = {c["check"] for c in checks if c["check"].startswith("not_null_")}
    assert len(dbt_tests) > 20, "dbt tests are asset checks"

    assert set(manifest["marts"]) == set(marts)
    folder = store.current_dir()
    with (
        duckdb.connect(str(settings.warehouse_db), read_only=True) as build,
        duckdb.connect(str(folder / DATABASE), read_only=True) as published,
    ):
        for mart, shape in manifest["marts"].items():
            rows = build.execute(f"SELECT count(*) FROM marts.{mart}").fetchone()[0]
            assert shape["rows"] == rows > 0, mart
            assert published.execute(f"SELECT count(*) FROM {mart}").fetchone()[0] == rows
            parquet = folder / shape["parquet"]
            assert published.execute(f"SELECT count(*) FROM '{parquet}'").fetchone()[0] == rows
            assert shape["columns"] == list(marts[mart].columns), mart

    report = json.loads((settings.publication_dir / manifest["validation_report"]).read_text())
    assert {v["mart"] for v in report} == set(marts)
    assert all(v["passed"] for v in report)


def test_a_publish_rewrites_only_the_partitions_whose_rows_changed(built):
    """One order of one month changes: the next version's fct_orders Parquet file of that month
    is new, every other file is a hard link to the previous version's (never rewritten), and
    the DuckDB file - a copy of the previous one with that month rewritten - and the Parquet
    files hold exactly the marts of the build database."""
    store = PublicationStore(built.publication_dir)
    previous = store.current_dir()
    with duckdb.connect(str(built.warehouse_db)) as conn:
        order_id, ordered_at = conn.execute(
            "SELECT order_id, ordered_at FROM marts.fct_orders ORDER BY order_id LIMIT 1"
        ).fetchone()
        conn.execute(
            "UPDATE marts.fct_orders SET line_count = line_count + 1 WHERE order_id = ?",
            [order_id],
        )
    month = f"{ordered_at:%Y-%m}"

    assert run_job("publish").success
    current = store.current_dir()
    assert current != previous
    rewritten = {
        path.relative_to(current)
        for path in (current / "parquet").rglob("*.parquet")
        if path.stat().st_ino != (previous / path.relative_to(current)).stat().st_ino
    }
    assert rewritten == {Path("parquet") / "fct_orders" / f"{month}.parquet"}
    manifest = store.current_manifest()
    assert manifest["marts"]["fct_orders"]["partition_by"] == "ordered_at"
    assert len(manifest["marts"]["fct_orders"]["partitions"]) > 6

    with duckdb.connect() as conn:
        conn.execute(f"ATTACH '{built.warehouse_db}' AS build (READ_ONLY)")
        conn.execute(f"ATTACH '{current / DATABASE}' AS published (READ_ONLY)")
        for mart, shape in manifest["marts"].items():
            parquet = f"read_parquet('{current / shape['parquet']}')"
            for published in (f"published.main.{mart}", parquet):
                differing = conn.execute(
                    f"SELECT count(*) FROM ((FROM build.marts.{mart} EXCEPT ALL FROM {published}) "
                    f"UNION ALL (FROM {published} EXCEPT ALL FROM build.marts.{mart}))"
                ).fetchone()[0]
                assert differing == 0, (mart, published)


class AlertReceiver(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        AlertReceiver.received.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def alert_webhook(monkeypatch):
    """A local webhook; yields the list of alerts it receives."""
    AlertReceiver.received = []
    server = HTTPServer(("127.0.0.1", 0), AlertReceiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("CX_ALERT_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/alerts")
    yield AlertReceiver.received
    server.shutdown()


NPS_OUTSIDE_THE_CONTRACT = (
    "CREATE OR REPLACE TABLE marts.kpi_scorecard AS SELECT * REPLACE ("
    "CASE WHEN kpi = 'nps' AND slice_type = 'all' THEN 150 ELSE value END AS value) "
    "FROM marts.kpi_scorecard"
)

CORRUPTIONS = {
    "duplicate key": (
        "fct_tickets",
        "INSERT INTO marts.fct_tickets SELECT * FROM marts.fct_tickets LIMIT 1",
        "ticket_id",
    ),
    # DuckDB refuses such a row in the mart dbt built (its contract's check), so the mart is
    # rewritten without its contract, as a broken deployment could.
    "NPS out of range": (
        "kpi_scorecard",
        NPS_OUTSIDE_THE_CONTRACT,
        "value",
    ),
    "vanished column": (
        "dim_customers",
        "ALTER TABLE marts.dim_customers DROP COLUMN health_score",
        "health_score",
    ),
}


def test_mart_materializations_carry_row_counts_schema_and_a_kpi_preview(nightly_build):
    settings, result = nightly_build
    metadata = {
        e.event_specific_data.materialization.asset_key.to_user_string(): (
            e.event_specific_data.materialization.metadata
        )
        for e in result.get_asset_materialization_events()
    }
    models = {
        node["name"]: node
        for node in dbt_project_manifest()["nodes"].values()
        if node["resource_type"] == "model"
    }
    with duckdb.connect(str(settings.warehouse_db), read_only=True) as build:
        for mart in MARTS:
            rows = build.execute(f"SELECT count(*) FROM marts.{mart}").fetchone()[0]
            assert metadata[f"marts/{mart}"]["dagster/row_count"].value == rows, mart
            schema = metadata[f"marts/{mart}"]["dagster/column_schema"].value
            assert [c.name for c in schema.columns] == [
                name for name, *_ in build.execute(f"DESCRIBE marts.{mart}").fetchall()
            ]
            declared = models[mart]
            assert {c.name for c in schema.columns if not c.constraints.nullable} == {
                name
                for name, column in declared["columns"].items()
                if any(c["type"] == "not_null" for c in column.get("constraints", []))
            }, mart
            shown = [e for c in schema.columns for e in c.constraints.other]
            shown += schema.constraints.other
            assert len(shown) == len(MARTS[mart].checks), mart
    kpis = metadata["marts/kpi_scorecard"]["dagster/column_schema"].value
    grain = next(c for c in kpis.columns if c.name == "period_grain")
    assert grain.constraints.other == ["(period_grain IN ('day', 'week', 'month'))"]
    assert any("'nps'" in e and "-100 AND 100" in e for e in kpis.constraints.other)
    preview = metadata["marts/kpi_scorecard"]["preview"].value
    assert preview.startswith("| kpi | period_start | value |")
    assert "| nps |" in preview and "| csat |" in preview


BREACHES = {
    "NPS above 100": (
        "kpi_scorecard",
        "UPDATE marts.kpi_scorecard SET value = 150 WHERE kpi = 'nps'",
        'CHECK constraint failed on table "kpi_scorecard"',
    ),
    "customer without persona": (
        "dim_customers",
        "UPDATE marts.dim_customers SET persona = NULL",
        "NOT NULL constraint failed: dim_customers.persona",
    ),
    "CSAT of 9": (
        "fct_tickets",
        "UPDATE marts.fct_tickets SET csat_score = 9",
        "CHECK((csat_score BETWEEN 1 AND 5))",
    ),
    "unknown journey stage": (
        "persona_journey_mix",
        "INSERT INTO marts.persona_journey_mix (persona, journey_stage) VALUES ('x', 'limbo')",
        'CHECK constraint failed on table "persona_journey_mix"',
    ),
}


@pytest.mark.parametrize("breach", BREACHES)
def test_a_mart_refuses_rows_that_break_its_contract(built, breach):
    """The marts' not-null and check rules are constraints of their enforced dbt contracts:
    DuckDB refuses a row that breaks one, whoever writes it (a model with a bug fails its
    build), and the mart is left as it was."""
    mart, statement, message = BREACHES[breach]
    with duckdb.connect(str(built.warehouse_db)) as conn:
        before = conn.execute(f"SELECT * FROM marts.{mart} ORDER BY ALL").fetchall()
        with pytest.raises(duckdb.ConstraintException, match=re.escape(message)):
            conn.execute(statement)
        assert conn.execute(f"SELECT * FROM marts.{mart} ORDER BY ALL").fetchall() == before


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_a_corrupted_mart_is_blocked_and_the_publication_unchanged(
    built, alert_webhook, corruption
):
    mart, statement, column = CORRUPTIONS[corruption]
    before = publication_digest(built)
    with duckdb.connect(str(built.warehouse_db)) as conn:
        conn.execute(statement)

    result = run_job("publish")

    assert not result.success
    # dbt's tests on the mart run in the publish job too and may fail alongside
    assert (f"marts/{mart}", "great_expectations") in failed_checks(result)
    assert {asset for asset, _ in failed_checks(result)} == {f"marts/{mart}"}
    assert "publication/marts" not in materialized(result)
    assert publication_digest(built) == before
    assert published_version(built) == before["current"].split("/")[-1]

    report = json.loads(
        (built.publication_dir / "validations" / f"{result.run_id}.json").read_text()
    )
    (validation,) = [v for v in report if v["mart"] == mart]
    failing = [f for f in validation["findings"] if not f["passed"]]
    assert any(f["column"] == column or f"missing: {column}" in f["samples"] for f in failing)
    if corruption == "NPS out of range":
        assert any(150 in f["samples"] for f in failing)
        assert any(
            f["expectation"] == "every row satisfies kpi <> 'nps' or value between -100 and 100"
            and f["column"] is None
            for f in failing
        )

    failures = [e for e in result.all_events if e.is_step_failure]
    assert any(mart in e.step_failure_data.error.message for e in failures)
    assert alert_webhook, "the failure hook posts to the webhook"
    assert {a["job"] for a in alert_webhook} == {"publish"}
    assert any(mart in (a["error"] or "") for a in alert_webhook)


READER = """
import json, pathlib, sys, time
import duckdb
conn = duckdb.connect(sys.argv[1], read_only=True)
stop, seen, errors = pathlib.Path(sys.argv[2]), [], []
print("ready", flush=True)
while not stop.exists():
    try:
        version = conn.execute("SELECT version FROM publication_info").fetchone()[0]
        rows = conn.execute("SELECT count(*) FROM fct_tickets").fetchone()[0]
        seen.append([version, rows])
    except Exception as error:
        errors.append(repr(error))
    time.sleep(0.01)
print(json.dumps({"seen": seen, "errors": errors}), flush=True)
"""


def test_a_mart_over_the_row_limit_is_validated_on_a_reproducible_sample(built):
    """Above CX_VALIDATION_MAX_ROWS a mart's rows are validated on a sample of that many rows,
    the same rows each time; counts, keys and nulls still cover every row."""
    with duckdb.connect(str(built.warehouse_db)) as conn:
        conn.execute(NPS_OUTSIDE_THE_CONTRACT)
        total = conn.execute("SELECT count(*) FROM marts.kpi_scorecard").fetchone()[0]
    limit = total // 3

    with connect(built.warehouse_db, read_only=True) as conn:
        first, again = (
            MartValidator(conn, limit, 0.5, 0.5, {}, None).validate(MARTS["kpi_scorecard"])
            for _ in range(2)
        )

    assert (first.rows, first.validated_rows) == (total, limit)
    assert f"a sample of {limit:,} of {total:,} rows" in first.markdown()
    assert any(f.column == "value" and 150 in f.samples for f in first.failures)
    assert first.to_dict() == again.to_dict()


def test_a_reader_keeps_reading_during_a_publish_and_a_new_reader_sees_the_new_version(
    built, tmp_path
):
    old = PublicationStore(built.publication_dir).current_version()
    stop = tmp_path / "stop-reading"
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            READER,
            str(built.publication_dir / "current" / DATABASE),
            str(stop),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip() == "ready"

    result = run_job("publish")
    stop.touch()
    output, _ = reader.communicate(timeout=60)

    assert result.success
    new = PublicationStore(built.publication_dir).current_version()
    assert new != old
    reads = json.loads(output)
    assert reads["errors"] == []
    assert len(reads["seen"]) > 10
    assert {version for version, _ in reads["seen"]} == {old}
    assert published_version(built) == new
    assert old in PublicationStore(built.publication_dir).list_versions()


def _kill_when(process: subprocess.Popen, condition, what: str, timeout: float = 600) -> None:
    """SIGKILL the process and its children as soon as `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the process ended (code {process.returncode}) before {what}")
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


PUBLISH = "import sys; from tests.conftest import run_job; sys.exit(not run_job('publish').success)"


def test_a_publish_killed_midway_leaves_the_publication_intact(built):
    before = publication_digest(built)
    versions = built.publication_dir / "versions"
    publisher = subprocess.Popen(
        [sys.executable, "-c", PUBLISH], cwd=PROJECT_ROOT, start_new_session=True
    )
    _kill_when(
        publisher,
        lambda: any(p.name.startswith(TEMPORARY_PREFIX) for p in versions.iterdir()),
        "the publish started writing a version",
    )

    assert publication_digest(built) == before
    assert published_version(built) == before["current"].split("/")[-1]

    assert run_job("publish").success
    assert published_version(built) != before["current"].split("/")[-1]
    assert not [p for p in versions.iterdir() if p.name.startswith(TEMPORARY_PREFIX)]


def _children_running(session: int, word: str) -> bool:
    """Is a process of the session running a command line that contains `word`?"""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            session_id = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[3])
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
        if session_id == session and word in command:
            return True
    return False


def nightly_command(settings: Settings) -> list[str]:
    day = extract_dates(settings.landing_dir)[-1]
    return [str(BIN / "cx-warehouse"), "nightly", "--first", day, "--last", day]


def test_a_build_killed_midway_leaves_the_publication_intact_and_the_next_run_succeeds(built):
    before = publication_digest(built)
    build = subprocess.Popen(
        nightly_command(built),
        cwd=PROJECT_ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _kill_when(build, lambda: _children_running(build.pid, "dbt build"), "dbt started")

    assert publication_digest(built) == before
    assert published_version(built) == before["current"].split("/")[-1]

    rerun = subprocess.run(nightly_command(built), cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "was interrupted (its process is gone): marked failed" in rerun.stdout
    assert published_version(built) != before["current"].split("/")[-1]


def test_the_nightly_command_fails_when_the_reject_rate_gate_blocks(built, tmp_path, monkeypatch):
    """A new extract day whose customers are mostly invalid: ingestion keeps the rejects, the
    gate blocks, nothing is published and the command exits non-zero naming the check."""
    source = built.landing_dir / "crm" / "customers"
    full_export = sorted(p.name for p in source.iterdir())[0]
    landing = tmp_path / "landing"
    new_day = landing / "crm" / "customers" / "2099-01-01"
    new_day.mkdir(parents=True)
    with open(
        source / full_export / "part-0000.csv", newline="", errors="surrogateescape"
    ) as extract:
        header, *rows = list(csv.reader(extract))
    for row in rows[:50]:
        row[header.index("created_at")] = "yesterday"
    with open(new_day / "part-0000.csv", "w", newline="", errors="surrogateescape") as extract:
        csv.writer(extract).writerows([header, *rows[:60]])
    monkeypatch.setenv("CX_LANDING_DIR", str(landing))
    before = publication_digest(built)

    run = subprocess.run(
        [str(BIN / "cx-warehouse"), "nightly", "--first", "2099-01-01", "--last", "2099-01-01"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )

    assert run.returncode == 1, run.stdout + run.stderr
    assert "FAILED check quality/source_health:reject_rate" in run.stdout
    assert "crm.customers" in run.stdout
    assert "nothing was published" in run.stderr
    assert publication_digest(built) == before
    with duckdb.connect(str(built.warehouse_db), read_only=True) as conn:
        kept = conn.execute(
            "SELECT count(*) FROM ingestion_audit.rejects WHERE extract_date = '2099-01-01'"
        ).fetchone()[0]
    assert kept >= 50


def test_rollback_restores_an_earlier_version(built, capsys):
    store = PublicationStore(built.publication_dir)
    first = store.current_version()
    assert run_job("publish").success
    second = store.current_version()
    assert second != first

    assert cli.main(["rollback"]) == 0
    assert store.current_version() == first == published_version(built)
    assert cli.main(["rollback", "--to", second]) == 0
    assert store.current_version() == second == published_version(built)
    assert cli.main(["rollback", "--to", "no-such-version"]) == 1
    assert store.current_version() == second

    cli.main(["publications"])
    listing = capsys.readouterr().out
    assert f"* {second}" in listing and f"  {first}" in listing


OLD_DUCKDB_CLIENT = """
import json, sys, duckdb
conn = duckdb.connect(sys.argv[1], read_only=True)
marts = json.loads(sys.argv[2])
print(json.dumps({
    "duckdb": duckdb.__version__,
    "rows": {m: conn.execute(f"SELECT count(*) FROM {m}").fetchone()[0] for m in marts},
    "parquet": conn.execute(f"SELECT count(*) FROM '{sys.argv[3]}'").fetchone()[0],
}))
"""


def test_a_duckdb_1x_client_reads_the_publication(nightly_build, tmp_path):
    """BI tools bundle DuckDB 1.x: a real 1.x client, in its own environment, opens the file."""
    settings, _ = nightly_build
    environment = tmp_path / "duckdb1"
    uv = PROJECT_ROOT / ".tools" / "bin" / "uv"
    subprocess.run([str(uv), "venv", "-q", str(environment)], check=True)
    subprocess.run(
        [
            str(uv),
            "pip",
            "install",
            "-q",
            "--python",
            str(environment / "bin" / "python"),
            "duckdb==1.1.3",
        ],
        check=True,
    )
    manifest = PublicationStore(settings.publication_dir).current_manifest()
    current = settings.publication_dir / "current"
    read = subprocess.run(
        [
            str(environment / "bin" / "python"),
            "-c",
            OLD_DUCKDB_CLIENT,
            str(current / DATABASE),
            json.dumps(list(manifest["marts"])),
            str(current / manifest["marts"]["fct_tickets"]["parquet"]),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(read.stdout)
    assert seen["duckdb"].startswith("1.")
    assert seen["rows"] == {m: shape["rows"] for m, shape in manifest["marts"].items()}
    assert seen["parquet"] == manifest["marts"]["fct_tickets"]["rows"]


@pytest.fixture
def persistent_instance():
    """Schedule and sensor contexts need an instance that can be re-opened from its ref."""
    with dg.instance_for_test() as instance:
        yield instance


def test_the_schedule_and_the_sensor_start_the_nightly_job(
    nightly_build, monkeypatch, tmp_path, persistent_instance
):
    from cx_warehouse.definitions import build_definitions
    from cx_warehouse.runner import RANGE_END, RANGE_START

    source, _ = nightly_build
    configure(monkeypatch, tmp_path, source.landing_dir, source.ground_truth_dir)
    definitions = build_definitions()
    dates = extract_dates(source.landing_dir)
    instance = persistent_instance

    schedule = definitions.get_schedule_def("nightly_schedule")
    assert schedule.job_name == "nightly"
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    night_after_last = datetime.fromisoformat(dates[-1]).replace(tzinfo=UTC) + timedelta(
        days=1, hours=2
    )
    tick = schedule.evaluate_tick(
        dg.build_schedule_context(instance=instance, scheduled_execution_time=night_after_last)
    )
    (request,) = tick.run_requests
    # nothing ingested in this instance yet: the run catches up from the first extract date
    assert (request.tags[RANGE_START], request.tags[RANGE_END]) == (dates[0], dates[-1])

    sensor = definitions.get_sensor_def("new_extract_sensor")
    assert sensor.job_name == "nightly"
    first_tick = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
    (request,) = first_tick.run_requests
    assert (request.tags[RANGE_START], request.tags[RANGE_END]) == (dates[0], dates[-1])
    assert first_tick.cursor == dates[-1]
    quiet_tick = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=dates[-1]))
    assert not quiet_tick.run_requests
