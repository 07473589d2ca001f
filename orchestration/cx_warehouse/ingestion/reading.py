"""Read extract files into a temporary staging table, every contract column as text.

The result of `stage_files` is two temporary tables:

- `staged`: one row per record that could be parsed, with `_file`, `_extract_date`,
  `_line` (the physical line where the record starts; the row number for Parquet) and one
  VARCHAR column per contract column (NULL when absent);
- `unreadable`: records that could not be parsed at all (bad encoding, wrong field count,
  broken JSON), with file, line, column, value and reason.

Files that cannot be read as a whole (missing required columns, not the stated format) are
returned as `failed_files` and contribute no rows to either table.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from cx_warehouse.contracts import Entity
from cx_warehouse.ingestion.discovery import ExtractFile
from cx_warehouse.sql_text import quoted, sql_list, sql_string

LINE_DELIMITER = "\x1f"  # a control character that cannot appear unescaped in CSV text or JSON
UNDECODABLE = "invalid UTF-8 byte sequence (files must be UTF-8 encoded)"


@dataclass
class StagedFiles:
    failed_files: dict[Path, str] = field(default_factory=dict)
    unknown_columns: dict[Path, list[str]] = field(default_factory=dict)


def _create_tables(conn: duckdb.DuckDBPyConnection, entity: Entity) -> None:
    columns = ", ".join(f"{quoted(c)} VARCHAR" for c in entity.column_names)
    conn.execute("DROP TABLE IF EXISTS staged")
    conn.execute("DROP TABLE IF EXISTS unreadable")
    conn.execute(
        f"CREATE TEMP TABLE staged (_file VARCHAR, _extract_date DATE, _line BIGINT, {columns})"
    )
    conn.execute(
        "CREATE TEMP TABLE unreadable (_file VARCHAR, _extract_date DATE, _line BIGINT, "
        "column_name VARCHAR, value VARCHAR, reason VARCHAR)"
    )


def _register_dates(conn: duckdb.DuckDBPyConnection, files: list[ExtractFile]) -> None:
    dates = pa.table(
        {
            "_file": [str(f.path) for f in files],
            "_extract_date": pa.array([f.extract_date for f in files], pa.date32()),
        }
    )
    conn.register("file_dates_input", dates)
    conn.execute("CREATE OR REPLACE TEMP TABLE file_dates AS SELECT * FROM file_dates_input")
    conn.unregister("file_dates_input")


def _csv_header(path: Path) -> list[str] | None:
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
        row = next(csv.reader(handle), None)
    return None if row is None else [name.strip() for name in row]


def _accepts_columns(
    entity: Entity, path: Path, names: Sequence[str], required: Sequence[str], result: StagedFiles
) -> bool:
    """Whether a file with these columns can be loaded: a missing required column fails the
    file; columns the contract does not know are reported."""
    missing = [c for c in required if c not in names]
    if missing:
        result.failed_files[path] = (
            f"missing required column(s) {', '.join(missing)}; "
            f"expected the columns of {entity.qualified_name}: {', '.join(entity.column_names)}"
        )
        return False
    extra = [c for c in names if c not in entity.column_names]
    if extra:
        result.unknown_columns[path] = extra
    return True


def _rejected_runs(rejected: str, line: str, lines_before_records: int) -> str:
    """A query over `rejected` (_file and the `line` of each rejected line): per file, each run
    of rejected lines as `_kept_before` (records kept before it), `_rejected_so_far` (lines
    rejected up to its end) and `_next_kept_before` (the next run's; the largest BIGINT for the
    last run)."""
    return f"""
        SELECT _file, _kept_before, _rejected_so_far,
               lead(_kept_before, 1, 9223372036854775807)
                   OVER (PARTITION BY _file ORDER BY _kept_before) AS _next_kept_before
        FROM (
            SELECT _file, {line} - {lines_before_records} - _rank AS _kept_before,
                   max(_rank) AS _rejected_so_far
            FROM (
                SELECT _file, {line},
                       row_number() OVER (PARTITION BY _file ORDER BY {line}) AS _rank
                FROM {rejected}
            )
            GROUP BY ALL
        )
    """


def _after_run(kept: str, index: str, run: str) -> str:
    """Join condition: the `index`-th kept record of `kept` comes after `run` and before the
    next one. (A hash join on the file with this filter: an ASOF join would sort every
    record with its text.)"""
    return (
        f"{kept}._file = {run}._file AND {index} > {run}._kept_before "
        f"AND {index} <= {run}._next_kept_before"
    )


def _read_lines(conn: duckdb.DuckDBPyConnection, paths: list[Path], table: str) -> None:
    """Every physical line of the files, numbered: the view `table` (_file, _line, _text), to
    be read once and dropped with `_drop_lines`. A view, not a table: writing every line's
    text once more took 8.8 of ticket events' 64 s at 1,000,000 customers.

    DuckDB's reader drops lines it cannot decode and reports them in its rejects table; the
    returned lines keep file order (their row ids do too, as insertion order is preserved), so
    their numbers are recovered around the rejected ones.
    """
    conn.execute("DROP TABLE IF EXISTS line_rejects; DROP TABLE IF EXISTS line_reject_scans")
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE lines_returned AS
        SELECT filename AS _file, line AS _text
        FROM read_csv({sql_list(paths)}, columns = {{'line': 'VARCHAR'}}, header = false,
                      delim = {sql_string(LINE_DELIMITER)}, quote = '', escape = '',
                      auto_detect = false, filename = true, strict_mode = false,
                      store_rejects = true, rejects_table = 'line_rejects',
                      rejects_scan = 'line_reject_scans')
        """
    )
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW {table} AS
        WITH rejected AS (
            SELECT s.file_path AS _file, e.line AS _line,
                   trim(any_value(e.csv_line), chr(10) || chr(13)) AS _text
            FROM line_rejects AS e
            JOIN line_reject_scans AS s USING (scan_id, file_id)
            GROUP BY ALL
        ),
        rejected_runs AS ({_rejected_runs("rejected", "_line", lines_before_records=0)}),
        first_returned AS (
            SELECT _file, min(rowid) AS _first_row FROM lines_returned GROUP BY ALL
        ),
        returned AS (
            SELECT _file, _text, lines_returned.rowid - _first_row + 1 AS _returned_index
            FROM lines_returned JOIN first_returned USING (_file)
        )
        SELECT r._file, r._returned_index + coalesce(s._rejected_so_far, 0) AS _line,
               r._text, false AS _undecodable
        FROM returned AS r
        LEFT JOIN rejected_runs AS s ON {_after_run("r", "r._returned_index", "s")}
        UNION ALL
        SELECT _file, _line, _text, true FROM rejected
        """
    )


def _drop_lines(conn: duckdb.DuckDBPyConnection, table: str) -> None:
    conn.execute(f"DROP VIEW IF EXISTS {table}; DROP TABLE IF EXISTS lines_returned")


def _physical_lines(path: Path) -> int:
    count, last = 0, b"\n"
    with open(path, "rb") as handle:
        while block := handle.read(1 << 24):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def _parse_csv(
    conn: duckdb.DuckDBPyConnection, entity: Entity, by_header: dict[tuple[str, ...], list[Path]]
) -> None:
    """`parsed`: the records DuckDB's CSV reader returns, in file order (by row id);
    `csv_rejects_found`: what it rejected, numbered by the parser's logical line."""
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE csv_rejects_found "
        "(_file VARCHAR, _logical_line BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR)"
    )
    selected = ", ".join(quoted(c) for c in entity.column_names)
    for group, (header, paths) in enumerate(by_header.items()):
        columns = ", ".join(f"{sql_string(name)}: 'VARCHAR'" for name in header)
        into = "CREATE OR REPLACE TEMP TABLE parsed AS" if group == 0 else "INSERT INTO parsed"
        conn.execute("DROP TABLE IF EXISTS csv_rejects; DROP TABLE IF EXISTS csv_reject_scans")
        conn.execute(
            f"""
            {into}
            SELECT filename AS _file, {selected}
            FROM read_csv({sql_list(paths)}, columns = {{{columns}}}, header = true,
                          delim = ',', quote = '"', escape = '"', auto_detect = false,
                          filename = true, store_rejects = true,
                          rejects_table = 'csv_rejects', rejects_scan = 'csv_reject_scans')
            """
        )
        conn.execute(
            f"""
            INSERT INTO csv_rejects_found
            SELECT s.file_path, e.line,
                   arg_min(CASE WHEN e.error_type NOT LIKE '%COLUMNS' THEN e.column_name END,
                           e.column_idx),
                   trim(any_value(e.csv_line), chr(10) || chr(13)),
                   arg_min(CASE e.error_type
                               WHEN 'INVALID ENCODING'
                               THEN {sql_string(UNDECODABLE)}
                               ELSE e.error_message END, e.column_idx)
            FROM csv_rejects AS e
            JOIN csv_reject_scans AS s USING (scan_id, file_id)
            GROUP BY s.file_path, e.line
            """
        )


