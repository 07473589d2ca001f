"""dbt's own timings of the nightly's dbt step, per node and in all, from the run_results.json
of its invocation (dagster-dbt gives each its own target/<step>-<run id[:7]>-<unique>/)."""

from __future__ import annotations

import json
from dataclasses import dataclass

RESOURCE_TYPES = ("seed", "model", "test")


@dataclass(frozen=True)
class NodeTiming:
    unique_id: str
    status: str
    seconds: float

    @property
    def resource_type(self) -> str:
        return self.unique_id.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.unique_id.split(".")[2]


@dataclass(frozen=True)
class DbtInvocation:
    execution_seconds: float  # dbt's elapsed_time: running the nodes, after parsing
    nodes: list[NodeTiming]

    @property
    def models(self) -> list[NodeTiming]:
        return self.of_type("model")

    def of_type(self, resource_type: str) -> list[NodeTiming]:
        return [node for node in self.nodes if node.resource_type == resource_type]

    def by_resource_type(self) -> dict[str, tuple[int, float]]:
        """(count, summed seconds) per resource type; dbt runs nodes on several threads at
        once, so the sums can exceed the step's wall time."""
        totals = _totals(self.nodes, lambda node: node.resource_type)
        return {kind: totals.get(kind, (0, 0.0)) for kind in RESOURCE_TYPES}

    def models_by_materialization(
        self, materialized: dict[str, str]
    ) -> dict[str, tuple[int, float]]:
        """(count, summed seconds) of the models per materialization (by unique id)."""
        return _totals(self.models, lambda model: materialized.get(model.unique_id, "unknown"))


def _totals(nodes: list[NodeTiming], kind_of) -> dict[str, tuple[int, float]]:
    totals: dict[str, tuple[int, float]] = {}
    for node in nodes:
        kind = kind_of(node)
        count, seconds = totals.get(kind, (0, 0.0))
        totals[kind] = (count + 1, seconds + node.seconds)
    return totals


def dbt_step_invocation(run_id: str, step_key: str) -> DbtInvocation | None:
    """None when dbt wrote no run_results.json (its process was killed)."""
    from cx_warehouse.defs.dbt import dbt_project

    matches = list(dbt_project.target_path.glob(f"{step_key}-{run_id[:7]}-*/run_results.json"))
    if not matches:
        return None
    if len(matches) > 1:
        raise RuntimeError(f"more than one dbt invocation of run {run_id}: {matches}")
    run_results = json.loads(matches[0].read_text())
    nodes = [
        NodeTiming(result["unique_id"], result["status"], float(result["execution_time"]))
        for result in run_results["results"]
    ]
    return DbtInvocation(float(run_results["elapsed_time"]), nodes)
