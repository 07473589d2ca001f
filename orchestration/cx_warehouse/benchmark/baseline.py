"""The baseline: the compiled SQL of every dbt model executed by DuckDB alone, in dependency
order on one connection (no dbt, no Dagster, no tests), on a copy of the build database that
keeps the raw data and seeds the nightly build read."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import yaml

from cx_warehouse.benchmark.dbt_cli import run_dbt
from cx_warehouse.benchmark.workspace import copy_database
from cx_warehouse.defs.dbt import dbt_project_manifest
from cx_warehouse.settings import PROJECT_ROOT, Settings
from cx_warehouse.warehouse import connect


@dataclass(frozen=True)
class Baseline:
    models_in_manifest: int
    materialized: dict[str, str]  # by unique id, as configured in dbt
    model_seconds: dict[str, float]  # by unique id, in execution order
    seconds: float
    compile_seconds: float

    @property
    def models_executed(self) -> int:
        return len(self.model_seconds)


def duckdb_settings(target: str) -> dict:
    """The per-session DuckDB settings of the dbt target (profiles.yml), so both run under the
    same ones (its memory limit and spill directory are the settings' own, as in `connect`)."""
    profiles = yaml.safe_load((PROJECT_ROOT / "profiles.yml").read_text())
    (profile,) = profiles.values()
    return profile["outputs"][target].get("settings", {})


def _models(manifest_path: Path) -> dict[str, dict]:
    nodes = json.loads(manifest_path.read_text())["nodes"]
    return {uid: node for uid, node in nodes.items() if node["resource_type"] == "model"}


def _dependency_order(models: dict[str, dict]) -> list[str]:
    graph = {
        uid: [parent for parent in node["depends_on"]["nodes"] if parent in models]
        for uid, node in models.items()
    }
    return list(TopologicalSorter(graph).static_order())


def _statement(node: dict) -> str:
    kind = "VIEW" if node["config"]["materialized"] == "view" else "TABLE"
    # The closing parenthesis on its own line: compiled SQL may end in a line comment.
    return f"CREATE {kind} {node['relation_name']} AS (\n{node['compiled_code']}\n)"


def _drop_schemas(database: Path, schemas: list[tuple[str, str]]) -> None:
    connection = connect(database)
    try:
        for catalog, schema in schemas:
            connection.execute(f'DROP SCHEMA IF EXISTS "{catalog}"."{schema}" CASCADE')
            connection.execute(f'CREATE SCHEMA "{catalog}"."{schema}"')
        connection.execute("CHECKPOINT")
    finally:
        connection.close()


def run_baseline(settings: Settings, folder: Path) -> Baseline:
    """Drop the model schemas of a copy of the build database, compile every model against it
    (so every model, even one a full refresh keeps, compiles to its first-build form), then
    time creating every model from its compiled SQL."""
    database = copy_database(settings.warehouse_db, folder)
    manifest = dbt_project_manifest()
    _drop_schemas(
        database,
        sorted(
            {
                (node["database"], node["schema"])
                for node in manifest["nodes"].values()
                if node["resource_type"] == "model"
            }
        ),
    )
    compile_seconds = run_dbt(["compile", "--select", "resource_type:model"], database, folder)
    models = _models(folder / "target" / "manifest.json")
    connection = connect(database)
    try:
        for name, value in duckdb_settings(settings.dbt_target).items():
            connection.execute(f"SET {name} = '{value}'")
        model_seconds = {}
        started = time.monotonic()
        for uid in _dependency_order(models):
            model_started = time.monotonic()
            connection.execute(_statement(models[uid]))
            model_seconds[uid] = time.monotonic() - model_started
        seconds = time.monotonic() - started
    finally:
        connection.close()
    for path in folder.glob(f"{database.name}*"):  # the copy and its write-ahead log
        path.unlink()
    materialized = {uid: node["config"]["materialized"] for uid, node in models.items()}
    return Baseline(len(models), materialized, model_seconds, seconds, compile_seconds)
