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
        return [node for node in self.nodes if node.resource_type == "model"]

    def by_resource_type(self) -> dict[str, tuple[int, float]]:
        """(count, summed seconds) per resource type; dbt runs nodes on several threads at
        once, so the sums can exceed the step's wall time."""
        summary = {}
        for resource_type in RESOURCE_TYPES:
            nodes = [node for node in self.nodes if node.resource_type == resource_type]
            summary[resource_type] = (len(nodes), sum(node.seconds for node in nodes))
        return summary

    def models_by_materialization(
        self, materialized: dict[str, str]
    ) -> dict[str, tuple[int, float]]:
        """(count, summed seconds) of the models per materialization (by unique id)."""
        summary: dict[str, tuple[int, float]] = {}
        for model in self.models:
            kind = materialized.get(model.unique_id, "unknown")
            count, seconds = summary.get(kind, (0, 0.0))
            summary[kind] = (count + 1, seconds + model.seconds)
        return summary


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
