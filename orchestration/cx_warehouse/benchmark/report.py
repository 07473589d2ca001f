"""The results of a benchmark as a Markdown section: printed, and appended to the results file
(docs/benchmarks.md) so figures can be compared over time."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cx_warehouse.benchmark.dbt_timings import RESOURCE_TYPES, DbtInvocation
from cx_warehouse.benchmark.nightly import Night
from cx_warehouse.benchmark.resources import BETWEEN_PHASES, SAMPLE_SECONDS
from cx_warehouse.benchmark.results import GIB, MAX_PEAK_RSS_BYTES, BenchmarkResults
from cx_warehouse.benchmark.stages import OTHER, STAGES
from cx_warehouse.markdown import markdown_table
from cx_warehouse.settings import PROJECT_ROOT

RESULTS_FILE = PROJECT_ROOT / "docs" / "benchmarks.md"
RESULTS_HEADER = """\
# Benchmarks

Appended by `cx-warehouse benchmark --scale small|demo|large` (`make benchmark SCALE=...`),
newest last. The targets are issue 5's, set for the `large` scale (1,000,000 customers) on a
2-core, 24 GiB machine; at smaller scales they are shown for orientation only.
"""
SLOWEST = 10


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def _table(rows: list[dict]) -> str:
    return markdown_table(pd.DataFrame(rows))


def _met(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "-"}[met]


def _night_status(night: Night) -> str:
    if night.succeeded:
        return f"{night.name}: succeeded (run {night.run_id})"
    steps = ", ".join(night.unsuccessful_steps) or "none started"
    return (
        f"{night.name}: **FAILED** (run {night.run_id}; steps not successful: {steps}; "
        f"log: {night.log})"
    )


def _not_run(results: BenchmarkResults) -> str:
    if not results.full.succeeded:
        return "not run: the full build failed"
    if results.incremental and not results.incremental.succeeded:
        return "not compared: the incremental night failed"
    return "did not finish: see the benchmark's output"


def _context(results: BenchmarkResults) -> str:
    machine = results.machine
    packages = ", ".join(f"{name} {version}" for name, version in machine.packages.items())
    return "\n".join(
        [
            f"- machine: {machine.cpus} CPUs ({machine.cpu_model}), "
            f"{machine.memory_bytes / GIB:.1f} GiB memory",
            f"- versions: Python {machine.python}, {packages}",
            f"- scale `{results.scale}`: {results.customers:,} customers, {results.days} days of "
            f"history; git revision {machine.git_revision}; work directory {results.work_dir}",
        ]
    )


def _targets(results: BenchmarkResults) -> str:
    rows = [
        {"figure": t.figure, "value": t.value, "target": t.target, "met": _met(t.met)}
        for t in results.targets()
    ]
    return "### Ratios and targets\n\n" + _table(rows)


def _generation(results: BenchmarkResults) -> str:
    rows = [
        {
            "extracts": label,
            "dates": f"{g.first} .. {g.last}",
            "rows": f"{g.rows:,}",
            "files": f"{g.files:,}",
            "seconds": _seconds(g.seconds),
        }
        for label, g in (
            ("every day but the last", results.history),
            ("the last day (the incremental night's)", results.last_day),
        )
        if g
    ]
    return "### Generation\n\n" + _table(rows)


def _stage_cell(results: BenchmarkResults, stage: str, night: Night) -> str:
    if stage not in results.stages.values():
        return "absent (no such step)"
    seconds = night.stage_seconds(results.stages).get(stage)
    return "not run" if seconds is None else _seconds(seconds)


def _stages(results: BenchmarkResults) -> str:
    nights = [night for night in (results.full, results.incremental) if night]
    stages = [*STAGES, *([OTHER] if OTHER in results.stages.values() else [])]
    rows = [
        {"stage": stage, **{f"{n.name} (s)": _stage_cell(results, stage, n) for n in nights}}
        for stage in stages
    ]
    rows.append(
        {
            "stage": "outside steps (process start, imports, Dagster)",
            **{f"{n.name} (s)": _seconds(n.outside_steps_seconds) for n in nights},
        }
    )
    rows.append({"stage": "end to end", **{f"{n.name} (s)": _seconds(n.seconds) for n in nights}})
    statuses = "\n".join(f"- {_night_status(night)}" for night in nights)
    return f"### Nightly build by stage\n\n{statuses}\n\n{_table(rows)}"


def _dbt_step(results: BenchmarkResults) -> str:
    runs = results.dbt_runs()
    if not runs:
        return "### dbt step\n\nno run_results.json: the dbt step did not finish"
    rows = [
        {"part": "the dbt step in Dagster (s)"},
        {"part": "dbt running the nodes (run_results elapsed_time, s)"},
        {"part": "the rest: dbt start and parse, Dagster handling dbt's events and metadata (s)"},
        *({"part": f"{resource_type}s: count, summed seconds"} for resource_type in RESOURCE_TYPES),
    ]
    for night, invocation in runs:
        step = results.dbt_step_seconds(night)
        cells = [
            _seconds(step),
            _seconds(invocation.execution_seconds),
            _seconds(step - invocation.execution_seconds),
            *(
                f"{count}, {_seconds(seconds)}"
                for count, seconds in invocation.by_resource_type().values()
            ),
        ]
        for row, cell in zip(rows, cells, strict=True):
            row[night.name] = cell
    at_once = (
        "dbt runs one node at a time"
        if results.dbt_threads == 1
        else f"dbt runs {results.dbt_threads} nodes at a time (`CX_DBT_THREADS`), so a sum can "
        "exceed the wall time"
    )
    return f"### dbt step\n\nFrom dbt's run_results.json; {at_once}.\n\n" + _table(rows)


def _node_seconds(invocation: DbtInvocation | None, resource_type: str) -> dict[str, float]:
    """Seconds per node (unique id) of one resource type; empty when the night has no timings."""
    if invocation is None:
        return {}
    return {t.unique_id: t.seconds for t in invocation.of_type(resource_type)}


def _slowest_models(results: BenchmarkResults, night: Night, invocation: DbtInvocation) -> str:
    """The night's slowest models beside their times in the other night and the baseline, and
    the night's models summed by materialization."""
    full = _node_seconds(results.dbt_full, "model")
    incremental = _node_seconds(results.dbt_incremental, "model")
    baseline = results.baseline
    materialized = baseline.materialized if baseline else {}
    rows = [
        {
            "model": t.name,
            "materialized": materialized.get(t.unique_id, ""),
            "full build (s)": _seconds(full.get(t.unique_id)),
            "baseline (s)": _seconds(baseline.model_seconds.get(t.unique_id)) if baseline else "-",
            "incremental night (s)": _seconds(incremental.get(t.unique_id)),
        }
        for t in sorted(invocation.models, key=lambda t: -t.seconds)[:SLOWEST]
    ]
    sums = ", ".join(
        f"{kind} {_seconds(seconds)} s ({count} models)"
        for kind, (count, seconds) in sorted(
            invocation.models_by_materialization(materialized).items()
        )
    )
    return (
        f"### Slowest {SLOWEST} models (dbt, {night.name})\n\n{_table(rows)}\n\n"
        f"Models of the {night.name}, summed by materialization: {sums}."
    )


