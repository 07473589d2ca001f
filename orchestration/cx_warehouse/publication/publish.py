"""Copy the marts of the build database into a new publication version and make it current."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from cx_warehouse.publication.store import DATABASE, MANIFEST, PublicationStore
from cx_warehouse.settings import PROJECT_ROOT
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


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def copy_marts(
    build_db: Path, staging: Path, marts: list[str], info: dict[str, str | None]
) -> dict[str, dict]:
    """Write every mart to the version's DuckDB file and Parquet folders, with a one-row
    `publication_info` table (so a reader of the file knows which version it reads); return
    the marts' shapes."""
    shapes = {}
    conn = connect()
    try:
        conn.execute(f"ATTACH {_quoted(build_db)} AS build (READ_ONLY)")
        conn.execute(
            f"ATTACH {_quoted(staging / DATABASE)} AS published "
            f"(STORAGE_VERSION '{STORAGE_VERSION}')"
        )
        columns = ", ".join(f"{name} VARCHAR" for name in info)
        conn.execute(f"CREATE TABLE published.main.{INFO_TABLE} ({columns})")
        conn.execute(
            f"INSERT INTO published.main.{INFO_TABLE} VALUES ({', '.join('?' for _ in info)})",
            list(info.values()),
        )
        for mart in marts:
            conn.execute(f"CREATE TABLE published.main.{mart} AS SELECT * FROM build.marts.{mart}")
            folder = staging / "parquet" / mart
            folder.mkdir(parents=True)
            conn.execute(
                f"COPY published.main.{mart} TO {_quoted(folder / 'data.parquet')} "
                "(FORMAT parquet, COMPRESSION zstd)"
            )
            rows = conn.execute(f"SELECT count(*) FROM published.main.{mart}").fetchone()[0]
            columns = [
                row[0]
                for row in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE "
                    "table_catalog = 'published' AND table_name = ? ORDER BY ordinal_position",
                    [mart],
                ).fetchall()
            ]
            shapes[mart] = {
                "rows": rows,
                "columns": columns,
                "parquet": f"parquet/{mart}/data.parquet",
            }
        conn.execute("DETACH published")
    finally:
        conn.close()
    return shapes


def publish(
    build_db: Path, store: PublicationStore, marts: list[str], run_id: str, details: dict, keep: int
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
    manifest["marts"] = copy_marts(build_db, staging, marts, info)
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    path = store.commit(staging, version)
    store.switch(version)
    store.prune(keep)
    return Publication(version, path, manifest)
