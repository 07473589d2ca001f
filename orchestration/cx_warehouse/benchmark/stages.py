"""The stages of the nightly build and which Dagster step belongs to which, read from the
definitions: ingestion (raw/* assets), dbt, checks, publication and reports."""

from __future__ import annotations

import dagster as dg

STAGES = ("ingestion", "dbt", "checks", "publication", "reports")
OTHER = "other"
GROUP_STAGES = {
    "reference": "dbt",
    "staging": "dbt",
    "intermediate": "dbt",
    "marts": "dbt",
    "quality": "checks",
    "publication": "publication",
    "reports": "reports",
}


def _stage(assets_def: dg.AssetsDefinition) -> str:
    if not assets_def.keys:  # a step of asset checks only (the Great Expectations suites)
        return "checks"
    if all(key.path[0] == "raw" for key in assets_def.keys):
        return "ingestion"
    stages = {GROUP_STAGES.get(group, OTHER) for group in assets_def.group_names_by_key.values()}
    return stages.pop() if len(stages) == 1 else OTHER


def step_stages() -> dict[str, str]:
    """The stage of every step of the nightly job, keyed by step key."""
    from cx_warehouse.definitions import defs

    return {
        assets_def.node_def.name: _stage(assets_def)
        for assets_def in defs.resolve_asset_graph().assets_defs
    }


def dbt_step_key(stages: dict[str, str]) -> str:
    (step,) = (step for step, stage in stages.items() if stage == "dbt")
    return step