def _one_line_per_record(conn: duckdb.DuckDBPyConnection, paths: list[Path]) -> list[str]:
    """Files where every line after the header is one record, accepted or rejected: no blank
    lines, no multi-line fields. There the parser's line numbers are the physical ones."""
    conn.register(
        "line_counts_input",
        pa.table(
            {
                "_file": [str(p) for p in paths],
                "_lines": pa.array([_physical_lines(p) for p in paths], pa.int64()),
            }
        ),
    )
    files = conn.execute(
        """
        SELECT c._file
        FROM line_counts_input AS c
        LEFT JOIN (SELECT _file, count(*) AS n FROM parsed GROUP BY ALL) AS p USING (_file)
        LEFT JOIN (
            SELECT _file, count(*) AS n, min(_logical_line) AS first FROM csv_rejects_found
            GROUP BY ALL
        ) AS r USING (_file)
        WHERE c._lines = 1 + coalesce(p.n, 0) + coalesce(r.n, 0) AND coalesce(r.first, 2) > 1
        """
    ).fetchall()
    conn.unregister("line_counts_input")
    return [row[0] for row in files]


def _stage_one_line_per_record(
    conn: duckdb.DuckDBPyConnection, entity: Entity, files: list[str]
) -> None:
    """The k-th parsed record of such a file is on line k + 1, plus one for every rejected
    line before it; its rejects go to `csv_rejects_placed` at their own line."""
    selected = ", ".join(f"p.{quoted(c)}" for c in entity.column_names)
    rejected = f"csv_rejects_found WHERE list_contains({sql_list(files)}, _file)"
    rejected_runs = _rejected_runs(rejected, "_logical_line", lines_before_records=1)
    conn.execute(
        f"""
        INSERT INTO staged
        WITH first_records AS (
            SELECT _file, min(rowid) AS _first_row FROM parsed
            WHERE list_contains({sql_list(files)}, _file) GROUP BY ALL
        ),
        numbered AS (
            SELECT p.*, p.rowid - f._first_row + 1 AS _k
            FROM parsed AS p JOIN first_records AS f USING (_file)
        ),
        rejected_runs AS ({rejected_runs})
        SELECT p._file, d._extract_date, p._k + 1 + coalesce(s._rejected_so_far, 0), {selected}
        FROM numbered AS p
        JOIN file_dates AS d USING (_file)
        LEFT JOIN rejected_runs AS s ON {_after_run("p", "p._k", "s")}
        """
    )
    conn.execute(
        f"""
        INSERT INTO csv_rejects_placed
        SELECT _file, _logical_line, column_name, value, reason FROM csv_rejects_found
        WHERE list_contains({sql_list(files)}, _file)
        """
    )