def _slowest_tests(results: BenchmarkResults) -> str:
    """The data tests that cost the incremental night most (the full build's when the night
    did not run), beside their time in the other night, and all tests summed."""
    runs = results.dbt_runs()
    if not runs:
        return ""
    night, invocation = runs[-1]
    tests = invocation.of_type("test")
    full = _node_seconds(results.dbt_full, "test")
    incremental = _node_seconds(results.dbt_incremental, "test")
    rows = [
        {
            "test": t.name,
            "full build (s)": _seconds(full.get(t.unique_id)),
            "incremental night (s)": _seconds(incremental.get(t.unique_id)),
        }
        for t in sorted(tests, key=lambda t: -t.seconds)[:SLOWEST]
    ]
    return (
        f"### Slowest {SLOWEST} data tests (dbt, {night.name})\n\n{_table(rows)}\n\n"
        f"All {len(tests)} tests of the {night.name}, summed: "
        f"{_seconds(sum(t.seconds for t in tests))} s."
    )


def _baseline(results: BenchmarkResults) -> str:
    baseline = results.baseline
    if baseline is None:
        return f"### Baseline: DuckDB alone\n\n{_not_run(results)}"
    models_summed = sum(t.seconds for t in results.dbt_full.models) if results.dbt_full else None
    row = {
        "models in the manifest": baseline.models_in_manifest,
        "models executed": baseline.models_executed,
        "DuckDB alone (s)": _seconds(baseline.seconds),
        "dbt step (s)": _seconds(results.dbt_step_seconds(results.full)),
        "dbt models, summed (s)": _seconds(models_summed),
        "dbt compile, not counted (s)": _seconds(baseline.compile_seconds),
    }
    return (
        "### Baseline: DuckDB alone\n\nThe compiled SQL of every model (incremental ones in "
        "their full-refresh form), in dependency order on one connection, on a copy of the "
        "full build's raw data and seeds.\n\n" + _table([row])
    )


