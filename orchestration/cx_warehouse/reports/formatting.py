"""How a value reads on a report: one format per kind of number (the `unit` column of
kpi_scorecard uses the same names, so a KPI row can pick its own format)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from html import escape

import pandas as pd


def _missing(value: object) -> bool:
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


def _duration(seconds: float) -> str:
    if abs(seconds) < 60:
        return f"{seconds:.0f}s"
    minutes = seconds / 60
    if abs(minutes) < 60:
        return (
            f"{minutes:.0f}m {abs(seconds) % 60:.0f}s" if abs(minutes) < 10 else f"{minutes:.0f}m"
        )
    hours = minutes / 60
    if abs(hours) < 48:
        return f"{int(hours)}h {abs(minutes) % 60:02.0f}m"
    return f"{hours / 24:.1f} days"


def _month(value: date | datetime) -> str:
    return value.strftime("%b %Y")


FORMATS: dict[str, Callable[[object], str]] = {
    "text": str,
    "int": lambda v: f"{int(v):,}",
    "number": lambda v: f"{v:,.1f}",
    "share": lambda v: f"{v * 100:.1f}%",
    "points": lambda v: f"{v:+.1f}" if v else "0.0",
    "score": lambda v: f"{v:.2f}",
    "eur": lambda v: f"€{v:,.0f}",
    "seconds": lambda v: _duration(float(v)),
    "minutes": lambda v: _duration(float(v) * 60),
    "days": lambda v: f"{v:,.1f} d",
    "date": lambda v: v.strftime("%Y-%m-%d"),
    "month": _month,
    "yesno": lambda v: "yes" if v else "no",
    "list": lambda v: ", ".join(map(str, v)),
}

# A change of a KPI is formatted in the KPI's unit, but a share's change reads in points.
CHANGE_FORMATS = {"share": lambda v: f"{v * 100:+.1f} pts", "points": lambda v: f"{v:+.1f}"}


class FormatError(ValueError):
    pass


def check_format(name: str) -> None:
    if name not in FORMATS:
        raise FormatError(f"unknown format {name!r} (known: {', '.join(FORMATS)})")


def format_value(value: object, kind: str = "text") -> str:
    """The value as text for the page (not yet HTML-escaped); an em dash when missing."""
    check_format(kind)
    if _missing(value):
        return "—"
    return FORMATS[kind](value)


def format_change(value: object, kind: str) -> str:
    if _missing(value):
        return "—"
    formatter = CHANGE_FORMATS.get(kind)
    if formatter:
        return formatter(value)
    text = format_value(abs(value), kind)  # type: ignore[arg-type]
    return ("+" if value >= 0 else "-") + text  # type: ignore[operator]


def html_value(value: object, kind: str = "text") -> str:
    return escape(format_value(value, kind))
