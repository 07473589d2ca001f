"""Metadata for the dbt assets' materializations: row count, column schema and, for models whose
dbt `meta` has a `preview` query, a preview table (the KPI marts).

DuckDB lets only one process open the build database while dbt writes it, so the metadata is
read once dbt has finished, and dbt's events are passed on after it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from cx_warehouse.markdown import markdown_table
from cx_warehouse.warehouse import connect

PREVIEW_ROWS = 20


def preview_queries(manifest: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """(schema, model) -> the preview query from the model's `meta.preview`."""
    return {
        (node["schema"], node["name"]): node["config"]["meta"]["preview"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and "preview" in node["config"].get("meta", {})
    }


def _checks(conn: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[tuple[list, str]]]:
    """(schema, table) -> its check constraints: (the columns they read, expression)."""
    checks: dict[tuple[str, str], list[tuple[list, str]]] = {}
    for schema, table, columns, expression in conn.execute(
        "SELECT schema_name, table_name, constraint_column_names, expression "
        "FROM duckdb_constraints() WHERE constraint_type = 'CHECK' "
        "ORDER BY schema_name, table_name, constraint_index"
    ).fetchall():
        checks.setdefault((schema, table), []).append((columns, expression))
    return checks


def _tables(conn: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dg.TableSchema]:
    """Every table's column schema, with its enforced constraints (not null, checks: on the
    column when they read one column, on the table otherwise)."""
    rows = conn.execute(
        "SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.is_nullable "
        "FROM information_schema.columns AS c "
        "INNER JOIN information_schema.tables AS t "
        "USING (table_catalog, table_schema, table_name) "
        "WHERE t.table_type = 'BASE TABLE' "
        "ORDER BY c.table_schema, c.table_name, c.ordinal_position"
    ).fetchall()
    checks = _checks(conn)
    columns: dict[tuple[str, str], list[dg.TableColumn]] = {}
    for schema, table, column, data_type, is_nullable in rows:
        own = [e for read, e in checks.get((schema, table), []) if read == [column]]
        columns.setdefault((schema, table), []).append(
            dg.TableColumn(
                column,
                data_type.lower(),
                constraints=dg.TableColumnConstraints(nullable=is_nullable == "YES", other=own),
            )
        )
    return {
        key: dg.TableSchema(
            columns=value,
            constraints=dg.TableConstraints(
                other=[e for read, e in checks.get(key, []) if len(read) != 1]
            ),
        )
        for key, value in columns.items()
    }


def table_metadata(
    conn: duckdb.DuckDBPyConnection, key: dg.AssetKey, preview: str | None, schemas
) -> dict[str, Any]:
    """Row count, column schema and preview of the table behind a dbt asset (tables only:
    counting a view would run it)."""
    table = (key.path[0], key.path[-1])
    if table not in schemas:
        return {}
    relation = f'"{table[0]}"."{table[1]}"'
    metadata: dict[str, Any] = {
        "dagster/row_count": conn.execute(f"SELECT count(*) FROM {relation}").fetchone()[0],
        "dagster/column_schema": schemas[table],
    }
    if preview:
        frame = conn.execute(
            f"SELECT * FROM ({preview.format(relation=relation)}) LIMIT {PREVIEW_ROWS}"
        ).df()
        metadata["preview"] = dg.MetadataValue.md(markdown_table(frame))
    return metadata


def with_table_metadata(
    events: Iterable[Any],
    database: Path,
    asset_key_for_output,
    previews: Mapping[tuple[str, str], str],
) -> Iterator[Any]:
    """dbt's events, once dbt has finished, with table metadata added to every model output."""
    finished = list(events)
    with connect(database, read_only=True) as conn:
        schemas = _tables(conn)
        for event in finished:
            if isinstance(event, dg.Output):
                key = asset_key_for_output(event.output_name)
                preview = previews.get((key.path[0], key.path[-1]))
                extra = table_metadata(conn, key, preview, schemas)
                if extra:
                    event = event.with_metadata({**event.metadata, **extra})
            yield event
