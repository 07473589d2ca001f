"""Run the nightly job headless (for cron, CI and the README's main command)."""

from __future__ import annotations

import os
import socket
import sys
import time
from datetime import date

import dagster as dg

from cx_warehouse.contracts import load_contracts
from cx_warehouse.ingestion.discovery import extract_dates
from cx_warehouse.instance import prepare_dagster_home
from cx_warehouse.settings import Settings, load_settings

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
RUNNER_PID = "cx-warehouse/pid"
RUNNER_HOST = "cx-warehouse/host"
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
SUMMARY_METADATA = ("rows_read", "rows_loaded", "rows_rejected", "dagster/row_count", "version")


def range_tags(first: date, last: date) -> dict[str, str]:
    """Run tags that make one run ingest every extract date from `first` to `last`."""
    return {RANGE_START: first.isoformat(), RANGE_END: last.isoformat()}


def landing_dates(settings: Settings) -> list[date]:
    """Every extract date with a folder for at least one entity."""
    return sorted(
        {d for entity in load_contracts() for d in extract_dates(settings.landing_dir, entity)}
    )


def ingested_dates(instance: dg.DagsterInstance) -> set[date]:
    """Extract dates every raw asset has materialized."""
    from cx_warehouse.defs.ingestion import raw_asset_key

    per_asset = [
        instance.get_materialized_partitions(raw_asset_key(entity)) for entity in load_contracts()
    ]
    common = set.intersection(*(set(keys) for keys in per_asset)) if per_asset else set()
    return {date.fromisoformat(key) for key in common}


def choose_range(
    available: list[date], done: set[date], first: date | None, last: date | None
) -> tuple[date, date]:
    """The extract dates to ingest: by default from the first not yet ingested to the newest."""
    if not available and not (first and last):
        raise SystemExit(
            "no extracts in the landing zone: run `cx-warehouse generate` first, "
            "or point CX_LANDING_DIR at your extracts"
        )
    last = last or available[-1]
    pending = [d for d in available if d not in done and d <= last]
    first = first or (pending[0] if pending else last)
    if first > last:
        raise SystemExit(f"first extract date {first} is after the last {last}")
    return first, last


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fail_orphaned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the runs an earlier headless build left unfinished because its process was
    killed (it can't say so itself), so the run history and the queue stay truthful."""
    unfinished = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING],
            tags={RUNNER_HOST: socket.gethostname()},
        )
    )
    orphaned = [run for run in unfinished if not _process_alive(int(run.tags[RUNNER_PID]))]
    for run in orphaned:
        instance.report_run_failed(
            run,
            f"the process running it (pid {run.tags[RUNNER_PID]}) ended before the run "
            "finished; marked failed by the next headless build",
        )
    return [run.run_id for run in orphaned]


def _readable(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _summary(result: dg.ExecuteInProcessResult) -> list[str]:
    """One line per materialized asset (its last partition's metadata), per failed or warning
    check, and per failed step."""
    latest: dict[str, tuple[int, dict]] = {}
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        key = materialization.asset_key.to_user_string()
        count = latest.get(key, (0, {}))[0] + 1
        latest[key] = (count, {k: v.value for k, v in materialization.metadata.items()})
    lines = []
    for key, (partitions, metadata) in latest.items():
        counts = ", ".join(
            f"{k}={_readable(metadata[k])}" for k in SUMMARY_METADATA if k in metadata
        )
        lines.append(
            f"  materialized {key}"
            + (f" ({counts})" if counts else "")
            + (f" for {partitions} extract dates" if partitions > 1 else "")
        )
    evaluations = result.get_asset_check_evaluations()
    passed = sum(e.passed for e in evaluations)
    lines.append(f"  checks: {passed} of {len(evaluations)} passed")
    for evaluation in evaluations:
        if not evaluation.passed:
            level = "FAILED" if evaluation.severity == dg.AssetCheckSeverity.ERROR else "warning"
            lines.append(
                f"  {level} check {evaluation.asset_key.to_user_string()}:"
                f"{evaluation.check_name} {evaluation.description or ''}".rstrip()
            )
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            message = error.message.strip() if error else "failed"
            lines.append(f"  FAILED step {event.step_key}: {message}")
    return lines


def run_nightly(first: date | None = None, last: date | None = None) -> int:
    settings = load_settings()
    settings.export_to_environ()
    prepare_dagster_home(settings)
    from cx_warehouse.definitions import defs

    instance = dg.DagsterInstance.get()
    for run_id in fail_orphaned_runs(instance):
        print(f"run {run_id} was interrupted (its process is gone): marked failed", flush=True)
    first, last = choose_range(landing_dates(settings), ingested_dates(instance), first, last)
    print(
        f"nightly build: extracts {first} .. {last}, database {settings.warehouse_db}", flush=True
    )
    started = time.monotonic()
    result = defs.resolve_job_def("nightly").execute_in_process(
        instance=instance,
        tags={
            **range_tags(first, last),
            RUNNER_PID: str(os.getpid()),
            RUNNER_HOST: socket.gethostname(),
        },
        run_config=QUIET_LOGS,
        raise_on_error=False,
    )
    print("\n".join(_summary(result)))
    elapsed = time.monotonic() - started
    if result.success:
        print(
            f"nightly build succeeded in {elapsed:.0f}s (run {result.run_id})\n"
            f"  published marts: {settings.publication_dir / 'current' / 'marts.duckdb'}\n"
            f"  reports: {settings.reports_dir / 'index.html'}"
        )
        return 0
    published = any(
        event.event_specific_data.materialization.asset_key.path[0] == "publication"
        for event in result.get_asset_materialization_events()
    )
    outcome = (
        "the marts were published, but a later step failed"
        if published
        else "nothing was published, the current publication is unchanged"
    )
    print(
        f"nightly build FAILED after {elapsed:.0f}s (run {result.run_id}); {outcome}",
        file=sys.stderr,
    )
    return 1
