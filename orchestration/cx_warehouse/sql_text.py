"""Values and names written into DuckDB SQL text, quoted."""

from __future__ import annotations

from pathlib import Path


def sql_string(value: str | Path) -> str:
    """A string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def sql_list(values) -> str:
    """A list literal of strings."""
    return "[" + ", ".join(sql_string(v) for v in values) + "]"


def quoted(name: str) -> str:
    """A quoted identifier."""
    return '"' + name.replace('"', '""') + '"'
