"""Dagster resources: the build database behind its writer lock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from cx_warehouse.settings import load_settings
from cx_warehouse.warehouse import exclusive_writer, write_connection


class WarehouseResource(dg.ConfigurableResource):
    """The build DuckDB database. Every writer goes through `write()` or `writer_lock()`."""

    database: str
    lock_timeout_seconds: float = 3600

    @property
    def path(self) -> Path:
        return Path(self.database)

    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with write_connection(self.path, self.lock_timeout_seconds) as connection:
            yield connection

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the lock while another process (dbt) writes the database."""
        with exclusive_writer(self.path, self.lock_timeout_seconds):
            yield


def warehouse_resource() -> WarehouseResource:
    settings = load_settings()
    return WarehouseResource(
        database=str(settings.warehouse_db), lock_timeout_seconds=settings.db_lock_timeout_seconds
    )
