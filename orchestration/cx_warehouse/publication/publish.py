"""Copy the marts of the build database into a new publication version and make it current."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from cx_warehouse.publication.marts import PreviousVersion, publish_mart
from cx_warehouse.publication.store import DATABASE, MANIFEST, PublicationStore
from cx_warehouse.settings import PROJECT_ROOT
from cx_warehouse.sql_text import sql_string
from cx_warehouse.warehouse import connect

# Storage format every DuckDB 1.x reader opens (BI tools bundle older drivers than the build).
STORAGE_VERSION = "v1.0.0"
INFO_TABLE = "publication_info"


@dataclass(frozen=True)
class Publication:
    version: str
    path: Path
    manifest: dict


def git_revision() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def copy_marts(
    build_db: Path,
    staging: Path,
    marts: dict[str, str | None],
    info: dict[str, str | None],
    previous: PreviousVersion | None,
) -> dict[str, dict]:
    """Write every mart (name -> the column whose months partition it, or None) to the
    version's DuckDB file and Parquet folders, starting from the previous version when there
    is one (see cx_warehouse.publication.marts), with a one-row `publication_info` table (so a
    reader of the file knows which version it reads); return the marts' shapes."""
    database = staging / DATABASE
    if previous is not None:
        shutil.copyfile(previous.folder / DATABASE, database)
    conn = connect()
    try:
        conn.execute(f"ATTACH {sql_string(build_db)} AS build (READ_ONLY)")
        conn.execute(
            f"ATTACH {sql_string(database)} AS published (STORAGE_VERSION '{STORAGE_VERSION}')"
        )
        columns = ", ".join(f"{name} VARCHAR" for name in info)
        conn.execute(f"CREATE OR REPLACE TABLE published.main.{INFO_TABLE} ({columns})")
        conn.execute(
            f"INSERT INTO published.main.{INFO_TABLE} VALUES ({', '.join('?' for _ in info)})",
            list(info.values()),
        )
        shapes = {
            mart: publish_mart(conn, mart, partition_by, staging, previous)
            for mart, partition_by in marts.items()
        }
        for (table,) in conn.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'published'"
        ).fetchall():
            if table not in marts and table != INFO_TABLE:
                conn.execute(f"DROP TABLE published.main.{table}")
        conn.execute("DETACH published")
    finally:
        conn.close()
    return shapes


def previous_version(store: PublicationStore) -> PreviousVersion | None:
    """The current version, when its files can be carried over (same storage format)."""
    manifest = store.current_manifest()
    if manifest is None or manifest.get("storage_version") != STORAGE_VERSION:
        return None
    return PreviousVersion(store.current_dir(), manifest["marts"])


def publish(
    build_db: Path,
    store: PublicationStore,
    marts: dict[str, str | None],
    run_id: str,
    details: dict,
    keep: int,
) -> Publication:
    """Publish the marts as a new version and switch `current` to it (write, fsync, rename)."""
    store.prune(keep)
    version = store.new_version_id(run_id)
    staging = store.staging_dir(version)
    manifest = {
        "version": version,
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "dagster_run_id": run_id,
        "git_revision": git_revision(),
        "duckdb_version": duckdb.__version__,
        "storage_version": STORAGE_VERSION,
        **details,
    }
    info = {
        key: None if manifest.get(key) is None else str(manifest[key])
        for key in ("version", "published_at", "as_of_date", "extract_date", "dagster_run_id")
    }
    manifest["marts"] = copy_marts(build_db, staging, marts, info, previous_version(store))
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    path = store.commit(staging, version)
    store.switch(version)
    store.prune(keep)
    return Publication(version, path, manifest)
