"""Real-world mess, at a configurable rate: late-arriving and duplicated records across
extracts, and broken copies of records that the landing contract must reject."""

from __future__ import annotations

import numpy as np

from cx_warehouse.generator.sampling import Table, concat

CORRUPTIONS = (
    "unknown_enum",
    "bad_timestamp",
    "out_of_range",
    "missing_key",
    "broken_json",
    "bad_encoding",
)
CLEAN = -1
INVALID_SHARE = 0.2  # broken copies per record, relative to the mess rate


def add_mess(
    rng: np.random.Generator, rows: Table, corruptions: tuple[str, ...], rate: float, days: int
) -> Table:
    """Shift some records to a later extract, repeat some, add broken copies of some.

    Every row gets `corrupt` (an index into CORRUPTIONS, or CLEAN) and `style` (0-99), which
    the renderer uses to vary formats (email case, phone format, UTC offsets).
    """
    n = rows["row"].size
    rows = dict(rows)
    late = rng.random(n) < rate
    rows["extract_day"] = rows["extract_day"] + np.where(late, rng.integers(1, 5, n), 0)
    rows["corrupt"] = np.full(n, CLEAN, dtype=np.int8)
    repeated = np.flatnonzero(rng.random(n) < rate)
    duplicates = {k: v[repeated] for k, v in rows.items()}
    duplicates["extract_day"] = duplicates["extract_day"] + rng.integers(1, 4, repeated.size)
    parts = [rows, duplicates]
    if corruptions:
        broken_rows = np.flatnonzero(rng.random(n) < rate * INVALID_SHARE)
        broken = {k: v[broken_rows] for k, v in rows.items()}
        kinds = np.array([CORRUPTIONS.index(c) for c in corruptions], dtype=np.int8)
        broken["corrupt"] = kinds[np.arange(broken_rows.size) % kinds.size]
        parts.append(broken)
    messy = concat(parts)
    messy["style"] = rng.integers(0, 100, messy["row"].size).astype(np.int8)
    messy["seq"] = np.arange(messy["row"].size)
    return {k: v[messy["extract_day"] < days] for k, v in messy.items()}


def fold_into_initial_export(rows: Table, export_day: int) -> Table:
    """Records extracted on or before `export_day` arrive in one full export on that day.

    A full export holds every record once, in its latest state: of the early versions of a
    record only the newest is kept (repeats vanish); broken copies stay, as they would.
    """
    if export_day < 0:
        return rows
    rows = dict(rows)
    early = rows["extract_day"] <= export_day
    rows["extract_day"] = np.where(early, export_day, rows["extract_day"])
    clean_early = np.flatnonzero(early & (rows["corrupt"] == CLEAN))
    order = clean_early[
        np.lexsort(
            (rows["seq"][clean_early], rows["updated_at"][clean_early], rows["row"][clean_early])
        )
    ]
    last_of_record = rows["row"][order[:-1]] != rows["row"][order[1:]]
    newest = np.concatenate([order[:-1][last_of_record], order[-1:]])
    keep = ~early | (rows["corrupt"] != CLEAN)
    keep[newest] = True
    return {name: column[keep] for name, column in rows.items()}
