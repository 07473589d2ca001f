"""Record versions as the source systems export them: one row per record and day on which it
was created or changed, holding its state at the end of that day."""

from __future__ import annotations

import numpy as np

from cx_warehouse.generator.orders import PAYMENT_METHODS
from cx_warehouse.generator.sampling import DAY, Table, concat, sort_by

ORDER_STATUSES = ("placed", "paid", "shipped", "delivered", "cancelled", "returned")
RETURN_STATUSES = ("requested", "approved", "received", "refunded", "rejected")
AGENT_STATUSES = ("active", "on_leave", "left")


def last_of_each_day(versions: Table, key: str, origin: int) -> Table:
    """Keep the last version of each record per extract day."""
    versions["extract_day"] = (versions["extract_at"] - origin) // DAY
    ordered = sort_by(versions, key, "extract_at", "sequence")
    same_next = np.concatenate(
        [
            (ordered[key][1:] == ordered[key][:-1])
            & (ordered["extract_day"][1:] == ordered["extract_day"][:-1]),
            [False],
        ]
    )
    return {name: column[~same_next] for name, column in ordered.items()}


def _changes(rows: np.ndarray, at: np.ndarray, sequence: int, **columns: np.ndarray) -> Table:
    return {
        "row": rows,
        "extract_at": at,
        "updated_at": at,
        "sequence": np.full(rows.size, sequence),
        **columns,
    }


def customer_versions(customers: Table, origin: int, end: int) -> Table:
    rows = customers["customer"]
    updated = np.flatnonzero((customers["update_at"] >= 0) & (customers["update_at"] < end))
    created = _changes(
        rows, customers["created_at"], 0, opt_in=customers["opt_in"], contact=customers["contact"]
    )
    changed = _changes(
        updated,
        customers["update_at"][updated],
        1,
        opt_in=~customers["opt_in"][updated],
        contact=customers["update_contact"][updated],
    )
    return last_of_each_day(concat([created, changed]), "row", origin)


def order_versions(orders: Table, origin: int, end: int) -> Table:
    rows = orders["order"]
    bank_transfer = orders["payment"] == PAYMENT_METHODS.index("bank_transfer")

    def status(name: str) -> np.ndarray:
        return np.full(rows.size, ORDER_STATUSES.index(name), dtype=np.int8)

    steps = [
        (rows, orders["ordered_at"], np.where(bank_transfer, status("placed"), status("paid"))),
        (rows[bank_transfer], orders["paid_at"][bank_transfer], status("paid")[bank_transfer]),
    ]
    for column, name in (
        ("shipped_at", "shipped"),
        ("delivered_at", "delivered"),
        ("cancelled_at", "cancelled"),
        ("refunded_at", "returned"),
    ):
        happened = orders[column] >= 0
        steps.append((rows[happened], orders[column][happened], status(name)[happened]))
    changes = concat(
        [_changes(r, at, sequence, status=s) for sequence, (r, at, s) in enumerate(steps)]
    )
    changes = {k: v[changes["extract_at"] < end] for k, v in changes.items()}
    versions = last_of_each_day(changes, "row", origin)
    delivered = orders["delivered_at"][versions["row"]]
    versions["delivered_visible"] = (delivered >= 0) & (delivered <= versions["updated_at"])
    return versions


def return_versions(returns: Table, origin: int, end: int) -> Table:
    rows = np.arange(returns["order"].size)
    requested = returns["requested_at"]
    rejected = returns["rejected"]
    steps = [
        (rows, requested, "requested"),
        (rows[~rejected], requested[~rejected] + 1 * DAY, "approved"),
        (rows[~rejected], requested[~rejected] + 5 * DAY, "received"),
        (rows[~rejected], requested[~rejected] + 7 * DAY, "refunded"),
        (rows[rejected], requested[rejected] + 2 * DAY, "rejected"),
    ]
    changes = concat(
        [
            _changes(r, at, sequence, status=np.full(r.size, RETURN_STATUSES.index(name), np.int8))
            for sequence, (r, at, name) in enumerate(steps)
        ]
    )
    changes = {k: v[changes["extract_at"] < end] for k, v in changes.items()}
    return last_of_each_day(changes, "row", origin)


def agent_versions(agents: Table, origin: int, end: int) -> Table:
    """Agents hired before the window appear in its first extract."""
    rows = agents["agent"]
    hired = _changes(
        rows,
        agents["hired_at"],
        0,
        status=np.full(rows.size, AGENT_STATUSES.index("active"), np.int8),
    )
    hired["extract_at"] = np.maximum(hired["extract_at"], origin)
    gone = np.flatnonzero((agents["left_at"] >= 0) & (agents["left_at"] < end))
    left = _changes(
        gone,
        agents["left_at"][gone],
        1,
        status=np.full(gone.size, AGENT_STATUSES.index("left"), np.int8),
    )
    changes = concat([hired, left])
    changes = {k: v[changes["extract_at"] < end] for k, v in changes.items()}
    return last_of_each_day(changes, "row", origin)


def ticket_record_versions(versions: Table, origin: int) -> Table:
    """Ticket versions (see ticket_log) reduced to one per ticket and day."""
    table = {
        "row": versions["ticket"],
        "extract_at": versions["updated_at"],
        "updated_at": versions["updated_at"],
        "sequence": np.arange(versions["ticket"].size),
        "status": versions["status"],
        "solved_at": versions["solved_at"],
        "assigned": versions["assigned"],
    }
    return last_of_each_day(table, "row", origin)


def events(rows: np.ndarray, at: np.ndarray, origin: int) -> Table:
    """Immutable records: one version, extracted on the day they happened."""
    return {"row": rows, "extract_at": at, "updated_at": at, "extract_day": (at - origin) // DAY}
