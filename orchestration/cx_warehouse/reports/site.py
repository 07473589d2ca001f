"""Render every page of reports/pages from the current publication into a folder of static
HTML that works offline: one file per page, an index, no network."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import duckdb

from cx_warehouse.publication.publish import INFO_TABLE
from cx_warehouse.publication.store import DATABASE, PublicationStore
from cx_warehouse.reports.layout import Publication, html_page
from cx_warehouse.reports.page import Page, PageError, load_page
from cx_warehouse.reports.render import RenderedPage, ReportError, render_page

INDEX = "index"


class NothingPublishedError(RuntimeError):
    pass


@dataclass
class SiteResult:
    out_dir: Path
    publication: Publication
    written: list[Path] = field(default_factory=list)
    errors: list[ReportError] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.out_dir / f"{INDEX}.html"


def _write(path: Path, text: str) -> None:
    """Replace the file at once, so a browser never sees half a page."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _publication_info(conn: duckdb.DuckDBPyConnection) -> Publication:
    version, published_at, as_of = conn.execute(
        f"SELECT version, published_at, as_of_date FROM {INFO_TABLE}"
    ).fetchone()
    return Publication(version, published_at, as_of)


def _index_body(pages: list[RenderedPage]) -> str:
    items = "".join(
        f'<li><a href="{escape(r.page.slug)}.html">{escape(r.page.title)}</a>'
        f" - {escape(r.page.description)}</li>"
        for r in pages
    )
    return f'<ul class="pages">{items}</ul>'


def render_site(publication_dir: Path, pages_dir: Path, out_dir: Path) -> SiteResult:
    store = PublicationStore(publication_dir)
    version_dir = store.current_dir()
    if version_dir is None:
        raise NothingPublishedError(
            f"nothing is published in {publication_dir} yet: run `cx-warehouse nightly` first"
        )
    pages: list[Page] = []
    errors: list[ReportError] = []
    for path in sorted(pages_dir.glob("*.md")):
        try:
            pages.append(load_page(path))
        except PageError as error:
            errors.append(ReportError(path.name, "page source", str(error)))
    pages.sort(key=lambda page: (page.order, page.slug))

    with duckdb.connect(str(version_dir / DATABASE), read_only=True) as conn:
        publication = _publication_info(conn)
        rendered = [render_page(conn, page) for page in pages]
    result = SiteResult(out_dir, publication, errors=errors)
    out_dir.mkdir(parents=True, exist_ok=True)
    navigation = [(INDEX, "Overview"), *((r.page.slug, r.page.title) for r in rendered)]
    for page in rendered:
        path = out_dir / f"{page.page.slug}.html"
        _write(path, html_page(page.page.title, page.html, page.page.slug, navigation, publication))
        result.written.append(path)
        result.errors.extend(page.errors)
    _write(
        result.index,
        html_page("CX reports", _index_body(rendered), INDEX, navigation, publication),
    )
    result.written.append(result.index)
    for stale in set(out_dir.glob("*.html")) - set(result.written):
        stale.unlink()
    return result
