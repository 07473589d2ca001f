"""Write a simulated world to the landing zone, one folder per entity and extract date, and the
ground truth (hidden personas, true requesters of tickets, injected mess) beside it."""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from cx_warehouse.contracts import entity as contract_entity
from cx_warehouse.generator.config import GeneratorConfig
from cx_warehouse.generator.mess import CORRUPTIONS, add_mess, fold_into_initial_export
from cx_warehouse.generator.personas import PERSONA_NAMES
from cx_warehouse.generator.render import (
    BAD_BYTE_MARKER,
    MACROS,
    PEOPLE_VIEW,
    RENDERINGS,
    text_macro,
)
from cx_warehouse.generator.sampling import Table
from cx_warehouse.generator.versions import (
    agent_versions,
    customer_versions,
    events,
    order_versions,
    return_versions,
    ticket_record_versions,
)
from cx_warehouse.generator.world import World, simulate
from cx_warehouse.warehouse import connect

BAD_BYTE = b"\xfc"  # a Latin-1 u-umlaut: not valid UTF-8 on its own
REQUESTERS = ("known", "email_only", "phone_only", "guest")
DAYS_PER_CHUNK = 31
ROWS_PER_PART = 500_000


@dataclass
class GenerationSummary:
    rows: dict[str, int] = field(default_factory=dict)
    corrupted: dict[str, dict[str, int]] = field(default_factory=dict)
    files: int = 0


def _chronological_number(times: np.ndarray) -> np.ndarray:
    order = np.argsort(times, kind="stable")
    number = np.empty(times.size, dtype=np.int64)
    number[order] = np.arange(times.size)
    return number


def _requesters(rng: np.random.Generator, world: World) -> np.ndarray:
    """Who the help desk knows the requester as (see REQUESTERS)."""
    n = world.tickets["team"].size
    kind = rng.choice(len(REQUESTERS), size=n, p=[0.85, 0.09, 0.03, 0.03])
    has_phone = world.customers["phone"][world.tickets["customer"]] >= 0
    phone_only = REQUESTERS.index("phone_only")
    return np.where((kind == phone_only) & ~has_phone, REQUESTERS.index("email_only"), kind)


def _numbered(world: World, rng: np.random.Generator) -> dict[str, Table]:
    """Base tables with display numbers (ids count up in time) and references resolved."""
    orders, tickets = dict(world.orders), dict(world.tickets)
    orders["number"] = _chronological_number(orders["ordered_at"])
    tickets["number"] = _chronological_number(tickets["created_at"])
    order_number = np.append(orders["number"], -1)  # index -1 -> no order
    ticket_number = np.append(tickets["number"], -1)
    tickets["order_number"] = order_number[tickets["order"]]
    tickets["requester"] = _requesters(rng, world)
    items = dict(world.items, order_number=orders["number"][world.items["order"]])
    returns = dict(world.returns)
    returns["number"] = _chronological_number(returns["requested_at"])
    returns["order_number"] = orders["number"][returns["order"]]
    returns["customer"] = orders["customer"][returns["order"]]
    events_table = dict(
        world.ticket_events, ticket_number=tickets["number"][world.ticket_events["ticket"]]
    )
    invitations = dict(
        world.invitations,
        order_number=order_number[world.invitations["order"]],
        ticket_number=ticket_number[world.invitations["ticket"]],
    )
    tables = {
        "customers": dict(world.customers),
        "touchpoints": dict(world.touchpoints),
        "orders": orders,
        "items": items,
        "returns": returns,
        "tickets": tickets,
        "ticket_events": events_table,
        "agents": dict(world.agents),
        "invitations": invitations,
        "responses": dict(world.responses),
    }
    for table in tables.values():
        table["_index"] = np.arange(next(iter(table.values())).size)
    return tables


def _versions(world: World) -> dict[str, Table]:
    origin, end = world.calendar.origin, world.calendar.end
    return {
        "crm.customers": customer_versions(world.customers, origin, end),
        "crm.touchpoints": events(
            np.arange(world.touchpoints["customer"].size), world.touchpoints["occurred_at"], origin
        ),
        "orders.orders": order_versions(world.orders, origin, end),
        "orders.order_items": events(
            np.arange(world.items["order"].size),
            world.orders["ordered_at"][world.items["order"]],
            origin,
        ),
        "orders.returns": return_versions(world.returns, origin, end),
        "tickets.tickets": ticket_record_versions(world.ticket_versions, origin),
        "tickets.ticket_events": events(
            np.arange(world.ticket_events["ticket"].size),
            world.ticket_events["occurred_at"],
            origin,
        ),
        "tickets.agents": agent_versions(world.agents, origin, end),
        "surveys.invitations": events(
            np.arange(world.invitations["customer"].size), world.invitations["sent_at"], origin
        ),
        "surveys.responses": events(
            np.arange(world.responses["customer"].size), world.responses["responded_at"], origin
        ),
    }


def _register(conn: duckdb.DuckDBPyConnection, name: str, table: Table) -> None:
    flat = {k: v for k, v in table.items() if v.ndim == 1}
    conn.register(name, pa.table(flat))


def _content(name: str, columns: list[str], file_format: str) -> str:
    rendering = RENDERINGS[name]
    ordered = "ORDER BY _extract_day, _extract_at, _seq"
    if file_format == "csv":
        selected = ", ".join(columns)
        return f"SELECT _extract_day, _corrupt, {selected} FROM ({rendering.select()}) {ordered}"
    fields = ", ".join(f"'{c}': {c}" for c in columns)
    broken = CORRUPTIONS.index("broken_json")
    return f"""
        SELECT _extract_day, _corrupt,
               CASE WHEN _corrupt = {broken} THEN left(line, length(line) // 2)
                    ELSE line END AS line
        FROM (SELECT *, CAST(to_json({{{fields}}}) AS VARCHAR) AS line FROM ({rendering.select()}))
        {ordered}
    """


