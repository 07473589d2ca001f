"""Shared fixtures: a generated small landing zone and an isolated project configuration."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from cx_warehouse.generator.config import GeneratorConfig
from cx_warehouse.generator.landing import GenerationSummary, generate
from cx_warehouse.runner import RANGE_END, RANGE_START
from cx_warehouse.settings import Settings, load_settings

SMALL = GeneratorConfig(customers=2_500, start=date(2025, 9, 27), end=date(2026, 10, 31))


def configure(
    monkeypatch: pytest.MonkeyPatch,
    root: Path,
    landing: Path | None = None,
    ground_truth: Path | None = None,
) -> Settings:
    """Point every setting at folders below `root` (landing/ground truth may be shared)."""
    values = {
        "CX_LANDING_DIR": landing or root / "landing",
        "CX_GROUND_TRUTH_DIR": ground_truth or root / "ground_truth",
        "CX_WAREHOUSE_DB": root / "warehouse" / "build.duckdb",
        "CX_PUBLICATION_DIR": root / "publication",
        "CX_REPORTS_DIR": root / "reports",
        "DAGSTER_HOME": root / "dagster_home",
        "CX_FIRST_EXTRACT_DATE": "2025-01-01",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, str(value))
    settings = load_settings()
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    return settings


@pytest.fixture(scope="session")
def small_landing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, GenerationSummary]:
    """(landing dir, ground-truth dir, summary) of the small generated scale, made once."""
    root = tmp_path_factory.mktemp("small")
    summary = generate(SMALL, root / "landing", root / "ground_truth")
    return root / "landing", root / "ground_truth", summary


def extract_dates(landing: Path) -> list[str]:
    """Every extract date of a landing zone (every generated entity has the same dates)."""
    return sorted(p.name for p in (landing / "crm" / "customers").iterdir())


def run_job(
    name: str, first: str | None = None, last: str | None = None, run_config: dict | None = None
) -> dg.ExecuteInProcessResult:
    """A job of the current settings, for a range of extract dates when given."""
    from cx_warehouse.definitions import build_definitions

    tags = {RANGE_START: first, RANGE_END: last} if first else {}
    return (
        build_definitions()
        .resolve_job_def(name)
        .execute_in_process(
            instance=dg.DagsterInstance.ephemeral(),
            tags=tags,
            run_config=run_config or {},
            raise_on_error=False,
        )
    )


def run_nightly(first: str, last: str, run_config: dict | None = None) -> dg.ExecuteInProcessResult:
    """The nightly job for a range of extract dates, with the current settings."""
    return run_job("nightly", first, last, run_config)


@pytest.fixture(scope="session")
def nightly_build(small_landing, tmp_path_factory):
    """(settings, result) of the nightly job over every extract date of the small landing."""
    landing, truth, _ = small_landing
    root = tmp_path_factory.mktemp("nightly")
    with pytest.MonkeyPatch.context() as monkeypatch:
        settings = configure(monkeypatch, root, landing, truth)
        dates = extract_dates(landing)
        result = run_nightly(dates[0], dates[-1])
    assert result.success, [e.message for e in result.all_events if e.is_step_failure]
    return settings, result


@pytest.fixture
def built(nightly_build, tmp_path, monkeypatch) -> Settings:
    """A private copy of the nightly build (build database and publication) a test may change."""
    source, _ = nightly_build
    settings = configure(monkeypatch, tmp_path, source.landing_dir, source.ground_truth_dir)
    shutil.copytree(source.warehouse_db.parent, settings.warehouse_db.parent)
    shutil.copytree(source.publication_dir, settings.publication_dir, symlinks=True)
    return settings
