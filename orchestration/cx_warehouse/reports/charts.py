"""Charts as inline SVG (no JavaScript, no network): trend lines with a margin-of-error band
and a target line, bars with target markers, and funnels. Every mark has a <title>, which
browsers show on hover."""

from __future__ import annotations

import math
from html import escape

import pandas as pd

from cx_warehouse.reports.formatting import format_value

PALETTE = ("#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d")
WIDTH = 640
FONT = 'font-family="inherit" font-size="11"'


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    if high == low:
        high, low = high + 1, low - 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [math.floor(low / step) * step]
    while ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _svg(width: int, height: int, label: str, body: list[str], kind: str, marks: int) -> str:
    return (
        f'<svg class="chart chart-{kind}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" data-marks="{marks}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {FONT} {extra}>{escape(text)}</text>'
    )


def line_chart(
    frame: pd.DataFrame,
    x: str,
    y: str,
    y_format: str,
    label: str,
    series: str | None = None,
    band: str | None = None,
    target: str | None = None,
    x_format: str = "text",
    width: int = WIDTH,
) -> str:
    """One line per series over the ordered x values; `band` is a ± margin around y."""
    height, left, right, top, bottom = round(width * 0.36), 56, 120 if series else 40, 12, 28
    data = frame.dropna(subset=[y]).copy()
    margin = data[band].fillna(0) if band else pd.Series(0.0, index=data.index)
    data["_low"], data["_high"] = data[y] - margin, data[y] + margin
    xs = sorted(data[x].unique())
    position = {
        value: left + (i + 0.5) * (width - left - right) / len(xs) for i, value in enumerate(xs)
    }
    target_value = data[target].dropna().iloc[0] if target and data[target].notna().any() else None
    bounds = [data["_low"].min(), data["_high"].max()]
    if target_value is not None:
        bounds.append(target_value)
    ticks = _nice_ticks(min(bounds), max(bounds))
    low, high = ticks[0], ticks[-1]

    def scale(value: float) -> float:
        return top + (high - value) / (high - low) * (height - top - bottom)

    body = []
    for tick in ticks:
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{scale(tick):.1f}" '
            f'y2="{scale(tick):.1f}" class="grid"/>'
        )
        body.append(_text(left - 6, scale(tick) + 4, format_value(tick, y_format), "end"))
    step = max(1, math.ceil(len(xs) * 80 / (width - left - right)))
    for i, value in enumerate(xs):
        if (len(xs) - 1 - i) % step == 0:
            body.append(_text(position[value], height - 8, format_value(value, x_format), "middle"))
    if target_value is not None:
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{scale(target_value):.1f}" '
            f'y2="{scale(target_value):.1f}" class="target"><title>target '
            f"{escape(format_value(target_value, y_format))}</title></line>"
        )
    groups = list(data.groupby(series, sort=False)) if series else [(None, data)]
    marks = 0
    end_labels = []
    for index, (name, group) in enumerate(groups):
        color = PALETTE[index % len(PALETTE)]
        group = group.sort_values(x)
        xs_of_group = [position[value] for value in group[x]]
        if band and (group["_high"] > group["_low"]).any():
            upper = zip(xs_of_group, map(scale, group["_high"]), strict=True)
            lower = zip(xs_of_group[::-1], map(scale, group["_low"][::-1]), strict=True)
            outline = [*upper, *lower]
            body.append(
                f'<polygon class="band" fill="{color}" points="'
                + " ".join(f"{px:.1f},{py:.1f}" for px, py in outline)
                + '"/>'
            )
        points = [*zip(xs_of_group, map(scale, group[y]), strict=True)]
        body.append(
            f'<polyline class="line" stroke="{color}" data-series="{escape(str(name or y))}" '
            'points="' + " ".join(f"{px:.1f},{py:.1f}" for px, py in points) + '"/>'
        )
        for (px, py), (_, row) in zip(points, group.iterrows(), strict=True):
            plus_minus = (
                f" ± {format_value(row[band], y_format)}" if band and pd.notna(row[band]) else ""
            )
            tip = f"{format_value(row[x], x_format)}: {format_value(row[y], y_format)}{plus_minus}"
            body.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{color}" '
                f'data-value="{row[y]}"><title>{escape((f"{name} " if name else "") + tip)}'
                "</title></circle>"
            )
            marks += 1
        end_labels.append((points[-1][1], str(name), color))
    if series:
        body.extend(
            _text(width - right + 8, y + 4, name, extra=f'fill="{color}"')
            for y, name, color in _spread(end_labels, gap=12)
        )
    return _svg(width, height, label, body, "line", marks)