def _stage_numbered_by_lines(
    conn: duckdb.DuckDBPyConnection, entity: Entity, files: list[str]
) -> None:
    """Records of files with blank lines or multi-line fields, numbered by the physical line
    where they start; their rejects go to `csv_rejects_placed` at that line too."""
    _read_lines(conn, [Path(f) for f in files], "csv_lines")
    # Lines outside quoted fields are the parser's "logical" lines (header, blank lines and
    # record starts): DuckDB numbers its rejects by them. A record starts on a non-blank one.
    conn.execute(
        """
        CREATE OR REPLACE TEMP TABLE logical_lines AS
        WITH counted AS (
            SELECT *, coalesce(length(_text) - length(replace(_text, '"', '')), 0) AS _quotes
            FROM csv_lines
        ),
        parity AS (
            SELECT *, coalesce(sum(_quotes) OVER (
                PARTITION BY _file ORDER BY _line
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) % 2 = 0 AS _outside_quotes
            FROM counted
        )
        SELECT _file, _line,
               row_number() OVER (PARTITION BY _file ORDER BY _line) AS _logical_line,
               _line > 1 AND trim(coalesce(_text, '')) <> '' AS _starts_record
        FROM parity
        WHERE _outside_quotes
        """
    )
    conn.execute(
        """
        INSERT INTO csv_rejects_placed
        SELECT r._file, l._line, r.column_name, r.value, r.reason
        FROM csv_rejects_found AS r
        JOIN logical_lines AS l ON l._file = r._file AND l._logical_line = r._logical_line
        """
    )
    # The k-th parsed record of a file starts on the k-th record start the parser did not reject.
    selected = ", ".join(f"p.{quoted(c)}" for c in entity.column_names)
    conn.execute(
        f"""
        INSERT INTO staged
        WITH good_starts AS (
            SELECT s._file, s._line,
                   row_number() OVER (PARTITION BY s._file ORDER BY s._line) AS _k
            FROM logical_lines AS s
            ANTI JOIN csv_rejects_placed AS r ON s._file = r._file AND s._line = r._line
            WHERE s._starts_record
        ),
        records AS (
            SELECT *, row_number() OVER (PARTITION BY _file ORDER BY rowid) AS _k
            FROM parsed
            WHERE list_contains({sql_list(files)}, _file)
        )
        SELECT p._file, d._extract_date, g._line, {selected}
        FROM records AS p
        JOIN file_dates AS d USING (_file)
        LEFT JOIN good_starts AS g ON p._file = g._file AND p._k = g._k
        """
    )
    conn.execute("DROP TABLE logical_lines")
    _drop_lines(conn, "csv_lines")


