"""The one configuration surface shared by Dagster, dbt, the generator and the CLI.

Every path is resolved to an absolute path once, here, and exported to the environment
(`export_to_environ`) so that the dbt subprocess reads exactly the same values.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = PROJECT_ROOT / "seeds"
# The dbt of this environment, also when its bin directory is not on PATH.
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"

DEFAULTS: dict[str, str] = {
    "CX_LANDING_DIR": "data/landing",
    "CX_GROUND_TRUTH_DIR": "data/ground_truth",
    "CX_WAREHOUSE_DB": "data/warehouse/build.duckdb",
    "CX_PUBLICATION_DIR": "data/publication",
    "CX_REPORTS_DIR": "data/reports",
    "DAGSTER_HOME": ".dagster_home",
    "CX_DBT_TARGET": "prod",
    "CX_DBT_THREADS": "2",
    "CX_FIRST_EXTRACT_DATE": "2024-01-01",
    "CX_DB_LOCK_TIMEOUT_SECONDS": "3600",
    "CX_DUCKDB_MEMORY_LIMIT": "5GB",
    "CX_DUCKDB_TEMP_DIR": "",
    "CX_PUBLICATION_KEEP": "7",
    "CX_DBT_RUNS_KEEP": "10",
    "CX_MAX_REJECT_RATE": "0.05",
    "CX_MAX_EXTRACT_AGE_DAYS": "1",
    "CX_MAX_MART_SHRINK": "0.5",
    "CX_MAX_KPI_CHANGE": "0.5",
    "CX_VALIDATION_MAX_ROWS": "200000",
    "CX_NIGHTLY_CRON": "0 2 * * *",
    "CX_NIGHTLY_TIMEZONE": "UTC",
    "CX_ALERT_WEBHOOK_URL": "",
}


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    ground_truth_dir: Path
    warehouse_db: Path
    publication_dir: Path
    reports_dir: Path
    dagster_home: Path
    dbt_target: str
    dbt_threads: int
    first_extract_date: date
    db_lock_timeout_seconds: float
    duckdb_memory_limit: str
    duckdb_temp_dir: Path | None  # None: beside the build database
    publication_keep: int
    dbt_runs_keep: int
    max_reject_rate: float
    max_extract_age_days: int
    max_mart_shrink: float
    max_kpi_change: float
    validation_max_rows: int
    nightly_cron: str
    nightly_timezone: str
    alert_webhook_url: str

    @property
    def dbt_project_dir(self) -> Path:
        return PROJECT_ROOT

    def as_environ(self) -> dict[str, str]:
        """The settings as environment variables, paths absolute."""
        values = {
            "CX_LANDING_DIR": self.landing_dir,
            "CX_GROUND_TRUTH_DIR": self.ground_truth_dir,
            "CX_WAREHOUSE_DB": self.warehouse_db,
            "CX_PUBLICATION_DIR": self.publication_dir,
            "CX_REPORTS_DIR": self.reports_dir,
            "DAGSTER_HOME": self.dagster_home,
            "CX_DBT_TARGET": self.dbt_target,
            "CX_DBT_THREADS": self.dbt_threads,
            "CX_FIRST_EXTRACT_DATE": self.first_extract_date.isoformat(),
            "CX_DB_LOCK_TIMEOUT_SECONDS": self.db_lock_timeout_seconds,
            "CX_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
            "CX_DUCKDB_TEMP_DIR": self.duckdb_temp_dir or "",
            "CX_PUBLICATION_KEEP": self.publication_keep,
            "CX_DBT_RUNS_KEEP": self.dbt_runs_keep,
            "CX_MAX_REJECT_RATE": self.max_reject_rate,
            "CX_MAX_EXTRACT_AGE_DAYS": self.max_extract_age_days,
            "CX_MAX_MART_SHRINK": self.max_mart_shrink,
            "CX_MAX_KPI_CHANGE": self.max_kpi_change,
            "CX_VALIDATION_MAX_ROWS": self.validation_max_rows,
            "CX_NIGHTLY_CRON": self.nightly_cron,
            "CX_NIGHTLY_TIMEZONE": self.nightly_timezone,
            "CX_ALERT_WEBHOOK_URL": self.alert_webhook_url,
            "DBT_PROFILES_DIR": PROJECT_ROOT,
        }
        return {key: str(value) for key, value in values.items()}

    def export_to_environ(self) -> None:
        os.environ.update(self.as_environ())

    def duckdb_config(self) -> dict[str, str]:
        """Memory and spill settings of every DuckDB connection of the build, dbt's
        (profiles.yml reads the same environment variables) and Python's alike."""
        return {
            "memory_limit": self.duckdb_memory_limit,
            "temp_directory": str(self.spill_dir),
        }

    @property
    def spill_dir(self) -> Path:
        """Where DuckDB spills: the configured folder, else `<build database>.tmp` (DuckDB's own
        default for a database file, applied to in-memory connections too)."""
        return self.duckdb_temp_dir or self.warehouse_db.with_name(f"{self.warehouse_db.name}.tmp")

    def describe(self) -> dict[str, str]:
        return {field.name: str(getattr(self, field.name)) for field in fields(self)}


def _resolve(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (PROJECT_ROOT / path).resolve()


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from (in order of precedence) the environment, `.env`, then the defaults."""
    environ = dict(os.environ) if environ is None else environ
    dotenv = {k: v for k, v in dotenv_values(PROJECT_ROOT / ".env").items() if v is not None}
    merged = {**DEFAULTS, **dotenv, **environ}
    return Settings(
        landing_dir=_resolve(merged["CX_LANDING_DIR"]),
        ground_truth_dir=_resolve(merged["CX_GROUND_TRUTH_DIR"]),
        warehouse_db=_resolve(merged["CX_WAREHOUSE_DB"]),
        publication_dir=_resolve(merged["CX_PUBLICATION_DIR"]),
        reports_dir=_resolve(merged["CX_REPORTS_DIR"]),
        dagster_home=_resolve(merged["DAGSTER_HOME"]),
        dbt_target=merged["CX_DBT_TARGET"],
        dbt_threads=int(merged["CX_DBT_THREADS"]),
        first_extract_date=date.fromisoformat(merged["CX_FIRST_EXTRACT_DATE"]),
        db_lock_timeout_seconds=float(merged["CX_DB_LOCK_TIMEOUT_SECONDS"]),
        duckdb_memory_limit=merged["CX_DUCKDB_MEMORY_LIMIT"],
        duckdb_temp_dir=_resolve(merged["CX_DUCKDB_TEMP_DIR"])
        if merged["CX_DUCKDB_TEMP_DIR"]
        else None,
        publication_keep=int(merged["CX_PUBLICATION_KEEP"]),
        dbt_runs_keep=int(merged["CX_DBT_RUNS_KEEP"]),
        max_reject_rate=float(merged["CX_MAX_REJECT_RATE"]),
        max_extract_age_days=int(merged["CX_MAX_EXTRACT_AGE_DAYS"]),
        max_mart_shrink=float(merged["CX_MAX_MART_SHRINK"]),
        max_kpi_change=float(merged["CX_MAX_KPI_CHANGE"]),
        validation_max_rows=int(merged["CX_VALIDATION_MAX_ROWS"]),
        nightly_cron=merged["CX_NIGHTLY_CRON"],
        nightly_timezone=merged["CX_NIGHTLY_TIMEZONE"],
        alert_webhook_url=merged["CX_ALERT_WEBHOOK_URL"],
    )