def _incremental(results: BenchmarkResults) -> str:
    equality = results.equality
    if results.incremental is None or equality is None:
        return f"### Incremental night\n\n{_not_run(results)}"
    rows = [
        {
            "mart": mart.mart,
            "rows (incremental)": "-" if mart.rows is None else f"{mart.rows:,}",
            "rows (full refresh)": "-"
            if mart.full_refresh_rows is None
            else f"{mart.full_refresh_rows:,}",
            "result": mart.finding,
        }
        for mart in equality.marts
    ]
    verdict = "equal" if equality.equal else "NOT equal: " + ", ".join(equality.differing)
    return (
        f"### Incremental night\n\nOne more day of extracts, then the nightly job: "
        f"{results.incremental.seconds:,.1f} s, "
        f"{results.incremental.seconds / results.full.seconds:.1%} of the full build. Its marts "
        f"against `dbt run --full-refresh` on a copy of the same database "
        f"({equality.full_refresh_seconds:,.1f} s): **{verdict}** (EXCEPT ALL both ways; "
        f"floating-point columns within 1e-9).\n\n" + _table(rows)
    )


def _night_writes(results: BenchmarkResults) -> str:
    if not results.night_writes:
        return ""
    rows = [
        {
            "table": table.table,
            "rows written": f"{table.written:,}",
            "rows": f"{table.rows:,}",
            "share": f"{table.share:.1%}",
        }
        for table in results.night_writes
    ]
    return (
        "### Rows the incremental night wrote\n\nEvery table whose rows carry the build that "
        "wrote them (`built_at`): the rows the night wrote or rewrote against the rows it holds. "
        "A table incremental by record writes about what arrived; one incremental by customer "
        "(or requester) rewrites every row of each customer the night touched.\n\n" + _table(rows)
    )


def _disk_read(results: BenchmarkResults, phase: str) -> str:
    read = results.disk_reads.get(phase)
    return "" if read is None else f"{read / GIB:.2f}"


def _memory(results: BenchmarkResults) -> str:
    peak = max(results.peaks.values(), default=0)
    # phases in the order they ran, the time between them last
    phases = sorted(results.peaks.items(), key=lambda item: item[0] == BETWEEN_PHASES)
    rows = [
        {
            "phase": phase,
            "peak RSS (GiB)": f"{value / GIB:.2f}",
            "read from disk (GiB)": _disk_read(results, phase),
            "target": "",
            "met": "",
        }
        for phase, value in phases
    ]
    rows.append(
        {
            "phase": "whole benchmark",
            "peak RSS (GiB)": f"{peak / GIB:.2f}",
            "read from disk (GiB)": "",
            "target": f"< {MAX_PEAK_RSS_BYTES // GIB} GiB",
            "met": _met(peak < MAX_PEAK_RSS_BYTES),
        }
    )
    return (
        "### Peak memory and disk reads\n\nResident set of the benchmark process and all its "
        f"descendants (the nightly process, dbt), summed per sample (every {SAMPLE_SECONDS} s). "
        "Read from disk: what the phase's processes read from storage rather than the page "
        "cache (`read_bytes` of /proc/self/io, finished descendants included); a night that "
        "reads gigabytes found its database out of the cache and ran slower for it.\n\n"
        + _table(rows)
    )


def render(results: BenchmarkResults) -> str:
    heading = (
        f"## {results.started_at:%Y-%m-%d %H:%M} UTC - {results.scale}: "
        f"{results.customers:,} customers, {results.days} days"
    )
    sections = [
        heading,
        _context(results),
        _targets(results),
        _generation(results),
        _stages(results),
        _dbt_step(results),
        *(_slowest_models(results, night, invocation) for night, invocation in results.dbt_runs()),
        _slowest_tests(results),
        _baseline(results),
        _incremental(results),
        _night_writes(results),
        _memory(results),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def append_results(section: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text() if path.exists() else RESULTS_HEADER
    path.write_text(existing.rstrip("\n") + "\n\n" + section)