def _stage_csv(
    conn: duckdb.DuckDBPyConnection, entity: Entity, files: list[ExtractFile], result: StagedFiles
) -> None:
    by_header: dict[tuple[str, ...], list[Path]] = defaultdict(list)
    for extract in files:
        header = _csv_header(extract.path)
        if not header or header == [""]:
            result.failed_files[extract.path] = (
                f"empty file: expected a CSV header with the columns of {entity.qualified_name}"
            )
            continue
        if _accepts_columns(entity, extract.path, header, entity.column_names, result):
            by_header[tuple(header)].append(extract.path)
    if not by_header:
        return

    readable = [path for paths in by_header.values() for path in paths]
    _parse_csv(conn, entity, by_header)
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE csv_rejects_placed "
        "(_file VARCHAR, _line BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR)"
    )
    # Numbering records by physical line costs a second pass over the file; most files need
    # none, because their lines and records correspond one to one.
    simple = _one_line_per_record(conn, readable)
    if simple:
        _stage_one_line_per_record(conn, entity, simple)
    others = sorted({str(p) for p in readable} - set(simple))
    if others:
        _stage_numbered_by_lines(conn, entity, others)
    conn.execute(
        """
        INSERT INTO unreadable
        SELECT r._file, d._extract_date, r._line, r.column_name, r.value,
               'unparseable CSV record: ' || r.reason
        FROM csv_rejects_placed AS r JOIN file_dates AS d USING (_file)
        """
    )
    for table in ("parsed", "csv_rejects_found", "csv_rejects_placed"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")


def _stage_jsonl(
    conn: duckdb.DuckDBPyConnection, entity: Entity, files: list[ExtractFile], result: StagedFiles
) -> None:
    _read_lines(conn, [f.path for f in files], "json_lines")
    paths = ", ".join(f"'$.{name}'" for name in entity.column_names)
    # Only a line with a colon before "[" or "{" can hold a nested value: the others need no
    # look at each value's JSON type.
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE json_records AS
        WITH parsed AS (
            SELECT *, CASE WHEN NOT _undecodable AND json_valid(_text)
                           THEN json_type(_text) = 'OBJECT' ELSE false END AS _is_object
            FROM json_lines
            WHERE _undecodable OR trim(coalesce(_text, '')) <> ''
        )
        SELECT _file, _line, _text, _undecodable, _is_object,
               CASE WHEN _is_object AND regexp_matches(_text, ':\\s*[\\[{{]')
                    THEN {sql_list(entity.column_names)}[list_position(
                        list_transform(json_type(_text, [{paths}]),
                                       lambda t: t IN ('OBJECT', 'ARRAY')), true)]
               END AS _nested_column
        FROM parsed
        """
    )
    keys_by_file: dict[str, set[str]] = defaultdict(set)
    for path, keys in conn.execute(
        "SELECT DISTINCT _file, json_keys(_text) FROM json_records WHERE _is_object"
    ).fetchall():
        keys_by_file[path].update(keys)
    for extract in files:
        keys = keys_by_file.get(str(extract.path))
        if keys is None:
            has_lines = conn.execute(
                "SELECT count(*) > 0 FROM json_records WHERE _file = ?", [str(extract.path)]
            ).fetchone()[0]
            if has_lines:
                result.failed_files[extract.path] = (
                    "not JSON lines: no line holds a JSON object; expected one "
                    f"{entity.qualified_name} record per line"
                )
            continue
        _accepts_columns(entity, extract.path, sorted(keys), entity.required_columns, result)

    failed = sql_list(result.failed_files) if result.failed_files else "[]"
    values = ", ".join(
        f"_values[{i}] AS {quoted(name)}" for i, name in enumerate(entity.column_names, start=1)
    )
    conn.execute(
        f"""
        INSERT INTO staged
        SELECT _file, d._extract_date, _line, {values}
        FROM (
            SELECT *, json_extract_string(_text, [{paths}]) AS _values
            FROM json_records
            WHERE _is_object AND _nested_column IS NULL AND NOT list_contains({failed}, _file)
        )
        JOIN file_dates AS d USING (_file)
        """
    )
    conn.execute(
        f"""
        INSERT INTO unreadable
        SELECT _file, d._extract_date, _line, _nested_column, left(_text, 1000),
               CASE
                   WHEN _undecodable
                   THEN {sql_string(UNDECODABLE)}
                   WHEN NOT _is_object THEN 'not valid JSON: expected one JSON object per line'
                   ELSE 'holds a JSON object or array where a single value is expected'
               END
        FROM json_records
        JOIN file_dates AS d USING (_file)
        WHERE NOT list_contains({failed}, _file) AND (NOT _is_object OR _nested_column IS NOT NULL)
        """
    )
    conn.execute("DROP TABLE json_records")
    _drop_lines(conn, "json_lines")


def _stage_parquet(
    conn: duckdb.DuckDBPyConnection, entity: Entity, files: list[ExtractFile], result: StagedFiles
) -> None:
    readable = []
    for extract in files:
        try:
            names = [
                row[0]
                for row in conn.execute(
                    f"DESCRIBE SELECT * FROM read_parquet({sql_string(extract.path)})"
                ).fetchall()
            ]
        except duckdb.Error as error:
            result.failed_files[extract.path] = f"not a readable Parquet file ({error})"
            continue
        if _accepts_columns(entity, extract.path, names, entity.column_names, result):
            readable.append(extract.path)
    if not readable:
        return
    values = ", ".join(f"CAST({quoted(c)} AS VARCHAR)" for c in entity.column_names)
    conn.execute(
        f"""
        INSERT INTO staged
        SELECT filename, d._extract_date, file_row_number + 1, {values}
        FROM read_parquet({sql_list(readable)}, union_by_name = true, filename = true,
                          file_row_number = true)
        JOIN file_dates AS d ON d._file = filename
        """
    )


STAGERS = {"csv": _stage_csv, "jsonl": _stage_jsonl, "parquet": _stage_parquet}


def stage_files(
    conn: duckdb.DuckDBPyConnection, entity: Entity, files: list[ExtractFile]
) -> StagedFiles:
    """Parse the files into the temporary tables `staged` and `unreadable`."""
    _create_tables(conn, entity)
    _register_dates(conn, files)
    result = StagedFiles()
    by_format: dict[str, list[ExtractFile]] = defaultdict(list)
    for extract in files:
        by_format[extract.format].append(extract)
    for file_format, group in by_format.items():
        STAGERS[file_format](conn, entity, group, result)
    return result
