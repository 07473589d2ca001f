"""Shared fixtures: a generated small landing zone and an isolated project configuration."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cx_warehouse.generator.config import GeneratorConfig
from cx_warehouse.generator.landing import GenerationSummary, generate
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
