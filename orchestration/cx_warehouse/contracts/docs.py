"""The landing contract as Markdown (docs/landing_contract.md is rendered from the YAML files)."""

from __future__ import annotations

from cx_warehouse.contracts import Column, load_contracts


def _rules(column: Column) -> str:
    parts = []
    if column.values:
        parts.append("one of " + ", ".join(f"`{v}`" for v in column.values))
    if column.pattern:
        parts.append(f"matches `{column.pattern}`")
    if column.min is not None:
        parts.append(f"≥ {column.min:g}")
    if column.max is not None:
        parts.append(f"≤ {column.max:g}")
    return "; ".join(parts)


def contract_markdown() -> str:
    lines = [
        "# Landing contract",
        "",
        "Generated from `orchestration/cx_warehouse/contracts/*.yml` by "
        "`cx-warehouse contracts-doc`; do not edit by hand.",
        "",
        "Extracts land as `<landing>/<source>/<entity>/<YYYY-MM-DD>/part-*.{csv,jsonl,parquet}`. "
        "Each extract holds the records created or changed that day; a record may appear again "
        "in a later extract (the version with the newest `updated_at` wins downstream). CSV files "
        "are UTF-8 with a header row (RFC 4180 quoting); JSON lines hold one object per line; "
        "Parquet files carry the columns by name. A source's first extract may be an initial "
        "full export: every record once, in its state as of that day. Timestamps are ISO-8601 "
        "with a UTC offset or `Z`. Enum values are matched case-insensitively and with "
        "surrounding spaces ignored. In JSON lines a key of an optional column may be absent.",
        "",
        "A record that breaks a rule is not loaded: it is kept in "
        "`ingestion_audit.rejects` with its file, line, column, value and reason. A file that "
        "lacks a required column, or is not in the stated format, is not loaded at all and "
        "fails its ingestion asset, naming the file and what was expected. Columns that the "
        "contract does not know are reported, not loaded.",
        "",
    ]
    current_source = None
    for entity in load_contracts():
        if entity.source != current_source:
            current_source = entity.source
            lines += [f"## {entity.source} ({entity.format})", ""]
        lines += [
            f"### {entity.qualified_name}",
            "",
            entity.description,
            "",
            f"Key: `{', '.join(entity.key)}`"
            + (
                f"; version column: `{entity.version_column}`"
                if entity.version_column
                else "; immutable (a repeated record is a duplicate)"
            ),
            "",
            "| column | type | required | rules | description |",
            "|---|---|---|---|---|",
        ]
        for column in entity.columns:
            lines.append(
                f"| `{column.name}` | {column.type} | {'no' if column.nullable else 'yes'} | "
                f"{_rules(column)} | {column.description} |"
            )
        if entity.rules:
            lines += ["", "Record rules:", ""]
            lines += [f"- `{rule.name}`: {rule.reason}." for rule in entity.rules]
        lines.append("")
    return "\n".join(lines)
