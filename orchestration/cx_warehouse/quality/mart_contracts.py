"""What the dbt project promises about each mart: its columns and types, the not-null and check
constraints of its enforced contract (DuckDB refuses rows that break them), its generic data
tests, and how its publication is partitioned. The Great Expectations suites re-check these
promises on the data that is about to be published, so the rules are written once, in the
models' YAML."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

CHECKED_TESTS = (
    "unique",
    "not_null",
    "accepted_values",
    "accepted_range",
    "unique_combination_of_columns",
)


@dataclass
class MartContract:
    name: str
    columns: dict[str, str]
    keys: list[list[str]] = field(default_factory=list)
    not_null: list[str] = field(default_factory=list)
    accepted_values: dict[str, list] = field(default_factory=dict)
    ranges: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    # Check constraints: (the column it is declared on, None for the model's, SQL expression).
    checks: list[tuple[str | None, str]] = field(default_factory=list)
    # The column whose months partition the mart's publication (meta: publication: partition_by).
    publication_partition_by: str | None = None


def _with_constraints(mart: MartContract, node: dict) -> MartContract:
    """The mart with the not-null columns and checks its contract declares, on the model (a
    check of the model: no column) or on a column."""
    declared = [(None, constraint) for constraint in node.get("constraints", [])]
    declared += [
        (name, constraint)
        for name, column in node["columns"].items()
        for constraint in column.get("constraints", [])
    ]
    for column, constraint in declared:
        if constraint["type"] == "check":
            mart.checks.append((column, constraint["expression"]))
        elif constraint["type"] == "not_null":
            mart.not_null.extend(constraint.get("columns") or [column])
    return mart


def applicable_checks(
    contract: MartContract, columns: set[str]
) -> list[tuple[int, str | None, str]]:
    """(index, column, expression) of the checks that can run on a mart with these columns: a
    column's check needs its column, a model's check every column of the contract."""
    complete = set(contract.columns) <= columns
    return [
        (index, column, expression)
        for index, (column, expression) in enumerate(contract.checks)
        if (column in columns if column else complete)
    ]


def mart_contracts(manifest_path: Path) -> dict[str, MartContract]:
    """The marts (models in the marts schema) of a dbt manifest, with their promises."""
    manifest = json.loads(manifest_path.read_text())
    marts: dict[str, MartContract] = {}
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] == "model" and node["schema"] == "marts":
            marts[unique_id] = _with_constraints(
                MartContract(
                    name=node["alias"],
                    columns={
                        name: column["data_type"].upper()
                        for name, column in node["columns"].items()
                    },
                    publication_partition_by=node["config"]["meta"]
                    .get("publication", {})
                    .get("partition_by"),
                ),
                node,
            )
    for node in manifest["nodes"].values():
        metadata = node.get("test_metadata") or {}
        mart = marts.get(node.get("attached_node") or "")
        if (
            node["resource_type"] != "test"
            or mart is None
            or metadata.get("name") not in CHECKED_TESTS
        ):
            continue
        if node["config"]["severity"].lower() != "error":
            continue
        kwargs = metadata["kwargs"]
        column = kwargs.get("column_name")
        if metadata["name"] == "unique":
            mart.keys.append([column])
        elif metadata["name"] == "unique_combination_of_columns":
            mart.keys.append(list(kwargs["combination_of_columns"]))
        elif metadata["name"] == "not_null":
            mart.not_null.append(column)
        elif metadata["name"] == "accepted_values":
            mart.accepted_values[column] = list(kwargs["values"])
        elif metadata["name"] == "accepted_range":
            mart.ranges[column] = (kwargs.get("min_value"), kwargs.get("max_value"))
    return {mart.name: mart for mart in marts.values()}
