"""Load staged and checked records into the raw schema, replacing whole extract dates.

Each call replaces exactly the given extract dates of one entity in one transaction: good
records go to `raw.<source>_<entity>`, broken ones to `ingestion_audit.rejects` with their
reason, and every file gets a row in `ingestion_audit.file_loads` where
rows_read = rows_loaded + rows_rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from cx_warehouse.contracts import Entity
from cx_warehouse.ingestion.discovery import ExtractFile
from cx_warehouse.ingestion.reading import stage_files
from cx_warehouse.ingestion.validation import SQL_TYPES, validate_staged
from cx_warehouse.sql_text import quoted, sql_string

RAW_SCHEMA = "raw"
AUDIT_SCHEMA = "ingestion_audit"
LOAD_COLUMNS = {
    "_extract_date": "DATE",
    "_source_file": "VARCHAR",
    "_source_line": "BIGINT",
    "_loaded_at": "TIMESTAMPTZ",
    "_run_id": "VARCHAR",
}


@dataclass(frozen=True)
class FileLoad:
    path: Path
    extract_date: date
    status: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    unknown_columns: tuple[str, ...]
    error: str | None


@dataclass
class IngestionReport:
    entity: Entity
    dates: list[date]
    files: list[FileLoad] = field(default_factory=list)

    @property
    def failed(self) -> list[FileLoad]:
        return [f for f in self.files if f.status == "failed"]

    def total(self, attribute: str) -> int:
        return sum(getattr(f, attribute) for f in self.files)


class ExtractFileError(RuntimeError):
    """One or more files could not be read at all; nothing was loaded from them."""

    def __init__(self, report: IngestionReport):
        self.report = report
        lines = [f"{f.path}: {f.error}" for f in report.failed]
        super().__init__(
            f"{len(lines)} {report.entity.qualified_name} file(s) could not be read "
            "and were not loaded:\n" + "\n".join(lines)
        )


def raw_table(entity: Entity) -> str:
    return f"{RAW_SCHEMA}.{quoted(entity.raw_table)}"


def ensure_tables(conn: duckdb.DuckDBPyConnection, entity: Entity) -> None:
    """Create the raw and audit tables; add columns the contract gained since."""
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    conn.execute(f"CREATE SCHEMA IF NOT EXISTS {AUDIT_SCHEMA}")
    wanted = {c.name: SQL_TYPES[c.type] for c in entity.columns} | LOAD_COLUMNS
    columns = ", ".join(f"{quoted(name)} {sql_type}" for name, sql_type in wanted.items())
    conn.execute(f"CREATE TABLE IF NOT EXISTS {raw_table(entity)} ({columns})")
    existing = {
        row[0]
        for row in conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ?",
            [RAW_SCHEMA, entity.raw_table],
        ).fetchall()
    }
    for name, sql_type in wanted.items():
        if name not in existing:
            conn.execute(f"ALTER TABLE {raw_table(entity)} ADD COLUMN {quoted(name)} {sql_type}")
    conn.execute(
        f"""
        CREATE TABLE IF NOT EXISTS {AUDIT_SCHEMA}.rejects (
            source VARCHAR, entity VARCHAR, extract_date DATE, source_file VARCHAR,
            line BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR,
            violations STRUCT("column" VARCHAR, value VARCHAR, reason VARCHAR)[],
            record VARCHAR, loaded_at TIMESTAMPTZ, run_id VARCHAR
        )
        """
    )
    conn.execute(
        f"""
        CREATE TABLE IF NOT EXISTS {AUDIT_SCHEMA}.file_loads (
            source VARCHAR, entity VARCHAR, extract_date DATE, source_file VARCHAR,
            status VARCHAR, rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT,
            unknown_columns VARCHAR[], error VARCHAR, loaded_at TIMESTAMPTZ, run_id VARCHAR
        )
        """
    )


def _replace(
    conn: duckdb.DuckDBPyConnection,
    entity: Entity,
    dates: list[date],
    failed: dict[Path, str],
    unknown: dict[Path, list[str]],
    files: list[ExtractFile],
    run_id: str,
) -> None:
    date_list = "[" + ", ".join(f"DATE '{d.isoformat()}'" for d in dates) + "]"
    scope = (
        f"source = {sql_string(entity.source)} AND entity = {sql_string(entity.name)} "
        f"AND list_contains({date_list}, extract_date)"
    )
    conn.execute(f"DELETE FROM {raw_table(entity)} WHERE list_contains({date_list}, _extract_date)")
    conn.execute(f"DELETE FROM {AUDIT_SCHEMA}.rejects WHERE {scope}")
    conn.execute(f"DELETE FROM {AUDIT_SCHEMA}.file_loads WHERE {scope}")

    columns = ", ".join(quoted(c) for c in entity.column_names)
    conn.execute(
        f"""
        INSERT INTO {raw_table(entity)} ({columns}, {", ".join(LOAD_COLUMNS)})
        SELECT {columns}, _extract_date, _file, _line, current_timestamp, {sql_string(run_id)}
        FROM checked WHERE len(_violations) = 0
        """
    )
    record = ", ".join(f"{sql_string(c.name)}: staged.{quoted(c.name)}" for c in entity.columns)
    identity = f"{sql_string(entity.source)}, {sql_string(entity.name)}"
    conn.execute(
        f"""
        INSERT INTO {AUDIT_SCHEMA}.rejects
        SELECT {identity}, checked._extract_date, _file, _line,
               _violations[1]."column", _violations[1].value, _violations[1].reason,
               _violations, to_json({{{record}}})::VARCHAR, current_timestamp,
               {sql_string(run_id)}
        FROM checked JOIN staged USING (_file, _line) WHERE len(_violations) > 0
        UNION ALL
        SELECT {identity}, _extract_date, _file, _line, column_name, value, reason,
               [{{'column': column_name, 'value': value, 'reason': reason}}], value,
               current_timestamp, {sql_string(run_id)}
        FROM unreadable
        """
    )
    conn.register(
        "load_files_input",
        pa.table(
            {
                "source_file": [str(f.path) for f in files],
                "extract_date": pa.array([f.extract_date for f in files], pa.date32()),
                "error": pa.array([failed.get(f.path) for f in files], pa.string()),
                "unknown_columns": pa.array(
                    [unknown.get(f.path, []) for f in files], pa.list_(pa.string())
                ),
            }
        ),
    )
    conn.execute("CREATE OR REPLACE TEMP TABLE load_files AS SELECT * FROM load_files_input")
    conn.unregister("load_files_input")
    conn.execute(
        f"""
        INSERT INTO {AUDIT_SCHEMA}.file_loads
        WITH loaded AS (
            SELECT _source_file AS source_file, count(*) AS n FROM {raw_table(entity)}
            WHERE list_contains({date_list}, _extract_date) GROUP BY ALL
        ),
        rejected AS (
            SELECT source_file, count(*) AS n FROM {AUDIT_SCHEMA}.rejects WHERE {scope}
            GROUP BY ALL
        )
        SELECT {identity}, f.extract_date, f.source_file,
               CASE WHEN f.error IS NULL THEN 'loaded' ELSE 'failed' END,
               coalesce(l.n, 0) + coalesce(r.n, 0), coalesce(l.n, 0), coalesce(r.n, 0),
               f.unknown_columns, f.error, current_timestamp, {sql_string(run_id)}
        FROM load_files AS f
        LEFT JOIN loaded AS l USING (source_file)
        LEFT JOIN rejected AS r USING (source_file)
        """
    )


def _report(conn: duckdb.DuckDBPyConnection, entity: Entity, dates: list[date]) -> IngestionReport:
    rows = conn.execute(
        f"""
        SELECT source_file, extract_date, status, rows_read, rows_loaded, rows_rejected,
               unknown_columns, error
        FROM {AUDIT_SCHEMA}.file_loads
        WHERE source = ? AND entity = ? AND list_contains(?, extract_date)
        ORDER BY extract_date, source_file
        """,
        [entity.source, entity.name, dates],
    ).fetchall()
    report = IngestionReport(entity=entity, dates=dates)
    for path, extract_date, status, read, loaded, rejected, unknown, error in rows:
        report.files.append(
            FileLoad(
                Path(path),
                extract_date,
                status,
                read,
                loaded,
                rejected,
                tuple(unknown or ()),
                error,
            )
        )
    return report


def ingest_files(
    conn: duckdb.DuckDBPyConnection,
    entity: Entity,
    dates: list[date],
    files: list[ExtractFile],
    run_id: str,
) -> IngestionReport:
    """Replace the given extract dates of the entity with the content of `files`.

    Readable files are loaded even when another file fails; the failure is raised after the
    commit, naming every failed file, so that nothing readable is lost and the run fails.
    """
    ensure_tables(conn, entity)
    staged = stage_files(conn, entity, files)
    failed, unknown = staged.failed_files, staged.unknown_columns
    # Staging numbers records by insertion order; checking and loading them need no order, and
    # DuckDB types, checks and writes them about a tenth faster when it may drop it.
    conn.execute("SET preserve_insertion_order = false")
    try:
        validate_staged(conn, entity)
        conn.execute("BEGIN TRANSACTION")
        try:
            _replace(conn, entity, dates, failed, unknown, files, run_id)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("RESET preserve_insertion_order")
    for table in ("staged", "unreadable", "checked", "file_dates", "load_files"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    report = _report(conn, entity, dates)
    if report.failed:
        raise ExtractFileError(report)
    return report