def _encode(table: pa.Table, file_format: str) -> bytes:
    if file_format == "csv":
        buffer = io.BytesIO()
        pacsv.write_csv(table, buffer, pacsv.WriteOptions(quoting_style="needed"))
        data = buffer.getvalue()
    else:
        data = ("\n".join(table.column("line").to_pylist()) + "\n").encode()
    return data.replace(BAD_BYTE_MARKER.encode(), BAD_BYTE)


def _write_entity(
    conn: duckdb.DuckDBPyConnection,
    name: str,
    config: GeneratorConfig,
    landing_dir: Path,
    summary: GenerationSummary,
) -> None:
    contract = contract_entity(name)
    columns = list(contract.column_names)
    query = _content(name, columns, contract.format)
    first = (config.first_written - config.start).days
    last = (config.last_written - config.start).days
    root = landing_dir / contract.source / contract.name
    corrupted: dict[str, int] = {}
    rows = 0
    for chunk_start in range(first, last + 1, DAYS_PER_CHUNK):
        chunk_end = min(chunk_start + DAYS_PER_CHUNK - 1, last)
        table = conn.sql(
            f"SELECT * FROM ({query}) WHERE _extract_day BETWEEN {chunk_start} AND {chunk_end}"
        ).to_arrow_table()
        if table.num_rows == 0:
            continue
        days = table.column("_extract_day").to_numpy()
        for kind, count in zip(
            *np.unique(table.column("_corrupt").to_numpy(), return_counts=True), strict=True
        ):
            if kind >= 0:
                corrupted[CORRUPTIONS[kind]] = corrupted.get(CORRUPTIONS[kind], 0) + int(count)
        content = table.drop_columns(["_extract_day", "_corrupt"])
        boundaries = np.flatnonzero(np.diff(days)) + 1
        for lo, hi in zip(
            np.concatenate([[0], boundaries]),
            np.concatenate([boundaries, [days.size]]),
            strict=True,
        ):
            day = config.start + timedelta(days=int(days[lo]))
            folder = root / day.isoformat()
            folder.mkdir(parents=True, exist_ok=True)
            for part, offset in enumerate(range(lo, hi, ROWS_PER_PART)):
                length = min(ROWS_PER_PART, hi - offset)
                (folder / f"part-{part:04d}.{contract.format}").write_bytes(
                    _encode(content.slice(offset, length), contract.format)
                )
                summary.files += 1
        rows += table.num_rows
    summary.rows[name] = rows
    summary.corrupted[name] = corrupted


def _write_ground_truth(
    conn: duckdb.DuckDBPyConnection,
    ground_truth_dir: Path,
    config: GeneratorConfig,
    summary: GenerationSummary,
) -> None:
    ground_truth_dir.mkdir(parents=True, exist_ok=True)
    personas = "[" + ", ".join(f"'{p}'" for p in PERSONA_NAMES) + "]"
    requesters = "[" + ", ".join(f"'{r}'" for r in REQUESTERS) + "]"
    conn.execute(f"""
        COPY (SELECT 'CUS-' || lpad(CAST(_index + 1 AS VARCHAR), 7, '0') AS customer_id,
                     {personas}[persona + 1] AS persona
              FROM customers ORDER BY _index)
        TO '{ground_truth_dir / "personas.csv"}' (HEADER)
    """)
    conn.execute(f"""
        COPY (SELECT 'TCK-' || lpad(CAST(number + 1 AS VARCHAR), 9, '0') AS ticket_id,
                     'CUS-' || lpad(CAST(customer + 1 AS VARCHAR), 7, '0') AS customer_id,
                     {requesters}[requester + 1] AS requester
              FROM tickets ORDER BY number)
        TO '{ground_truth_dir / "ticket_requesters.csv"}' (HEADER)
    """)
    manifest = {
        "customers": config.customers,
        "start": config.start.isoformat(),
        "end": config.end.isoformat(),
        "seed": config.seed,
        "mess_rate": config.mess_rate,
        "written_from": config.first_written.isoformat(),
        "written_to": config.last_written.isoformat(),
        "rows": summary.rows,
        "corrupted_rows": summary.corrupted,
    }
    (ground_truth_dir / "generation.json").write_text(json.dumps(manifest, indent=2) + "\n")


def generate(
    config: GeneratorConfig, landing_dir: Path, ground_truth_dir: Path, replace: bool = True
) -> GenerationSummary:
    """Simulate the business and write its extracts for the configured dates."""
    world = simulate(config)
    rng = np.random.default_rng([config.seed, 1])
    if replace:
        for source in ("crm", "orders", "tickets", "surveys"):
            shutil.rmtree(landing_dir / source, ignore_errors=True)
    conn = connect()
    conn.execute("SET TimeZone = 'UTC'")
    conn.execute(MACROS)
    conn.execute(text_macro(world.texts.texts))
    for name, table in _numbered(world, rng).items():
        _register(conn, name, table)
    conn.execute(PEOPLE_VIEW)
    summary = GenerationSummary()
    for name, versions in _versions(world).items():
        corruptions = tuple(
            kind
            for kind, (column, _) in RENDERINGS[name].broken.items()
            if column or kind == "broken_json"
        )
        rows = add_mess(rng, versions, corruptions, config.mess_rate, world.calendar.days)
        rows = fold_into_initial_export(rows, config.initial_export_day)
        _register(conn, "rows", rows)
        _write_entity(conn, name, config, landing_dir, summary)
    _write_ground_truth(conn, ground_truth_dir, config, summary)
    conn.close()
    return summary
