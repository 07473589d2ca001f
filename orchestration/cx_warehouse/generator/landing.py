"""Write a simulated world to the landing zone, one folder per entity and extract date, and the
ground truth (hidden personas, true requesters of tickets, injected mess) beside it."""

from __future__ import annotations

import io
import itertools
import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
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
ROWS_PER_PART = 500_000
# The simulated world stays in numpy while DuckDB renders it: DuckDB gets less than the build's
# memory limit and spills its sorts (at 1M customers: peak 5.7 GiB instead of 8.3).
RENDERING_MEMORY_LIMIT = "2GB"


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


def _version_builders(world: World) -> dict[str, Callable[[], Table]]:
    """How to build each entity's version rows. Built one entity at a time, so that only the
    entity being written holds its versions in memory."""
    origin, end = world.calendar.origin, world.calendar.end
    return {
        "crm.customers": lambda: customer_versions(world.customers, origin, end),
        "crm.touchpoints": lambda: events(
            np.arange(world.touchpoints["customer"].size), world.touchpoints["occurred_at"], origin
        ),
        "orders.orders": lambda: order_versions(world.orders, origin, end),
        "orders.order_items": lambda: events(
            np.arange(world.items["order"].size),
            world.orders["ordered_at"][world.items["order"]],
            origin,
        ),
        "orders.returns": lambda: return_versions(world.returns, origin, end),
        "tickets.tickets": lambda: ticket_record_versions(world.ticket_versions, origin),
        "tickets.ticket_events": lambda: events(
            np.arange(world.ticket_events["ticket"].size),
            world.ticket_events["occurred_at"],
            origin,
        ),
        "tickets.agents": lambda: agent_versions(world.agents, origin, end),
        "surveys.invitations": lambda: events(
            np.arange(world.invitations["customer"].size), world.invitations["sent_at"], origin
        ),
        "surveys.responses": lambda: events(
            np.arange(world.responses["customer"].size), world.responses["responded_at"], origin
        ),
    }


def _register(conn: duckdb.DuckDBPyConnection, name: str, table: Table) -> None:
    flat = {k: v for k, v in table.items() if v.ndim == 1}
    conn.register(name, pa.table(flat))


def _messy_rows(
    rng: np.random.Generator, name: str, versions: Table, config: GeneratorConfig, days: int
) -> Table:
    corruptions = tuple(
        kind
        for kind, (column, _) in RENDERINGS[name].broken.items()
        if column or kind == "broken_json"
    )
    rows = add_mess(rng, versions, corruptions, config.mess_rate, days)
    return fold_into_initial_export(rows, config.initial_export_day)


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


def _day_pieces(batches: pa.RecordBatchReader) -> Iterator[tuple[int, pa.RecordBatch]]:
    """The rows in order, cut wherever the extract day changes."""
    for batch in batches:
        days = batch.column("_extract_day").to_numpy()
        starts = np.concatenate([[0], np.flatnonzero(np.diff(days)) + 1, [days.size]])
        for lo, hi in itertools.pairwise(starts):
            yield int(days[lo]), batch.slice(lo, hi - lo)


@dataclass
class _PartWriter:
    """Writes each extract day's rows as part files of ROWS_PER_PART rows, whatever the size of
    the batches they arrive in."""

    root: Path
    start: date
    file_format: str
    files: int = 0
    _day: int = -1
    _pending: list[pa.RecordBatch] = field(default_factory=list)
    _pending_rows: int = 0
    _parts: Counter[int] = field(default_factory=Counter)

    def add(self, day: int, piece: pa.RecordBatch) -> None:
        if day != self._day:
            self.flush()
            self._day = day
        while piece.num_rows:
            taken = min(ROWS_PER_PART - self._pending_rows, piece.num_rows)
            self._pending.append(piece.slice(0, taken))
            self._pending_rows += taken
            piece = piece.slice(taken)
            if self._pending_rows == ROWS_PER_PART:
                self.flush()

    def flush(self) -> None:
        if not self._pending_rows:
            return
        folder = self.root / (self.start + timedelta(days=self._day)).isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f"part-{self._parts[self._day]:04d}.{self.file_format}"
        table = pa.Table.from_batches(self._pending).drop_columns(["_extract_day", "_corrupt"])
        part.write_bytes(_encode(table, self.file_format))
        self._parts[self._day] += 1
        self.files += 1
        self._pending, self._pending_rows = [], 0


def _write_entity(
    conn: duckdb.DuckDBPyConnection,
    name: str,
    config: GeneratorConfig,
    landing_dir: Path,
    summary: GenerationSummary,
) -> None:
    """Write the entity's rows as part files. Rows stream from DuckDB, so that not even the
    initial full export is held whole in memory."""
    contract = contract_entity(name)
    query = _content(name, list(contract.column_names), contract.format)
    first = (config.first_written - config.start).days
    last = (config.last_written - config.start).days
    writer = _PartWriter(
        landing_dir / contract.source / contract.name, config.start, contract.format
    )
    corrupted: Counter[str] = Counter()
    rows = 0
    batches = conn.sql(
        f"SELECT * FROM ({query}) WHERE _extract_day BETWEEN {first} AND {last}"
    ).to_arrow_reader(ROWS_PER_PART)
    for day, piece in _day_pieces(batches):
        kinds, counts = np.unique(piece.column("_corrupt").to_numpy(), return_counts=True)
        corrupted.update(
            {CORRUPTIONS[k]: int(c) for k, c in zip(kinds, counts, strict=True) if k >= 0}
        )
        writer.add(day, piece)
        rows += piece.num_rows
    writer.flush()
    summary.files += writer.files
    summary.rows[name] = rows
    summary.corrupted[name] = dict(corrupted)


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
    conn = connect(memory_limit=RENDERING_MEMORY_LIMIT)
    conn.execute("SET TimeZone = 'UTC'")
    conn.execute(MACROS)
    conn.execute(text_macro(world.texts.texts))
    for name, table in _numbered(world, rng).items():
        _register(conn, name, table)
    conn.execute(PEOPLE_VIEW)
    summary = GenerationSummary()
    for name, build_versions in _version_builders(world).items():
        _register(
            conn, "rows", _messy_rows(rng, name, build_versions(), config, world.calendar.days)
        )
        _write_entity(conn, name, config, landing_dir, summary)
        conn.unregister("rows")
    _write_ground_truth(conn, ground_truth_dir, config, summary)
    conn.close()
    return summary
