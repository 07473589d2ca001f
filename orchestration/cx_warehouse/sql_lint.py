"""sqlfluff on the incremental models as an incremental run renders them.

`make lint` renders every model against an empty in-memory database, where no model exists, so
dbt's `is_incremental()` is false and the branches a nightly run executes are never linted.
Here the incremental models are linted again against a database holding an empty table in
each of their places: dbt then takes them for incremental runs.

    python -m cx_warehouse.sql_lint [--fix]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from cx_warehouse.settings import DBT_EXECUTABLE, PROJECT_ROOT

SQLFLUFF_EXECUTABLE = DBT_EXECUTABLE.parent / "sqlfluff"


def incremental_models(environ: dict[str, str]) -> list[dict[str, str]]:
    """Schema, name and file of every incremental model, as `dbt ls` resolves them."""
    with tempfile.TemporaryDirectory() as target:
        done = subprocess.run(
            [
                str(DBT_EXECUTABLE),
                "ls",
                "--resource-type",
                "model",
                "--select",
                "config.materialized:incremental",
                "--output",
                "json",
                "--output-keys",
                "schema name original_file_path",
                "--quiet",
                "--target-path",
                target,
            ],
            cwd=PROJECT_ROOT,
            env=environ,
            capture_output=True,
            text=True,
        )
    if done.returncode != 0:
        raise RuntimeError(f"dbt ls failed:\n{done.stdout}{done.stderr}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def create_placeholder_tables(database: Path, models: list[dict[str, str]]) -> None:
    """An empty table where each model lives: all dbt's `is_incremental()` looks for."""
    with duckdb.connect(str(database)) as conn:
        for model in models:
            schema, name = model["schema"], model["name"]
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            conn.execute(f'CREATE TABLE "{schema}"."{name}" (placeholder INTEGER)')


@contextmanager
def incremental_rendering() -> Iterator[tuple[dict[str, str], list[str]]]:
    """The environment under which dbt renders the incremental models for an incremental run
    (a placeholder database), and their files."""
    with tempfile.TemporaryDirectory() as folder:
        environ = os.environ | {"CX_WAREHOUSE_DB": str(Path(folder) / "build.duckdb")}
        models = incremental_models(environ)
        create_placeholder_tables(Path(environ["CX_WAREHOUSE_DB"]), models)
        yield environ, sorted(model["original_file_path"] for model in models)


def lint_incremental_rendering(fix: bool = False) -> int:
    """sqlfluff's exit code on the incremental models, rendered for an incremental run."""
    with incremental_rendering() as (environ, files):
        command = [str(SQLFLUFF_EXECUTABLE), "fix" if fix else "lint", *files]
        return subprocess.run(command, cwd=PROJECT_ROOT, env=environ).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="apply sqlfluff's fixes")
    return lint_incremental_rendering(parser.parse_args(argv).fix)


if __name__ == "__main__":
    sys.exit(main())
