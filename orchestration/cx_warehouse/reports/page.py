"""A report page's source: Markdown with front matter, named SQL blocks and chart, table and
values blocks that show a query's result (see reports/README.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
QUERY_NAME = re.compile(r"[a-z_][a-z0-9_]*")
DISPLAY_BLOCKS = ("chart", "table", "values")


class PageError(ValueError):
    """A page source that can't be read: names the file and the line."""


def markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": True}).enable("table")


@dataclass
class Page:
    source: Path
    slug: str
    title: str
    order: int
    description: str
    body: str
    body_line: int
    queries: dict[str, str] = field(default_factory=dict)

    def where(self, line: int) -> str:
        return f"{self.source.name}, line {line}"


def _front_matter(path: Path, text: str) -> tuple[dict, str, int]:
    match = FRONT_MATTER.match(text)
    if not match:
        raise PageError(f"{path}: a page starts with front matter (---, title: ..., ---)")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        raise PageError(f"{path}: the front matter is not valid YAML: {error}") from error
    if not isinstance(meta, dict) or "title" not in meta:
        raise PageError(f"{path}: the front matter needs a title")
    if not isinstance(meta.get("order", 0), int):
        raise PageError(f"{path}: `order:` is a whole number, got {meta['order']!r}")
    return meta, text[match.end() :], match.group(0).count("\n") + 1


def load_page(path: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    meta, body, body_line = _front_matter(path, text)
    page = Page(
        source=path,
        slug=path.stem.split("_", 1)[-1] if path.stem[:2].isdigit() else path.stem,
        title=str(meta["title"]),
        order=int(meta.get("order", 100)),
        description=str(meta.get("description", "")),
        body=body,
        body_line=body_line,
    )
    for token in markdown().parse(body):
        if token.type != "fence":
            continue
        line = body_line + (token.map[0] if token.map else 0)
        kind, _, name = token.info.strip().partition(" ")
        if kind == "sql":
            name = name.strip()
            if not QUERY_NAME.fullmatch(name):
                raise PageError(
                    f"{page.where(line)}: a sql block needs a name (```sql my_query), got {name!r}"
                )
            if name in page.queries:
                raise PageError(f"{page.where(line)}: a second query named {name!r}")
            page.queries[name] = token.content
    return page


def load_pages(folder: Path) -> list[Page]:
    pages = [load_page(path) for path in sorted(folder.glob("*.md"))]
    return sorted(pages, key=lambda page: (page.order, page.slug))
