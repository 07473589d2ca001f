"""The dbt project as Dagster assets: one asset per seed and model, dbt tests as asset checks.

Sources map onto the ingestion assets (raw/<source>/<entity>), so the graph runs from the
landing zone to the marts. dbt writes the build database, so the step holds its writer lock.
"""

import json
import os
import shutil
from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from dbt.version import __version__ as dbt_version
from packaging import version

from cx_warehouse.defs.dbt_metadata import preview_queries, with_table_metadata
from cx_warehouse.defs.resources import WarehouseResource
from cx_warehouse.settings import DBT_EXECUTABLE, PROJECT_ROOT, load_settings
from cx_warehouse.warehouse import exclusive_writer

OWNER = "team:cx-analytics"
LAYERS = ("staging", "intermediate", "marts")

dbt_project = DbtProject(
    project_dir=PROJECT_ROOT, profiles_dir=PROJECT_ROOT, target=load_settings().dbt_target
)


class ProjectDbtCliResource(DbtCliResource):
    """The dbt CLI of this environment. dagster-dbt learns the dbt version by running
    `dbt --version` once per resource, that is once per run: 2.4 s of starting dbt every night.
    The executable is the dbt-core installed beside this code (DBT_EXECUTABLE), so its version
    is the one imported here."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(dbt_version)


def dbt_resource() -> DbtCliResource:
    return ProjectDbtCliResource(
        project_dir=dbt_project,
        target=load_settings().dbt_target,
        dbt_executable=str(DBT_EXECUTABLE),
    )


DBT_SOURCES = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests/dbt")


def _newest_dbt_source() -> float:
    newest = 0.0
    for name in DBT_SOURCES:
        path = PROJECT_ROOT / name
        files = [path] if path.is_file() else path.rglob("*")
        newest = max([newest, *(f.stat().st_mtime for f in files if f.is_file())])
    return newest


def _manifest_is_stale() -> bool:
    manifest = dbt_project.manifest_path
    return not manifest.exists() or manifest.stat().st_mtime < _newest_dbt_source()


def ensure_manifest() -> None:
    """Parse the dbt project when its manifest is missing or older than a dbt file, so the
    asset graph never lags behind an edited model. Processes loading the definitions at once
    (dagster dev's, parallel tests) parse one after the other."""
    if not _manifest_is_stale():
        return
    with exclusive_writer(dbt_project.manifest_path, load_settings().db_lock_timeout_seconds):
        if _manifest_is_stale():
            dbt_resource().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()


PARTIAL_PARSE_STATE = "partial_parse.msgpack"


def keep_parse_state(invocation_target: Path, project_target: Path) -> None:
    """Make a dbt invocation's parse state the one the next invocation starts from. dagster-dbt
    gives each invocation a copy of the project target's state, and dbt parses the whole project
    again when that state was saved under another profile (another database path: the tests',
    the benchmark's); without this, every night in such an environment would pay that parse."""
    state = invocation_target / PARTIAL_PARSE_STATE
    if not state.exists():
        return
    partial = project_target / f".{PARTIAL_PARSE_STATE}.{os.getpid()}"
    shutil.copyfile(state, partial)
    os.replace(partial, project_target / PARTIAL_PARSE_STATE)


def prune_invocation_folders(current: Path, keep: int) -> list[Path]:
    """Remove the oldest folders dagster-dbt made for earlier invocations of the same step
    (`<target>/<step>-<run>-<id>`, about 20 MB each: dbt's debug log, the SQL it ran, its
    artifacts), keeping the newest `keep` and always `current`; without this a nightly
    schedule fills the disk. Returns the folders removed."""
    step = current.name.split("-", 1)[0]
    earlier = sorted(
        (
            folder
            for folder in current.parent.glob(f"{step}-*")
            if folder.is_dir() and folder != current
        ),
        key=lambda folder: folder.stat().st_mtime,
        reverse=True,
    )
    removed = earlier[max(keep - 1, 0) :]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def dbt_project_manifest() -> dict:
    return json.loads(dbt_project.manifest_path.read_text())


class CxDbtTranslator(DagsterDbtTranslator):
    """Sources are the raw ingestion assets; models are keyed and grouped by their layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(
                ["raw", dbt_resource_props["source_name"], dbt_resource_props["name"]]
            )
        return dg.AssetKey([self.get_group_name(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        layer = dbt_resource_props["fqn"][1]
        return layer if layer in LAYERS else "dbt"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return [OWNER]


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False


ensure_manifest()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=CxDbtTranslator(
        settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)
    ),
)
def cx_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    config: DbtBuildConfig,
) -> Iterator:
    """`dbt build` of the selected seeds and models with their data tests (unit tests run in CI)."""
    args = ["build", "--exclude-resource-type", "unit_test"]
    if config.full_refresh:
        args.append("--full-refresh")
    with warehouse.writer_lock():
        invocation = dbt.cli(args, context=context)
        yield from with_table_metadata(
            invocation.stream(),
            warehouse.path,
            context.asset_key_for_output,
            preview_queries(dbt_project_manifest()),
        )
    keep_parse_state(invocation.target_path, dbt_project.target_path)
    prune_invocation_folders(invocation.target_path, load_settings().dbt_runs_keep)
