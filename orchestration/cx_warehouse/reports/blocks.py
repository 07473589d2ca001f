"""The display blocks of a page - chart, table, values - rendered from a query's result.

Every block names its query with `data:`; a spec that doesn't fit the result (a missing
column, an unknown chart type or format) raises BlockError, shown on the page in its place."""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np
import pandas as pd
import yaml

from cx_warehouse.reports import charts
from cx_warehouse.reports.formatting import FormatError, check_format, format_change, html_value

MAX_TABLE_ROWS = 500
FACET_WIDTH = 360
STATUS_CLASSES = {"on target": "good", "at risk": "warn", "off target": "bad"}


class BlockError(ValueError):
    pass


def parse_spec(kind: str, text: str) -> dict[str, Any]:
    try:
        spec = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise BlockError(f"the {kind} block is not valid YAML: {error}") from error
    if not isinstance(spec, dict) or "data" not in spec:
        raise BlockError(f"a {kind} block names its query with `data: <query name>`")
    return spec


def _require(frame: pd.DataFrame, spec: dict, *keys: str) -> None:
    for key in keys:
        if key not in spec:
            raise BlockError(f"missing `{key}:`")
    for key in (*keys, "series", "band", "target", "facet", "format_column"):
        column = spec.get(key)
        if column is not None and column not in frame.columns:
            raise BlockError(
                f"`{key}: {column}`: the query has no column {column!r} "
                f"(it has {', '.join(frame.columns)})"
            )


def _inferred_format(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "yesno"
    if pd.api.types.is_integer_dtype(series):
        return "int"
    if pd.api.types.is_float_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return "text"


def _column_specs(frame: pd.DataFrame, spec: dict) -> list[dict]:
    columns = []
    for item in spec.get("columns") or list(frame.columns):
        column = {"column": item} if isinstance(item, str) else dict(item)
        name = column.get("column")
        if name not in frame.columns:
            raise BlockError(
                f"the query has no column {name!r} (it has {', '.join(frame.columns)})"
            )
        column.setdefault("label", name.replace("_", " "))
        column.setdefault("format", _inferred_format(frame[name]))
        source = column.get("format_column")
        if source and source not in frame.columns:
            raise BlockError(f"`format_column: {source}`: the query has no such column")
        try:
            check_format(column["format"])
            if source:
                for kind in frame[source].dropna().unique():
                    check_format(kind)
        except FormatError as error:
            raise BlockError(str(error)) from error
        columns.append(column)
    return columns


def raw_value(value: object) -> str:
    """The unformatted value, kept on the element for tests and for copying."""
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(map(str, value))
    return "" if pd.isna(value) else str(value)


def _cell(row: pd.Series, column: dict) -> str:
    value = row[column["column"]]
    kind = row[column["format_column"]] if column.get("format_column") else column["format"]
    shown = escape(format_change(value, kind)) if column.get("change") else html_value(value, kind)
    css = []
    if column.get("badge"):
        shown = f'<span class="badge {STATUS_CLASSES.get(str(value), "")}">{shown}</span>'
    if kind not in ("text", "list", "yesno"):
        css.append("number")
    return (
        f'<td class="{" ".join(css)}" data-column="{escape(column["column"])}" '
        f'data-value="{escape(raw_value(value))}">{shown}</td>'
    )


def table_block(frame: pd.DataFrame, spec: dict) -> str:
    columns = _column_specs(frame, spec)
    limit = int(spec.get("limit", MAX_TABLE_ROWS))
    head = "".join(f"<th>{escape(c['label'])}</th>" for c in columns)
    rows = [
        "<tr>" + "".join(_cell(row, c) for c in columns) + "</tr>"
        for _, row in frame.head(limit).iterrows()
    ]
    note = (
        f'<p class="note">first {limit:,} of {len(frame):,} rows</p>' if len(frame) > limit else ""
    )
    if not rows:
        return '<p class="empty">no rows</p>'
    return (
        f'<div class="table-wrap"><table class="data" data-query="{escape(spec["data"])}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{note}"
    )


def values_block(frame: pd.DataFrame, spec: dict) -> str:
    """Headline numbers from the first row of the query."""
    if frame.empty:
        return '<p class="empty">no rows</p>'
    row = frame.iloc[0]
    items = []
    for column in _column_specs(frame, {"columns": spec.get("items")}):
        items.append(
            f'<div class="value" data-column="{escape(column["column"])}" '
            f'data-value="{escape(raw_value(row[column["column"]]))}">'
            f'<div class="value-number">{html_value(row[column["column"]], column["format"])}</div>'
            f'<div class="value-label">{escape(column["label"])}</div></div>'
        )
    return f'<div class="values">{"".join(items)}</div>'


def _one_chart(frame: pd.DataFrame, spec: dict, label: str, width: int = charts.WIDTH) -> str:
    kind = spec.get("type")
    y_format = spec.get("format", "number")
    if kind == "line":
        return charts.line_chart(
            frame,
            spec["x"],
            spec["y"],
            y_format,
            label,
            series=spec.get("series"),
            band=spec.get("band"),
            target=spec.get("target"),
            x_format=spec.get("x_format", "text"),
            width=width,
        )
    if kind == "bar":
        return charts.bar_chart(
            frame,
            spec["x"],
            spec["y"],
            y_format,
            label,
            target=spec.get("target"),
            width=width,
            label_share=float(spec.get("label_width", 0.4)),
        )
    return charts.funnel_chart(frame, spec["x"], spec["y"], label)


def chart_block(frame: pd.DataFrame, spec: dict) -> str:
    if spec.get("type") not in ("line", "bar", "funnel"):
        raise BlockError(f"unknown chart type {spec.get('type')!r} (line, bar or funnel)")
    _require(frame, spec, "x", "y")
    for key in ("format", "x_format"):
        try:
            check_format(spec.get(key, "text"))
        except FormatError as error:
            raise BlockError(str(error)) from error
    title = spec.get("title", "")
    if frame.dropna(subset=[spec["y"]]).empty:
        return '<p class="empty">no data to chart</p>'
    facet = spec.get("facet")
    if not facet:
        return (
            f'<figure class="chart-box">{_caption(title)}{_one_chart(frame, spec, title)}</figure>'
        )
    panels = []
    for name, group in frame.groupby(facet, sort=False):
        if group.dropna(subset=[spec["y"]]).empty:
            continue
        format_column = spec.get("format_column")
        panel_spec = {**spec, "format": group[format_column].iloc[0]} if format_column else spec
        panels.append(
            f'<figure class="chart-box facet">{_caption(str(name))}'
            f"{_one_chart(group, panel_spec, f'{title} {name}', FACET_WIDTH)}</figure>"
        )
    return f'<div class="facets">{"".join(panels)}</div>' if panels else ""


def _caption(title: str) -> str:
    return f"<figcaption>{escape(title)}</figcaption>" if title else ""


RENDERERS = {"chart": chart_block, "table": table_block, "values": values_block}
