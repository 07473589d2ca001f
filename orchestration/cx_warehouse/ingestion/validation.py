"""The contract as SQL: typed values and the violations of every staged record.

`validate_staged` turns the temporary `staged` table into `checked`, holding the file and line
of each record, each contract column typed (timestamps as TIMESTAMPTZ, amounts as DECIMAL, ...)
and `_violations`, the list of every broken rule of the record as {column, value, reason}. An
empty list means the record honours the contract.
"""

from __future__ import annotations

import duckdb

from cx_warehouse.contracts import Column, Entity
from cx_warehouse.sql_text import quoted, sql_list, sql_string

ISO_TIMESTAMP = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|z|[+-]\d{2}(:?\d{2})?)"
EXAMPLE = "2025-03-01T09:30:00+01:00"
TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")

SQL_TYPES = {
    "string": "VARCHAR",
    "enum": "VARCHAR",
    "integer": "BIGINT",
    "decimal": "DECIMAL(18, 2)",
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMPTZ",
}


def raw(column: Column) -> str:
    return quoted("_raw_" + column.name)


def _blank_as_null(expression: str) -> str:
    return f"CASE WHEN trim({expression}) = '' THEN NULL ELSE {expression} END"


def typed_value(column: Column) -> str:
    """The SQL expression that types the column's raw text (NULL where it does not parse)."""
    text = _blank_as_null(raw(column))
    trimmed = f"trim({text})"
    if column.type in ("string", "enum"):
        return text
    if column.type == "integer":
        return f"TRY_CAST({trimmed} AS BIGINT)"
    if column.type == "decimal":
        return f"TRY_CAST({trimmed} AS {SQL_TYPES['decimal']})"
    if column.type == "boolean":
        lowered = f"lower({trimmed})"
        return (
            f"CASE WHEN {lowered} IN {tuple(TRUE_WORDS)} THEN true "
            f"WHEN {lowered} IN {tuple(FALSE_WORDS)} THEN false END"
        )
    if column.type == "timestamp":
        return (
            f"CASE WHEN regexp_full_match({trimmed}, {sql_string(ISO_TIMESTAMP)}) "
            f"THEN TRY_CAST({trimmed} AS TIMESTAMPTZ) END"
        )
    raise ValueError(column.type)


def _violation(column: Column, condition: str, reason: str) -> str:
    return (
        f"CASE WHEN {condition} THEN {{'column': {sql_string(column.name)}, "
        f"'value': left({raw(column)}, 500), 'reason': {reason}}} END"
    )


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def column_checks(column: Column) -> list[str]:
    """One violation expression per rule the column carries."""
    present = f"trim(coalesce({raw(column)}, '')) <> ''"
    value = quoted(column.name)
    checks = []
    if not column.nullable:
        checks.append(_violation(column, f"NOT ({present})", "'required value is missing'"))
    if column.type == "timestamp":
        checks.append(
            _violation(
                column,
                f"{present} AND {value} IS NULL",
                sql_string(f"not an ISO-8601 timestamp with a UTC offset or Z (e.g. {EXAMPLE})"),
            )
        )
    elif column.type in ("integer", "decimal", "boolean"):
        expected = {
            "integer": "a whole number",
            "decimal": "a decimal number",
            "boolean": "a boolean (true or false)",
        }
        checks.append(
            _violation(
                column, f"{present} AND {value} IS NULL", sql_string(f"not {expected[column.type]}")
            )
        )
    if column.type == "enum":
        allowed = sql_list(v.lower() for v in column.values)
        checks.append(
            _violation(
                column,
                f"{present} AND NOT list_contains({allowed}, lower(trim({raw(column)})))",
                sql_string(f"not one of the allowed values: {', '.join(column.values)}"),
            )
        )
    if column.pattern:
        checks.append(
            _violation(
                column,
                f"{present} AND NOT regexp_full_match({raw(column)}, {sql_string(column.pattern)})",
                sql_string(f"does not match the expected format {column.pattern}"),
            )
        )
    if column.min is not None:
        checks.append(
            _violation(
                column,
                f"{value} < {column.min}",
                sql_string(f"below the minimum {_format(column.min)}"),
            )
        )
    if column.max is not None:
        checks.append(
            _violation(
                column,
                f"{value} > {column.max}",
                sql_string(f"above the maximum {_format(column.max)}"),
            )
        )
    return checks


def all_checks(entity: Entity) -> list[str]:
    checks = [check for column in entity.columns for check in column_checks(column)]
    for rule in entity.rules:
        column = entity.column(rule.column)
        checks.append(
            _violation(column, f"NOT coalesce(({rule.expression}), true)", sql_string(rule.reason))
        )
    return checks


def validate_staged(conn: duckdb.DuckDBPyConnection, entity: Entity) -> None:
    """Create the temporary table `checked` from `staged`: typed values and violations, without
    the raw text, which only rejected records need (from `staged`, by file and line)."""
    renamed = ", ".join(f"{quoted(c.name)} AS {raw(c)}" for c in entity.columns)
    typed = ", ".join(f"{typed_value(c)} AS {quoted(c.name)}" for c in entity.columns)
    typed_names = ", ".join(quoted(c.name) for c in entity.columns)
    checks = ",\n            ".join(all_checks(entity))
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE checked AS
        WITH raw_text AS (
            SELECT _file, _extract_date, _line, {renamed} FROM staged
        ),
        typed AS (
            SELECT *, {typed} FROM raw_text
        )
        SELECT _file, _extract_date, _line, {typed_names}, list_filter([
            {checks}
        ], lambda v: v IS NOT NULL) AS _violations
        FROM typed
        """
    )