def _spread(labels: list[tuple[float, str, str]], gap: float) -> list[tuple[float, str, str]]:
    """Move labels down just enough that none overlaps the one above it."""
    placed: list[tuple[float, str, str]] = []
    for y, name, color in sorted(labels):
        if placed and y < placed[-1][0] + gap:
            y = placed[-1][0] + gap
        placed.append((y, name, color))
    return placed


def bar_chart(
    frame: pd.DataFrame,
    category: str,
    value: str,
    value_format: str,
    label: str,
    target: str | None = None,
    category_format: str = "text",
    width: int = WIDTH,
    label_share: float = 0.4,
) -> str:
    """Horizontal bars in the query's order, from zero, with a target tick when given;
    `label_share` of the width holds the category labels."""
    row_height, left, right, top = 24, round(width * label_share), 70, 8
    data = frame.dropna(subset=[value])
    height = top * 2 + row_height * len(data)
    values = [*data[value], 0] + ([v for v in data[target].dropna()] if target else [])
    low, high = min(values), max(values)
    span = (high - low) or 1

    def scale(number: float) -> float:
        return left + (number - low) / span * (width - left - right)

    body = [f'<line x1="{scale(0):.1f}" x2="{scale(0):.1f}" y1="0" y2="{height}" class="axis"/>']
    for i, (_, row) in enumerate(data.iterrows()):
        y_top = top + i * row_height
        start, end = sorted((scale(0), scale(row[value])))
        name = format_value(row[category], category_format)
        shown = format_value(row[value], value_format)
        body.append(_text(left - 8, y_top + 16, _shortened(name, int((left - 8) / 6.2)), "end"))
        body.append(
            f'<rect class="bar" x="{start:.1f}" y="{y_top + 4}" width="{max(end - start, 1):.1f}" '
            f'height="{row_height - 8}" fill="{PALETTE[0]}" data-value="{row[value]}">'
            f"<title>{escape(name)}: {escape(shown)}</title></rect>"
        )
        body.append(_text(max(end, scale(0)) + 6, y_top + 16, shown))
        if target and pd.notna(row[target]):
            x_target = scale(row[target])
            body.append(
                f'<line class="target" x1="{x_target:.1f}" x2="{x_target:.1f}" '
                f'y1="{y_top + 1}" y2="{y_top + row_height - 1}"><title>target '
                f"{escape(format_value(row[target], value_format))}</title></line>"
            )
    return _svg(width, height, label, body, "bar", len(data))


def _shortened(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def funnel_chart(frame: pd.DataFrame, stage: str, value: str, label: str) -> str:
    """Centred bars as wide as each stage's count, with the conversion from the stage before."""
    row_height, top = 34, 8
    data = frame.dropna(subset=[value])
    height = top * 2 + row_height * len(data)
    widest = max(data[value].max(), 1)
    centre, usable = 330, 300
    body = []
    previous = None
    for i, (_, row) in enumerate(data.iterrows()):
        width = max(row[value] / widest * usable, 2)
        y_top = top + i * row_height
        share = format_value(row[value] / previous, "share") if previous else None
        conversion = f"{share} of the stage before" if share else "entry"
        body.append(
            f'<rect class="bar" x="{centre - width / 2:.1f}" y="{y_top + 3}" width="{width:.1f}" '
            f'height="{row_height - 6}" fill="{PALETTE[i % len(PALETTE)]}" '
            f'data-value="{row[value]}"><title>{escape(str(row[stage]))}: '
            f"{format_value(row[value], 'int')} ({escape(conversion)})</title></rect>"
        )
        body.append(_text(centre - usable / 2 - 14, y_top + 21, str(row[stage]), "end"))
        body.append(
            _text(
                centre + usable / 2 + 14,
                y_top + 21,
                format_value(row[value], "int") + (f" ({share})" if share else ""),
            )
        )
        previous = row[value]
    return _svg(WIDTH, height, label, body, "funnel", len(data))
