"""Write the marts into a publication version, reusing what the previous version holds.

A mart is published in partitions: the months of the column its YAML names (`meta:
{publication: {partition_by: <column>}}`, for the large facts), else one partition. Each
partition's fingerprint - its row count and the sum of its rows' hashes, computed in the build
database - goes into the manifest. A version starts from a copy of the previous version's
DuckDB file and rewrites in it only the partitions whose fingerprint changed; its Parquet files
of unchanged partitions are hard links to the previous version's, which are never modified. A
mart whose columns or partitioning changed is written whole, and so is every mart of a version
without a previous one.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cx_warehouse.sql_text import sql_string

WHOLE = "data"  # the one partition of a mart published unpartitioned
PARTITION_COLUMN = "publication_partition"


@dataclass(frozen=True)
class PreviousVersion:
    folder: Path
    marts: dict[str, dict]  # the previous manifest's shape of each mart


def _month(partition_by: str) -> str:
    return f"date_trunc('month', {partition_by})"


def _named(month: str) -> str:
    return f"coalesce(strftime({month}, '%Y-%m'), 'none')"


def partition_key(partition_by: str | None) -> str:
    """The SQL expression naming a row's partition."""
    return _named(_month(partition_by)) if partition_by else f"'{WHOLE}'"


def in_partitions(partition_by: str | None, parts: list[str]) -> str:
    """A filter for the rows of `parts`, comparing months rather than formatting every row's."""
    if partition_by is None:
        return "true" if WHOLE in parts else "false"
    months = [f"DATE '{part}-01'" for part in parts if part != "none"]
    tests = [f"{_month(partition_by)} IN ({', '.join(months)})"] if months else []
    if "none" in parts:
        tests.append(f"{partition_by} IS NULL")
    return "(" + (" OR ".join(tests) or "false") + ")"


def mart_columns(conn: duckdb.DuckDBPyConnection, mart: str) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_catalog = 'build' "
            "AND table_schema = 'marts' AND table_name = ? ORDER BY ordinal_position",
            [mart],
        ).fetchall()
    ]


def fingerprints(
    conn: duckdb.DuckDBPyConnection, mart: str, columns: list[str], partition_by: str | None
) -> dict[str, list]:
    """Each partition's [row count, sum of row hashes as text]."""
    hashed = ", ".join(f'"{column}"' for column in columns)
    # Grouped by month, named afterwards: formatting every row's month costs more than hashing.
    name = _named("publication_month") if partition_by else f"'{WHOLE}'"
    month = _month(partition_by) if partition_by else "NULL"
    rows = conn.execute(
        f"SELECT {name}, publication_rows, publication_digest FROM ("
        f"SELECT {month} AS publication_month, count(*) AS publication_rows, "
        f"sum(hash({hashed}))::hugeint::varchar AS publication_digest "
        f"FROM build.marts.{mart} GROUP BY publication_month)"
    ).fetchall()
    return {part: [count, digest] for part, count, digest in rows}


def write_parquet(
    conn: duckdb.DuckDBPyConnection,
    rows: str,
    partition_by: str | None,
    parts: list[str],
    folder: Path,
) -> None:
    """The Parquet files of `parts` (<part>.parquet in `folder`) from the relation `rows` (the
    mart, or its changed partitions), in one pass."""
    if partition_by is None:
        conn.execute(
            f"COPY {rows} TO {sql_string(folder / f'{WHOLE}.parquet')} "
            "(FORMAT parquet, COMPRESSION zstd)"
        )
        return
    if not parts:
        return
    scratch = folder / ".writing"
    conn.execute(
        f"COPY (SELECT *, {partition_key(partition_by)} AS {PARTITION_COLUMN} "
        f"FROM {rows} WHERE {in_partitions(partition_by, parts)}) "
        f"TO {sql_string(scratch)} (FORMAT parquet, COMPRESSION zstd, "
        f"PARTITION_BY ({PARTITION_COLUMN}))"
    )
    for part in parts:
        (written,) = (scratch / f"{PARTITION_COLUMN}={part}").glob("*.parquet")
        written.rename(folder / f"{part}.parquet")
    shutil.rmtree(scratch)


def link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def publish_mart(
    conn: duckdb.DuckDBPyConnection,
    mart: str,
    partition_by: str | None,
    staging: Path,
    previous: PreviousVersion | None,
) -> dict:
    """Bring the mart's table in the version's DuckDB file (attached as `published`) and its
    Parquet folder up to date with the build database; the mart's shape for the manifest."""
    columns = mart_columns(conn, mart)
    now = fingerprints(conn, mart, columns, partition_by)
    before = previous.marts.get(mart) if previous else None
    reusable = (
        before is not None
        and before.get("columns") == columns
        and before.get("partition_by") == partition_by
        and "partitions" in before
    )
    changed = list(now)
    rows = f"published.main.{mart}"
    if reusable:
        changed = [part for part, print_ in now.items() if before["partitions"].get(part) != print_]
        gone = [part for part in before["partitions"] if part not in now]
    if reusable and len(changed) < len(now):
        if changed or gone:
            conn.execute(
                f"DELETE FROM published.main.{mart} "
                f"WHERE {in_partitions(partition_by, changed + gone)}"
            )
        if changed:
            # The changed partitions are read from the build database once, for both outputs.
            rows = "publication_changes"
            conn.execute(
                f"CREATE OR REPLACE TEMP TABLE {rows} AS SELECT * FROM build.marts.{mart} "
                f"WHERE {in_partitions(partition_by, changed)}"
            )
            conn.execute(f"INSERT INTO published.main.{mart} SELECT * FROM {rows}")
    else:
        conn.execute(
            f"CREATE OR REPLACE TABLE published.main.{mart} AS SELECT * FROM build.marts.{mart}"
        )
    folder = staging / "parquet" / mart
    folder.mkdir(parents=True)
    if changed or not now:  # an empty mart still gets its (empty) file when unpartitioned
        write_parquet(conn, rows, partition_by, changed, folder)
    for part in sorted(now.keys() - set(changed)):
        link_or_copy(
            previous.folder / "parquet" / mart / f"{part}.parquet", folder / f"{part}.parquet"
        )
    return {
        "rows": sum(count for count, _ in now.values()),
        "columns": columns,
        "parquet": f"parquet/{mart}/" + ("*.parquet" if partition_by else f"{WHOLE}.parquet"),
        "partition_by": partition_by,
        "partitions": now,
    }
