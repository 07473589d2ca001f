"""The landing contract: what each source entity must look like, loaded from the YAML files
beside this module. Ingestion enforces it, the generator writes to it, docs are rendered from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CONTRACTS_DIR = Path(__file__).parent
COLUMN_TYPES = ("string", "enum", "integer", "decimal", "boolean", "timestamp")
FORMATS = ("csv", "jsonl", "parquet")
SOURCES = ("crm", "orders", "tickets", "surveys")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    description: str = ""
    values: tuple[str, ...] = ()
    pattern: str | None = None
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Rule:
    name: str
    column: str
    expression: str
    reason: str


@dataclass(frozen=True)
class Entity:
    source: str
    name: str
    format: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    rules: tuple[Rule, ...] = ()
    version_column: str | None = None

    @property
    def qualified_name(self) -> str:
        return f"{self.source}.{self.name}"

    @property
    def raw_table(self) -> str:
        return f"{self.source}_{self.name}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Columns a file must carry (nullable columns may be absent from a JSON record)."""
        return tuple(column.name for column in self.columns if not column.nullable)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


class ContractError(ValueError):
    """A contract file is itself malformed."""


def _column(entity: str, spec: dict) -> Column:
    if spec.get("type") not in COLUMN_TYPES:
        raise ContractError(f"{entity}.{spec.get('name')}: type must be one of {COLUMN_TYPES}")
    if spec["type"] == "enum" and not spec.get("values"):
        raise ContractError(f"{entity}.{spec['name']}: an enum needs its values")
    return Column(
        name=spec["name"],
        type=spec["type"],
        nullable=bool(spec["nullable"]),
        description=spec.get("description", ""),
        values=tuple(str(value) for value in spec.get("values", ())),
        pattern=spec.get("pattern"),
        min=spec.get("min"),
        max=spec.get("max"),
    )


def _entities(path: Path) -> list[Entity]:
    document = yaml.safe_load(path.read_text())
    source, file_format = document["source"], document["format"]
    if file_format not in FORMATS:
        raise ContractError(f"{path.name}: format must be one of {FORMATS}")
    entities = []
    for name, spec in document["entities"].items():
        columns = tuple(_column(f"{source}.{name}", column) for column in spec["columns"])
        known = {column.name for column in columns}
        unknown = [
            col for col in [*spec["key"], spec.get("version_column")] if col and col not in known
        ]
        if unknown:
            raise ContractError(f"{source}.{name}: key or version column {unknown} not declared")
        entities.append(
            Entity(
                source=source,
                name=name,
                format=file_format,
                description=" ".join(spec.get("description", "").split()),
                key=tuple(spec["key"]),
                columns=columns,
                rules=tuple(Rule(**rule) for rule in spec.get("rules", ())),
                version_column=spec.get("version_column"),
            )
        )
    return entities


@cache
def load_contracts() -> tuple[Entity, ...]:
    """Every entity of every source, in the order the contract files list them."""
    paths = sorted(CONTRACTS_DIR.glob("*.yml"), key=lambda p: SOURCES.index(p.stem))
    return tuple(entity for path in paths for entity in _entities(path))


def entity(qualified_name: str) -> Entity:
    return next(e for e in load_contracts() if e.qualified_name == qualified_name)
