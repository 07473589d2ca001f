"""Scales and options of a generated landing zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

SCALES: dict[str, tuple[int, int]] = {
    # name: (customers, days of history)
    "small": (2_500, 400),
    "demo": (30_000, 730),
    "large": (1_000_000, 730),
}


@dataclass(frozen=True)
class GeneratorConfig:
    customers: int
    start: date
    end: date
    seed: int = 7
    mess_rate: float = 0.01
    delta_days: int = 30
    write_from: date | None = None
    write_to: date | None = None

    def __post_init__(self) -> None:
        if self.customers < 50:
            raise ValueError("generate at least 50 customers")
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if not 0 <= self.mess_rate <= 0.2:
            raise ValueError("mess_rate must be between 0 and 0.2")
        if self.delta_days < 1:
            raise ValueError("delta_days must be at least 1")

    @property
    def initial_export_day(self) -> int:
        """Day index of the initial full export (-1: every day arrives as a daily extract).

        Sources are onboarded with one full export of every record as of that day; only the
        last `delta_days` days arrive as daily extracts of what was created or changed.
        """
        return max(self.days - self.delta_days - 1, -1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def first_written(self) -> date:
        return self.write_from or self.start

    @property
    def last_written(self) -> date:
        return self.write_to or self.end


def scale_config(
    scale: str,
    end: date | None = None,
    customers: int | None = None,
    days: int | None = None,
    **options,
) -> GeneratorConfig:
    """The configuration of a named scale (customers and days may be overridden), ending
    yesterday unless told otherwise."""
    default_customers, default_days = SCALES[scale]
    end = end or date.today() - timedelta(days=1)
    days = days or default_days
    return GeneratorConfig(
        customers=customers or default_customers,
        start=end - timedelta(days=days - 1),
        end=end,
        **options,
    )
