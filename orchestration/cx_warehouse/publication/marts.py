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

WHOLE = "data"  # the one partition of a mart published unpartitioned
PARTITION_COLUMN = "publication_partition"


@dataclass(frozen=True)
class PreviousVersion:
    folder: Path
    marts: dict[str, dict]  # the previous manifest's shape of each mart


def quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def partition_key(partition_by: str | None) -> str:
    """The SQL expression naming a row's partition."""
    if partition_by is None:
        return f"'{WHOLE}'"
    return f"coalesce(strftime(date_trunc('month', {partition_by}), '%Y-%m'), 'none')"


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
    rows = conn.execute(
        f"SELECT {partition_key(partition_by)} AS part, count(*), "
        f"sum(hash({hashed}))::hugeint::varchar FROM build.marts.{mart} GROUP BY part"
    ).fetchall()
    return {part: [count, digest] for part, count, digest in rows}


def _in_list(keys: list[str]) -> str:
    return ", ".join("'" + key.replace("'", "''") + "'" for key in keys)


def write_parquet(
    conn: duckdb.DuckDBPyConnection,
    mart: str,
    partition_by: str | None,
    parts: list[str],
    folder: Path,
) -> None:
    """The Parquet files of `parts` (<part>.parquet in `folder`), in one pass over the mart."""
    if partition_by is None:
        conn.execute(
            f"COPY build.marts.{mart} TO {quoted(folder / f'{WHOLE}.parquet')} "
            "(FORMAT parquet, COMPRESSION zstd)"
        )
        return
    if not parts:
        return
    scratch = folder / ".writing"
    conn.execute(
        f"COPY (SELECT *, {partition_key(partition_by)} AS {PARTITION_COLUMN} "
        f"FROM build.marts.{mart} WHERE {partition_key(partition_by)} IN ({_in_list(parts)})) "
        f"TO {quoted(scratch)} (FORMAT parquet, COMPRESSION zstd, "
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
    key = partition_key(partition_by)
    if reusable:
        changed = [part for part, print_ in now.items() if before["partitions"].get(part) != print_]
        gone = [part for part in before["partitions"] if part not in now]
        if changed or gone:
            conn.execute(
                f"DELETE FROM published.main.{mart} WHERE {key} IN ({_in_list(changed + gone)})"
            )
        if changed:
            conn.execute(
                f"INSERT INTO published.main.{mart} SELECT * FROM build.marts.{mart} "
                f"WHERE {key} IN ({_in_list(changed)})"
            )
    else:
        changed = list(now)
        conn.execute(
            f"CREATE OR REPLACE TABLE published.main.{mart} AS SELECT * FROM build.marts.{mart}"
        )
    folder = staging / "parquet" / mart
    folder.mkdir(parents=True)
    if changed or not now:  # an empty mart still gets its (empty) file when unpartitioned
        write_parquet(conn, mart, partition_by, changed, folder)
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
