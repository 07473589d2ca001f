"""Access to the build database. DuckDB allows one writing process per file, so every writer
(ingestion, dbt, publication) first takes an exclusive lock on a file beside the database and
holds it for as long as it writes. A second writer waits for the lock instead of failing."""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from cx_warehouse.settings import load_settings


class WarehouseBusyError(TimeoutError):
    """Another process held the build database for longer than the configured timeout."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextmanager
def exclusive_writer(
    database: Path, timeout_seconds: float, poll_seconds: float = 0.5
) -> Iterator[None]:
    """Hold the build database's writer lock (released when the process dies, too)."""
    database.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout_seconds
    with open(lock_path(database), "a+") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusyError(
                        f"{database} is being written by another process "
                        f"(waited {timeout_seconds:.0f}s for {lock_path(database)})"
                    ) from None
                time.sleep(poll_seconds)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def connect(
    database: Path | str = ":memory:", read_only: bool = False, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection under the configured memory limit (or `memory_limit`, for a process
    that needs memory of its own beside DuckDB) and spill directory."""
    settings = load_settings()
    # DuckDB creates its spill directory on first spill, but not the folders above it.
    settings.spill_dir.parent.mkdir(parents=True, exist_ok=True)
    config = settings.duckdb_config() | ({"memory_limit": memory_limit} if memory_limit else {})
    return duckdb.connect(str(database), read_only=read_only, config=config)


@contextmanager
def write_connection(database: Path, timeout_seconds: float) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to the build database, holding the writer lock."""
    with exclusive_writer(database, timeout_seconds):
        connection = connect(database)
        try:
            yield connection
        finally:
            connection.close()
