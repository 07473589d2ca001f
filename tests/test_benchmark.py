"""Smoke test of the benchmark harness (`cx-warehouse benchmark`) at the small scale: the
results file has every section with sensible figures, the incremental night's marts equal a
full refresh and the baseline ran every model. No timing assertions."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from cx_warehouse.settings import PROJECT_ROOT, load_settings

SECTIONS = (
    "### Ratios and targets",
    "### Generation",
    "### Nightly build by stage",
    "### dbt step",
    "### Slowest 10 models (dbt, full build)",
    "### Slowest 10 models (dbt, incremental night)",
    "### Slowest 10 data tests (dbt, incremental night)",
    "### Baseline: DuckDB alone",
    "### Incremental night",
    "### Rows the incremental night wrote",
    "### Peak memory and disk reads",
)
STAGES = ("ingestion", "dbt", "checks", "publication")
MODELS = len(list((PROJECT_ROOT / "models").rglob("*.sql")))


def number(text: str) -> float:
    return float(text.split()[0].replace(",", "").rstrip("x%"))


def tables(markdown: str) -> dict[str, list[dict[str, str]]]:
    """Every Markdown table of the text as rows of {column: cell}, by the heading above it."""
    found: dict[str, list[dict[str, str]]] = {}
    heading, header = "", None
    for line in markdown.splitlines():
        if line.startswith("#"):
            heading, header = line, None
        elif line.startswith("|---"):
            continue
        elif line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if header is None:
                header = cells
                found[heading] = []
            else:
                found[heading].append(dict(zip(header, cells, strict=True)))
        else:
            header = None
    return found


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("benchmark")
    results_file = root / "benchmarks.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cx_warehouse.cli",
            "benchmark",
            "--scale",
            "small",
            "--results",
            str(results_file),
            "--work-dir",
            str(root / "work"),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return results_file.read_text()


def test_every_section_is_written(results: str):
    assert results.startswith("# Benchmarks")  # a new results file gets its header
    assert results.count("\n## ") == 1
    assert "small: 2,500 customers, 400 days" in results
    for line in ("- machine: ", "- versions: Python ", "- scale `small`"):
        assert line in results
    for section in SECTIONS:
        assert section in results, section
    for package in ("duckdb", "dbt-core", "dagster"):
        assert f" {package} " in results
    threads = load_settings().dbt_threads
    assert (
        "dbt runs one node at a time"
        if threads == 1
        else f"dbt runs {threads} nodes at a time (`CX_DBT_THREADS`)"
    ) in results


def test_figures_are_sensible(results: str):
    found = tables(results)
    generation = found["### Generation"]
    assert len(generation) == 2
    assert all(number(row["rows"]) > 0 and number(row["seconds"]) >= 0 for row in generation)

    stages = {row["stage"]: row for row in found["### Nightly build by stage"]}
    for night in ("full build (s)", "incremental night (s)"):
        steps = [number(stages[stage][night]) for stage in STAGES]
        assert all(seconds >= 0 for seconds in steps)
        assert number(stages["outside steps (process start, imports, Dagster)"][night]) >= 0
        assert number(stages["end to end"][night]) >= sum(steps) > 0
        reports = stages["reports"][night]
        assert reports.startswith("absent") or number(reports) >= 0

    dbt = {row["part"]: row for row in found["### dbt step"]}
    for night in ("full build", "incremental night"):
        assert number(dbt["the dbt step in Dagster (s)"][night]) > 0
        assert number(dbt["dbt running the nodes (run_results elapsed_time, s)"][night]) > 0
        assert number(dbt["models: count, summed seconds"][night]) > 0
        assert number(dbt["tests: count, summed seconds"][night]) > 0

    for night in ("full build", "incremental night"):
        slowest = found[f"### Slowest 10 models (dbt, {night})"]
        assert len(slowest) == 10
        for row in slowest:
            assert row["materialized"] in {"view", "table", "incremental"}
            columns = ("full build (s)", "baseline (s)", "incremental night (s)")
            assert all(number(row[c]) >= 0 for c in columns)
        times = [number(row[f"{night} (s)"]) for row in slowest]
        assert times == sorted(times, reverse=True)
        sums = re.search(rf"Models of the {night}, summed by materialization: (.*)\.\n", results)
        by_kind = re.findall(r"(\w+) ([\d,.]+) s \((\d+) models\)", sums.group(1))
        assert {kind for kind, _, _ in by_kind} <= {"view", "table", "incremental"}
        assert sum(int(count) for _, _, count in by_kind) == MODELS
        models_summed = number(dbt["models: count, summed seconds"][night].split(", ")[1])
        assert sum(number(seconds) for _, seconds, _ in by_kind) == pytest.approx(
            models_summed, abs=0.1 * len(by_kind)
        )

    tests = found["### Slowest 10 data tests (dbt, incremental night)"]
    assert len(tests) == 10
    assert all(
        number(row[c]) >= 0 for row in tests for c in ("full build (s)", "incremental night (s)")
    )
    times = [number(row["incremental night (s)"]) for row in tests]
    assert times == sorted(times, reverse=True)
    tests_summed = re.search(
        r"All (\d+) tests of the incremental night, summed: ([\d,.]+) s\.", results
    )
    night_tests = dbt["tests: count, summed seconds"]["incremental night"].split(", ")
    assert int(tests_summed.group(1)) == int(night_tests[0])
    assert number(tests_summed.group(2)) == pytest.approx(number(night_tests[1]), abs=0.1)

    targets = {row["figure"]: row for row in found["### Ratios and targets"]}
    for figure in (
        "transformation: dbt step / DuckDB-alone baseline",
        "whole build: end to end / DuckDB-alone baseline",
        "incremental night / full build",
    ):
        assert number(targets[figure]["value"]) > 0, figure
    assert all(row["met"] in {"met", "MISSED", "-"} for row in targets.values())

    phases = {row["phase"]: row for row in found["### Peak memory and disk reads"]}
    assert number(phases["whole benchmark"]["peak RSS (GiB)"]) > 0
    assert number(phases["full build"]["peak RSS (GiB)"]) > 0
    for phase in ("generation", "full build", "baseline", "incremental night"):
        assert number(phases[phase]["read from disk (GiB)"]) >= 0, phase


def test_incremental_marts_equal_a_full_refresh(results: str):
    marts = tables(results)["### Incremental night"]
    assert len(marts) == len(list((PROJECT_ROOT / "models" / "marts").rglob("*.sql")))
    assert all(row["result"] == "equal" for row in marts), marts
    assert all(number(row["rows (incremental)"]) > 0 for row in marts)
    assert "**equal**" in results
    targets = {row["figure"]: row for row in tables(results)["### Ratios and targets"]}
    assert targets["incremental marts equal a full refresh"]["met"] == "met"


def test_the_night_writes_a_share_of_each_stamped_table(results: str):
    """The night rewrites part of the incremental tables, never more than they hold, and a
    staging table only the records that arrived."""
    written = {row["table"]: row for row in tables(results)["### Rows the incremental night wrote"]}
    assert "intermediate.int_kpi_observations" in written
    for table, row in written.items():
        assert 0 <= number(row["rows written"]) <= number(row["rows"]), table
    staging = [row for table, row in written.items() if table.startswith("staging.")]
    assert staging and all(number(row["share"]) < 50 for row in staging)
    assert any(number(row["rows written"]) > 0 for row in staging)


def test_baseline_ran_every_model(results: str):
    (baseline,) = tables(results)["### Baseline: DuckDB alone"]
    assert number(baseline["models in the manifest"]) == MODELS
    assert number(baseline["models executed"]) == MODELS
    assert number(baseline["DuckDB alone (s)"]) > 0
