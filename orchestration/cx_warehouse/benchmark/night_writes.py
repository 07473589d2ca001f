"""What a night rewrote: for every table that stamps its rows with the build that wrote them (a
`built_at` column: the incremental staging and intermediate models), the rows written since the
night started against the rows the table holds. A table incremental by record writes about what
arrived; one incremental by customer rewrites every row of each customer a night touches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cx_warehouse.warehouse import connect


@dataclass(frozen=True)
class TableWrites:
    table: str  # schema.table
    written: int
    rows: int

    @property
    def share(self) -> float:
        return self.written / self.rows if self.rows else 0.0


def rows_written_since(database: Path, since: datetime) -> list[TableWrites]:
    """Every stamped table of the build database, the largest share written first."""
    with connect(database, read_only=True) as conn:
        tables = conn.execute(
            "SELECT c.table_schema, c.table_name FROM information_schema.columns AS c "
            "INNER JOIN information_schema.tables AS t "
            "USING (table_catalog, table_schema, table_name) "
            "WHERE t.table_type = 'BASE TABLE' AND c.column_name = 'built_at' "
            "ORDER BY c.table_schema, c.table_name"
        ).fetchall()
        writes = []
        for schema, table in tables:
            written, rows = conn.execute(
                f'SELECT count(*) FILTER (WHERE built_at >= ?), count(*) FROM "{schema}"."{table}"',
                [since],
            ).fetchone()
            writes.append(TableWrites(f"{schema}.{table}", written, rows))
    return sorted(writes, key=lambda table: (-table.share, table.table))
