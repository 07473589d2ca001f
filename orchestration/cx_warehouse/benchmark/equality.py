"""Are the incremental night's marts those of a full refresh on the same data? A copy of the
build database is rebuilt with `dbt run --full-refresh`, and every mart is compared with EXCEPT
ALL both ways; rows left over on both sides are paired in sorted order and may differ only in
floating-point columns, within 1e-9 (DuckDB sums doubles in varying order)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from cx_warehouse.benchmark.dbt_cli import run_dbt
from cx_warehouse.benchmark.workspace import copy_database
from cx_warehouse.warehouse import connect

MARTS_SCHEMA = "marts"
FLOAT_TYPES = ("FLOAT", "DOUBLE")
TOLERANCE = 1e-9


@dataclass(frozen=True)
class MartComparison:
    mart: str
    rows: int | None  # None: missing on that side
    full_refresh_rows: int | None
    differing_rows: int
    finding: str

    @property
    def equal(self) -> bool:
        return self.differing_rows == 0 and None not in (self.rows, self.full_refresh_rows)


@dataclass(frozen=True)
class Equality:
    full_refresh_seconds: float
    marts: list[MartComparison]

    @property
    def equal(self) -> bool:
        return bool(self.marts) and all(mart.equal for mart in self.marts)

    @property
    def differing(self) -> list[str]:
        return [mart.mart for mart in self.marts if not mart.equal]


def _columns(connection: duckdb.DuckDBPyConnection, catalog: str, table: str) -> list[tuple]:
    return connection.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = ? AND table_schema = ? AND table_name = ? "
        "ORDER BY ordinal_position",
        [catalog, MARTS_SCHEMA, table],
    ).fetchall()


def _tables(connection: duckdb.DuckDBPyConnection, catalog: str) -> set[str]:
    rows = connection.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = ? AND table_schema = ?",
        [catalog, MARTS_SCHEMA],
    ).fetchall()
    return {name for (name,) in rows}


def _count(connection: duckdb.DuckDBPyConnection, relation: str) -> int:
    return connection.execute(f"SELECT count(*) FROM {relation}").fetchone()[0]


def _rows_beyond_tolerance(
    connection: duckdb.DuckDBPyConnection, left: str, right: str, columns: list[tuple]
) -> int:
    """Rows of the two multisets that remain unmatched after exact matching and after pairing
    the leftovers in sorted order with a tolerance on floating-point columns."""
    exact = [f'"{name}"' for name, kind in columns if kind not in FLOAT_TYPES]
    floats = [f'"{name}"' for name, kind in columns if kind in FLOAT_TYPES]
    order = ", ".join([*exact, *floats])
    mismatch = " OR ".join(
        [
            "l._pair IS NULL",
            "r._pair IS NULL",
            *(f"l.{c} IS DISTINCT FROM r.{c}" for c in exact),
            *(
                f"NOT (l.{c} IS NOT DISTINCT FROM r.{c} OR abs(l.{c} - r.{c}) <= "
                f"{TOLERANCE} * greatest(1, abs(l.{c}), abs(r.{c})))"
                for c in floats
            ),
        ]
    )
    return connection.execute(f"""
        WITH l AS (
            SELECT *, row_number() OVER (ORDER BY {order}) AS _pair
            FROM (SELECT * FROM {left} EXCEPT ALL SELECT * FROM {right})
        ),
        r AS (
            SELECT *, row_number() OVER (ORDER BY {order}) AS _pair
            FROM (SELECT * FROM {right} EXCEPT ALL SELECT * FROM {left})
        )
        SELECT count(*) FROM l FULL JOIN r ON l._pair = r._pair WHERE {mismatch}
    """).fetchone()[0]


def _compare(connection: duckdb.DuckDBPyConnection, mart: str) -> MartComparison:
    left, right = f'nightly.{MARTS_SCHEMA}."{mart}"', f'full_refresh.{MARTS_SCHEMA}."{mart}"'
    columns = _columns(connection, "nightly", mart)
    full_columns = _columns(connection, "full_refresh", mart)
    rows = _count(connection, left) if columns else None
    full_rows = _count(connection, right) if full_columns else None
    if rows is None or full_rows is None:
        side = "incremental build" if rows is None else "full refresh"
        return MartComparison(
            mart, rows, full_rows, rows or full_rows or 0, f"missing in the {side}"
        )
    if columns != full_columns:
        return MartComparison(mart, rows, full_rows, max(rows, full_rows), "columns differ")
    differing = _rows_beyond_tolerance(connection, left, right, columns)
    finding = "equal" if differing == 0 else f"differs ({differing:,} unmatched rows)"
    return MartComparison(mart, rows, full_rows, differing, finding)


def compare_with_full_refresh(build_database: Path, folder: Path) -> Equality:
    full_refresh = copy_database(build_database, folder)
    seconds = run_dbt(["run", "--full-refresh"], full_refresh, folder)
    connection = connect()
    try:
        connection.execute(f"ATTACH '{build_database}' AS nightly (READ_ONLY)")
        connection.execute(f"ATTACH '{full_refresh}' AS full_refresh (READ_ONLY)")
        marts = sorted(_tables(connection, "nightly") | _tables(connection, "full_refresh"))
        comparisons = [_compare(connection, mart) for mart in marts]
    finally:
        connection.close()
    return Equality(seconds, comparisons)
