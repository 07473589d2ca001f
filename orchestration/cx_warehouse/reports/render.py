"""One page to HTML: run its named queries on the publication, then render its Markdown with
every display block in place. A failing query or block is shown where it stands and recorded;
the rest of the page still renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import duckdb
import pandas as pd

from cx_warehouse.reports.blocks import RENDERERS, BlockError, parse_spec
from cx_warehouse.reports.page import Page, markdown


@dataclass(frozen=True)
class ReportError:
    page: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"page {self.page} ({self.where}): {self.message}"


@dataclass
class RenderedPage:
    page: Page
    html: str
    errors: list[ReportError] = field(default_factory=list)


def run_queries(
    conn: duckdb.DuckDBPyConnection, page: Page
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    results, failures = {}, {}
    for name, sql in page.queries.items():
        try:
            results[name] = conn.execute(sql).df()
        except duckdb.Error as error:
            failures[name] = str(error).strip()
    return results, failures


def _error_box(message: str) -> str:
    return f'<div class="report-error" role="alert">{escape(message)}</div>'


def render_page(conn: duckdb.DuckDBPyConnection, page: Page) -> RenderedPage:
    results, failures = run_queries(conn, page)
    errors = [
        ReportError(page.source.name, f"query {name}", message)
        for name, message in failures.items()
    ]
    md = markdown()

    def fence(_renderer, tokens, index, options, env) -> str:
        token = tokens[index]
        kind, _, name = token.info.strip().partition(" ")
        line = page.body_line + (token.map[0] if token.map else 0)
        if kind == "sql":
            return (
                f'<details class="query"><summary>query <code>{escape(name)}</code></summary>'
                f"<pre>{escape(token.content)}</pre></details>"
            )
        if kind not in RENDERERS:
            return f"<pre><code>{escape(token.content)}</code></pre>"
        try:
            spec = parse_spec(kind, token.content)
            query = spec["data"]
            if query in failures:
                return _error_box(
                    f"The {kind} could not be drawn: query {query!r} failed: {failures[query]}"
                )
            if query not in results:
                raise BlockError(f"no query named {query!r} on this page")
            return RENDERERS[kind](results[query], spec)
        except (BlockError, KeyError, TypeError, ValueError) as error:
            report = ReportError(page.source.name, f"{kind} block at line {line}", str(error))
            errors.append(report)
            return _error_box(str(report))

    md.add_render_rule("fence", fence)
    return RenderedPage(page, md.render(page.body), errors)
