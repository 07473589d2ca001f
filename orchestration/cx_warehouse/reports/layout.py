"""The HTML around every page: navigation, the publication it was built from, styles. One
self-contained file per page: no scripts, fonts or styles from the network."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

STYLE = """
:root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --accent: #2563eb;
  --good: #047857; --warn: #b45309; --bad: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #f9fafb; }
header.site { background: #111827; color: #fff; padding: 0 24px; display: flex;
  align-items: center; gap: 24px; flex-wrap: wrap; }
header.site .brand { font-weight: 700; padding: 12px 0; }
header.site nav a { color: #d1d5db; text-decoration: none; padding: 14px 10px;
  display: inline-block; }
header.site nav a[aria-current="page"] { color: #fff; border-bottom: 3px solid var(--accent); }
main { max-width: 1080px; margin: 0 auto; padding: 8px 24px 48px; }
h1 { margin: 20px 0 4px; font-size: 26px; }
h2 { margin-top: 32px; font-size: 19px; border-bottom: 1px solid var(--line);
  padding-bottom: 4px; }
h3 { font-size: 15px; }
.provenance { color: var(--muted); font-size: 12px; margin: 0 0 16px; }
.values { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.value { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 12px 16px; min-width: 150px; }
.value-number { font-size: 24px; font-weight: 650; }
.value-label { color: var(--muted); font-size: 12px; }
.table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line);
  border-radius: 8px; margin: 12px 0; }
table.data { border-collapse: collapse; width: 100%; font-size: 13px; }
table.data th { text-align: left; background: #f3f4f6; font-weight: 600; padding: 6px 10px;
  white-space: nowrap; }
table.data td { padding: 5px 10px; border-top: 1px solid var(--line); }
table.data td:first-child { white-space: nowrap; }
table.data td.number { text-align: right; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
.badge { border-radius: 10px; padding: 1px 8px; font-size: 12px; font-weight: 600;
  background: #e5e7eb; white-space: nowrap; }
.badge.good { background: #d1fae5; color: var(--good); }
.badge.warn { background: #fef3c7; color: var(--warn); }
.badge.bad { background: #fee2e2; color: var(--bad); }
figure.chart-box { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  margin: 12px 0; padding: 8px 12px; }
figure.chart-box figcaption { font-weight: 600; font-size: 13px; margin-bottom: 4px; }
.facets { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr));
  gap: 12px; }
.facets figure.chart-box { margin: 0; }
svg.chart { width: 100%; height: auto; display: block; }
figure.chart-box:not(.facet) svg.chart { max-width: 760px; }
svg.chart text { fill: #4b5563; }
svg.chart .grid { stroke: var(--line); }
svg.chart .axis { stroke: #9ca3af; }
svg.chart .line { fill: none; stroke-width: 2; }
svg.chart .band { opacity: 0.15; stroke: none; }
svg.chart .target { stroke: var(--bad); stroke-width: 2; stroke-dasharray: 5 3; }
details.query { margin: 4px 0; color: var(--muted); font-size: 12px; }
details.query pre { background: #f3f4f6; padding: 8px; overflow-x: auto; }
.report-error { border: 1px solid var(--bad); background: #fef2f2; color: var(--bad);
  border-radius: 8px; padding: 10px 14px; margin: 12px 0; white-space: pre-wrap; }
.empty, .note { color: var(--muted); font-style: italic; }
ul.pages li { margin: 8px 0; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 24px; }
"""


@dataclass(frozen=True)
class Publication:
    version: str
    published_at: str
    as_of_date: str

    def provenance(self) -> str:
        return (
            f"Built from publication {self.version}, published {self.published_at}; "
            f"data as of {self.as_of_date}."
        )


def html_page(
    title: str,
    body: str,
    slug: str,
    navigation: list[tuple[str, str]],
    publication: Publication,
) -> str:
    links = "".join(
        f'<a href="{escape(target)}.html"'
        + (' aria-current="page"' if target == slug else "")
        + f">{escape(label)}</a>"
        for target, label in navigation
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{escape(title)} · CX reports</title>
<style>{STYLE}</style>
</head>
<body>
<header class="site"><span class="brand">CX reports</span><nav>{links}</nav></header>
<main>
<h1>{escape(title)}</h1>
<p class="provenance" data-version="{escape(publication.version)}">{
        escape(publication.provenance())
    }</p>
{body}
</main>
<footer>cx-warehouse · {escape(publication.provenance())}</footer>
</body>
</html>
"""
