"""Support teams' opening hours as a minute grid, so generated replies happen in business time.

Reads the same seeds dbt uses (`seeds/support_team_hours.csv`, `seeds/support_team_holidays.csv`),
so the warehouse's business-minute calculation and the generator agree on what a team's
business hours are.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from cx_warehouse.settings import SEEDS_DIR

UTC = ZoneInfo("UTC")


def _read(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / name, newline="") as handle:
        return list(csv.DictReader(handle))


class BusinessClock:
    """Cumulative business minutes per team on a UTC minute grid starting at `origin`."""

    def __init__(self, teams: tuple[str, ...], first_day: date, days: int):
        self.teams = teams
        self.origin = int(
            datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC).timestamp()
        )
        minutes = days * 1440
        hours = _read("support_team_hours.csv")
        holidays = {
            (row["team"], row["holiday_date"]) for row in _read("support_team_holidays.csv")
        }
        cumulative = np.zeros((len(teams), minutes + 1), dtype=np.int64)
        for index, team in enumerate(teams):
            open_minutes = np.zeros(minutes, dtype=np.int8)
            schedule = [row for row in hours if row["team"] == team]
            zone = ZoneInfo(schedule[0]["timezone"])
            by_weekday = {int(row["iso_weekday"]): row for row in schedule}
            for offset in range(-1, days + 1):
                day = first_day + timedelta(days=offset)
                row = by_weekday.get(day.isoweekday())
                if row is None or (team, day.isoformat()) in holidays:
                    continue
                opens = self._minute(day, row["opens_at"], zone)
                closes = self._minute(day, row["closes_at"], zone)
                if closes <= opens:  # an overnight shift closes the next day
                    closes = self._minute(day + timedelta(days=1), row["closes_at"], zone)
                open_minutes[max(opens, 0) : max(min(closes, minutes), 0)] = 1
            cumulative[index, 1:] = np.cumsum(open_minutes)
        self.cumulative = cumulative
        self.minutes = minutes

    def _minute(self, day: date, clock: str, zone: ZoneInfo) -> int:
        hour, minute = (int(part) for part in clock.split(":"))
        local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
        return (int(local.timestamp()) - self.origin) // 60

    def _grid_index(self, seconds: np.ndarray) -> np.ndarray:
        return np.clip((seconds - self.origin) // 60, 0, self.minutes).astype(np.int64)

    def business_minutes(self, team: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        """Business minutes elapsed since the origin at each time, for each row's team."""
        return self.cumulative[team, self._grid_index(seconds)]

    def add(
        self, team: np.ndarray, seconds: np.ndarray, business_minutes: np.ndarray
    ) -> np.ndarray:
        """The time at which `business_minutes` of the team's open time have passed after `seconds`.

        Times past the end of the grid are extrapolated in calendar time.
        """
        start = self.business_minutes(team, seconds)
        target = start + np.maximum(np.round(business_minutes), 1).astype(np.int64)
        result = np.empty(len(seconds), dtype=np.int64)
        for index in range(len(self.teams)):
            rows = np.flatnonzero(team == index)
            if rows.size == 0:
                continue
            curve = self.cumulative[index]
            position = np.searchsorted(curve, target[rows], side="left")
            inside = position <= self.minutes
            result[rows] = np.where(
                inside,
                self.origin + position * 60,
                self.origin + self.minutes * 60 + (target[rows] - curve[-1]) * 60,
            )
        # The grid has minute resolution: never land before the start.
        return np.maximum(result, seconds + 60)
