"""`cx-warehouse benchmark`: generation, a full nightly build, the DuckDB-alone baseline on the
same raw data, one more day of extracts and an incremental night checked against a full
refresh, all in a fresh work directory, with the process tree's peak memory and disk reads."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cx_warehouse.benchmark.baseline import run_baseline
from cx_warehouse.benchmark.dbt_timings import DbtInvocation, dbt_step_invocation
from cx_warehouse.benchmark.equality import compare_with_full_refresh
from cx_warehouse.benchmark.machine import describe_machine
from cx_warehouse.benchmark.night_writes import rows_written_since
from cx_warehouse.benchmark.nightly import Night, run_night
from cx_warehouse.benchmark.report import RESULTS_FILE, append_results, render
from cx_warehouse.benchmark.resources import PhaseResources
from cx_warehouse.benchmark.results import BenchmarkResults, Generation
from cx_warehouse.benchmark.stages import dbt_step_key, step_stages
from cx_warehouse.benchmark.workspace import Workspace, prepare_workspace
from cx_warehouse.generator.config import GeneratorConfig, scale_config
from cx_warehouse.generator.landing import generate
from cx_warehouse.settings import load_settings

# A fixed last extract date (not yesterday): every run of a scale gets the same bytes, so
# results stay comparable over time.
LAST_EXTRACT_DATE = date(2026, 10, 31)


def _say(message: str) -> None:
    print(message, flush=True)


def _generate(config: GeneratorConfig, workspace: Workspace, replace_landing: bool) -> Generation:
    settings = workspace.settings
    started = time.monotonic()
    summary = generate(
        config, settings.landing_dir, settings.ground_truth_dir, replace=replace_landing
    )
    seconds = time.monotonic() - started
    generation = Generation(
        config.first_written,
        config.last_written,
        sum(summary.rows.values()),
        summary.files,
        seconds,
    )
    _say(
        f"generated extracts {generation.first} .. {generation.last}: "
        f"{generation.rows:,} rows, {generation.files:,} files in {seconds:,.1f} s"
    )
    return generation


def _night(name: str, workspace: Workspace) -> Night:
    log = workspace.root / f"nightly-{name.replace(' ', '-')}.log"
    _say(f"{name}: running the nightly job (output in {log})")
    night = run_night(name, log)
    outcome = "succeeded" if night.succeeded else f"FAILED (see {log})"
    _say(f"{name}: {outcome} in {night.seconds:,.1f} s")
    return night


def _dbt_invocation(night: Night, stages: dict[str, str]) -> DbtInvocation | None:
    step = dbt_step_key(stages)
    if night.run_id is None or step not in {s.step_key for s in night.steps}:
        return None
    return dbt_step_invocation(night.run_id, step)


def _after_full_build(
    results: BenchmarkResults,
    config: GeneratorConfig,
    workspace: Workspace,
    resources: PhaseResources,
) -> None:
    settings = workspace.settings
    _say("baseline: compiling the models and running their SQL with DuckDB alone")
    with resources.phase("baseline"):
        results.baseline = run_baseline(settings, workspace.folder("baseline"))
    _say(
        f"baseline: {results.baseline.models_executed} of {results.baseline.models_in_manifest} "
        f"models in {results.baseline.seconds:,.1f} s"
    )
    with resources.phase("generation of the last day"):
        last_day = replace(config, write_from=config.end, write_to=config.end)
        results.last_day = _generate(last_day, workspace, replace_landing=False)
    with resources.phase("incremental night"):
        results.incremental = _night("incremental night", workspace)
    results.dbt_incremental = _dbt_invocation(results.incremental, results.stages)
    if not results.incremental.succeeded:
        return
    results.night_writes = rows_written_since(settings.warehouse_db, results.incremental.started_at)
    _say("full refresh: rebuilding a copy of the database with dbt run --full-refresh")
    with resources.phase("full refresh for the comparison"):
        results.equality = compare_with_full_refresh(
            settings.warehouse_db, workspace.folder("full_refresh")
        )
    verdict = "equal" if results.equality.equal else "DIFFER from"
    _say(f"incremental marts {verdict} the full refresh")


def run_benchmark(
    scale: str,
    customers: int | None = None,
    days: int | None = None,
    results_file: Path | None = None,
    work_dir: Path | None = None,
) -> int:
    """Run the benchmark and append its results; 1 when a build failed or the incremental
    marts differ from a full refresh (never because of a timing)."""
    started_at = datetime.now(UTC)
    results_file = results_file or RESULTS_FILE
    config = scale_config(scale, end=LAST_EXTRACT_DATE, customers=customers, days=days)
    workspace = prepare_workspace(work_dir, scale, config.start)
    _say(
        f"benchmark `{scale}`: {config.customers:,} customers, {config.days} days "
        f"({config.start} .. {config.end}) in {workspace.root}"
    )
    with PhaseResources() as resources:
        with resources.phase("generation"):
            history = replace(config, write_to=config.end - timedelta(days=1))
            generation = _generate(history, workspace, replace_landing=True)
        with resources.phase("full build"):
            full = _night("full build", workspace)
        stages = step_stages()
        results = BenchmarkResults(
            started_at=started_at,
            scale=scale,
            customers=config.customers,
            days=config.days,
            work_dir=workspace.root,
            machine=describe_machine(),
            history=generation,
            full=full,
            stages=stages,
            dbt_threads=load_settings().dbt_threads,
            dbt_full=_dbt_invocation(full, stages),
        )
        try:
            if full.succeeded:
                _after_full_build(results, config, workspace, resources)
        finally:
            results.peaks = dict(resources.peaks)
            results.disk_reads = dict(resources.disk_reads)
            section = render(results)
            print(section, flush=True)
            append_results(section, results_file)
            _say(f"results appended to {results_file}")
    return 1 if results.failed else 0
