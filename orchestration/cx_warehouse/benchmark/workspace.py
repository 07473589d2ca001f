"""A fresh work directory per benchmark: its own landing zone, build database, publication,
reports and Dagster home, exported as the settings every process of the benchmark reads."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cx_warehouse.instance import prepare_dagster_home
from cx_warehouse.settings import PROJECT_ROOT, Settings, load_settings

DEFAULT_WORK_ROOT = PROJECT_ROOT / "data" / "benchmark"


@dataclass(frozen=True)
class Workspace:
    root: Path
    settings: Settings

    def folder(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path


def prepare_workspace(work_dir: Path | None, scale: str, first_extract_date: date) -> Workspace:
    """An empty work directory (by default data/benchmark/<scale>, emptied first; a directory
    given explicitly must be empty) whose settings this process and its children use."""
    if work_dir is None:
        work_dir = DEFAULT_WORK_ROOT / scale
        shutil.rmtree(work_dir, ignore_errors=True)
    elif work_dir.exists() and any(work_dir.iterdir()):
        raise SystemExit(f"{work_dir} is not empty: the benchmark needs a fresh work directory")
    root = work_dir.resolve()
    root.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "CX_LANDING_DIR": str(root / "landing"),
            "CX_GROUND_TRUTH_DIR": str(root / "ground_truth"),
            "CX_WAREHOUSE_DB": str(root / "warehouse" / "build.duckdb"),
            "CX_PUBLICATION_DIR": str(root / "publication"),
            "CX_REPORTS_DIR": str(root / "reports"),
            "DAGSTER_HOME": str(root / "dagster_home"),
            "CX_FIRST_EXTRACT_DATE": first_extract_date.isoformat(),
        }
    )
    settings = load_settings()
    settings.export_to_environ()
    prepare_dagster_home(settings)
    return Workspace(root, settings)


def copy_database(database: Path, folder: Path) -> Path:
    """A copy of a DuckDB file (and its write-ahead log) under the same file name in `folder`,
    so compiled SQL naming the database's catalog runs against the copy unchanged."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / database.name
    shutil.copyfile(database, copy)
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
    return copy
