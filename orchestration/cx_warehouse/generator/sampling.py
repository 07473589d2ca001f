"""Vectorised sampling helpers: categorical draws per group, seasonal time draws."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

DAY = 86_400
MONTH_FACTOR = {
    1: 0.9,
    2: 0.85,
    3: 0.95,
    4: 1.0,
    5: 1.0,
    6: 0.95,
    7: 0.9,
    8: 0.88,
    9: 1.0,
    10: 1.05,
    11: 1.25,
    12: 1.35,
}
WEEKDAY_FACTOR = {  # Monday first
    "orders": (1.0, 0.95, 0.95, 1.0, 1.05, 1.2, 1.1),
    "tickets": (1.35, 1.15, 1.0, 1.0, 0.95, 0.55, 0.45),
    "touches": (1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.1),
    "signups": (1.0, 1.0, 1.0, 1.0, 1.0, 1.15, 1.1),
}
HOUR_PROFILE = {  # relative activity per local hour 0..23
    "orders": (
        1,
        0.5,
        0.3,
        0.2,
        0.2,
        0.3,
        0.8,
        1.5,
        2.5,
        3,
        3.2,
        3.5,
        4,
        3.5,
        3.2,
        3.2,
        3.5,
        4,
        4.5,
        5,
        5.5,
        5,
        3.5,
        2,
    ),
    "tickets": (
        0.4,
        0.2,
        0.1,
        0.1,
        0.1,
        0.2,
        0.6,
        2,
        4,
        5,
        5,
        4.8,
        4,
        4.2,
        4.5,
        4.3,
        4,
        3.5,
        2.8,
        2.2,
        1.8,
        1.4,
        1,
        0.7,
    ),
    "touches": (
        1.5,
        0.8,
        0.4,
        0.3,
        0.3,
        0.5,
        1,
        2,
        3,
        3.5,
        3.5,
        3.5,
        4,
        3.5,
        3.5,
        3.5,
        3.5,
        4,
        4.5,
        5,
        5.5,
        5,
        4,
        2.5,
    ),
}


def pick(
    rng: np.random.Generator, weights: dict[str, float], size: int, keys: tuple[str, ...]
) -> np.ndarray:
    """Indices into `keys`, drawn with the given weights (keys missing from weights never drawn)."""
    p = np.array([weights.get(k, 0.0) for k in keys], dtype=float)
    return rng.choice(len(keys), size=size, p=p / p.sum())


def pick_by_group(
    rng: np.random.Generator,
    group: np.ndarray,
    weights_by_group: list[dict[str, float]],
    keys: tuple[str, ...],
) -> np.ndarray:
    """For each row, an index into `keys` drawn with the weights of the row's group."""
    result = np.empty(len(group), dtype=np.int16)
    for g, weights in enumerate(weights_by_group):
        rows = np.flatnonzero(group == g)
        if rows.size:
            result[rows] = pick(rng, weights, rows.size, keys)
    return result


class Calendar:
    """The simulated window with seasonal and weekly weights per kind of activity."""

    def __init__(self, start: date, days: int):
        self.start = start
        self.days = days
        self.origin = int(np.datetime64(start.isoformat(), "s").astype(np.int64))
        self.end = self.origin + days * DAY
        dates = [start + timedelta(days=i) for i in range(days)]
        month = np.array([MONTH_FACTOR[d.month] for d in dates])
        black_friday = np.array([_is_black_friday_week(d) for d in dates])
        self._cumulative = {}
        for kind, weekday in WEEKDAY_FACTOR.items():
            weights = month * np.array([weekday[d.weekday()] for d in dates])
            if kind == "orders":
                weights = weights * np.where(black_friday, 1.8, 1.0)
            if kind == "tickets":
                weights = weights * np.where(black_friday, 1.4, 1.0)
            self._cumulative[kind] = np.concatenate([[0.0], np.cumsum(weights)])
        self.month_factor = month

    def weighted_days(self, kind: str, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """The seasonal weight of each [lo, hi) interval, in average days."""
        cumulative = self._cumulative[kind]
        mean = cumulative[-1] / self.days
        return (self._at(cumulative, hi) - self._at(cumulative, lo)) / mean

    def _at(self, cumulative: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        position = np.clip((seconds - self.origin) / DAY, 0, self.days)
        return np.interp(position, np.arange(self.days + 1), cumulative)

    def draw(
        self,
        rng: np.random.Generator,
        kind: str,
        lo: np.ndarray,
        hi: np.ndarray,
        utc_offset_hours: np.ndarray | float = 0.0,
    ) -> np.ndarray:
        """Times in [lo, hi) following the seasonal, weekly and hourly pattern of `kind`."""
        cumulative = self._cumulative[kind]
        lo_w, hi_w = self._at(cumulative, lo), self._at(cumulative, hi)
        target = lo_w + rng.random(len(lo)) * (hi_w - lo_w)
        day = np.floor(np.interp(target, cumulative, np.arange(self.days + 1)))
        profile = np.array(HOUR_PROFILE.get(kind, HOUR_PROFILE["touches"]), dtype=float)
        hour = rng.choice(24, size=len(lo), p=profile / profile.sum())
        seconds_of_day = hour * 3600 + rng.integers(0, 3600, size=len(lo))
        times = self.origin + (day * DAY).astype(np.int64) + seconds_of_day
        times = times - np.asarray(utc_offset_hours, dtype=np.int64) * 3600
        return np.clip(times, lo, np.maximum(hi - 1, lo)).astype(np.int64)


def _is_black_friday_week(day: date) -> bool:
    if day.month != 11:
        return False
    first = date(day.year, 11, 1)
    fourth_thursday = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    return 0 <= (day - fourth_thursday).days <= 4


def lognormal(
    rng: np.random.Generator, mean: np.ndarray | float, sigma: float, size: int
) -> np.ndarray:
    """Lognormal draws with the given arithmetic mean."""
    mu = np.log(np.asarray(mean, dtype=float)) - sigma**2 / 2
    return rng.lognormal(mu, sigma, size)


def expand(counts: np.ndarray) -> np.ndarray:
    """Row indices repeated by `counts`: expand([2, 0, 1]) == [0, 0, 2]."""
    return np.repeat(np.arange(len(counts)), counts)


def rank_within(group: np.ndarray) -> np.ndarray:
    """0-based position of each row within its run of equal (sorted) group values."""
    if group.size == 0:
        return group.astype(np.int64)
    starts = np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))
    run_lengths = np.diff(np.concatenate([starts, [group.size]]))
    return np.arange(group.size) - np.repeat(starts, run_lengths)


Table = dict[str, np.ndarray]


def subset(table: Table, rows: np.ndarray) -> Table:
    """The given rows (indices or a boolean mask) of every column."""
    return {name: column[rows] for name, column in table.items()}


def concat(tables: list[Table]) -> Table:
    return {name: np.concatenate([t[name] for t in tables]) for name in tables[0]}


def sort_by(table: Table, *keys: str) -> Table:
    order = np.lexsort(tuple(table[k] for k in reversed(keys)))
    return subset(table, order)
