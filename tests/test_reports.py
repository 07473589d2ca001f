"""The reports, rendered by the nightly job from its publication: every page, the numbers they
show checked against the marts, one broken page not stopping the others, the CLI."""

from __future__ import annotations

import shutil
from collections import defaultdict
from html.parser import HTMLParser

import duckdb
import pytest

from cx_warehouse import cli
from cx_warehouse.defs.reports import REPORT_PAGES
from cx_warehouse.publication.store import DATABASE, PublicationStore
from cx_warehouse.reports.site import render_site
from tests.conftest import configure

PAGES = ("scorecard", "personas", "journey", "channels", "agents", "fix_first")


class ReportPage(HTMLParser):
    """What a rendered page shows: table cells by query, headline values, chart marks."""

    def __init__(self, html: str):
        super().__init__()
        # query -> every table of its result -> rows -> column -> (raw value, text shown)
        self.tables: dict[str, list[list[dict[str, tuple[str, str]]]]] = defaultdict(list)
        self.values: dict[str, tuple[str, str]] = {}
        self.marks: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.version = None
        self._query = None
        self._in_body = False
        self._cell = None
        self._value = None
        self._chart = None
        self._error = False
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "p" and "provenance" in classes:
            self.version = attributes["data-version"]
        elif tag == "table":
            self._query = attributes.get("data-query")
        elif tag == "tbody" and self._query:
            self.tables[self._query].append([])
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.tables[self._query][-1].append({})
        elif tag == "td" and self._query:
            self._cell, self._text = (attributes["data-column"], attributes["data-value"]), []
        elif tag == "div" and "value" in classes:
            self._value = (attributes["data-column"], attributes["data-value"])
        elif tag == "svg":
            self._chart = attributes["aria-label"]
        elif tag in ("rect", "circle") and self._chart is not None and "data-value" in attributes:
            self.marks[self._chart].append(float(attributes["data-value"]))
        elif "report-error" in classes:
            self._error, self._text = True, []

    def handle_endtag(self, tag):
        text = "".join(self._text).strip()
        if tag == "td" and self._cell:
            column, raw = self._cell
            self.tables[self._query][-1][-1][column] = (raw, text)
            self._cell = None
        elif tag == "table":
            self._query, self._in_body = None, False
        elif tag == "svg":
            self._chart = None
        elif tag == "div" and self._error:
            self.errors.append(text)
            self._error = False

    def handle_data(self, data):
        self._text.append(data)
        if self._value and data.strip():
            # the first text inside a headline value is its number
            self.values[self._value[0]] = (self._value[1], data.strip())
            self._value = None


@pytest.fixture(scope="module")
def rendered(nightly_build):
    settings, _ = nightly_build
    pages = {
        page: ReportPage((settings.reports_dir / f"{page}.html").read_text()) for page in PAGES
    }
    published = PublicationStore(settings.publication_dir).current_dir() / DATABASE
    with duckdb.connect(str(published), read_only=True) as marts:
        yield settings, pages, marts


def _query(marts, sql: str) -> list[tuple]:
    return marts.execute(sql).fetchall()


def test_every_page_renders_from_the_current_publication_without_errors(rendered):
    settings, pages, _ = rendered
    version = PublicationStore(settings.publication_dir).current_version()
    index = (settings.reports_dir / "index.html").read_text()
    for name, page in pages.items():
        assert page.version == version, name
        assert page.errors == [], name
        assert f'href="{name}.html"' in index
        assert page.marks, f"{name} drew no chart"


def test_the_scorecard_shows_every_kpi_of_the_last_complete_month(rendered):
    _, pages, marts = rendered
    expected = {
        label: (value, unit, status)
        for label, value, unit, status in _query(
            marts,
            """
            select kpi_label, value, unit, status from kpi_scorecard
            where period_grain = 'month' and slice_type = 'all' and period_start = (
                select max(period_start) from kpi_scorecard
                where period_grain = 'month' and period_end <= (
                    select as_of_date::date + 1 from publication_info))
            """,
        )
    }
    (rows,) = pages["scorecard"].tables["kpis"]
    assert len(rows) == len(expected) == 13
    for row in rows:
        label = row["kpi_label"][1]
        value, unit, status = expected[label]
        assert float(row["value"][0]) == pytest.approx(value)
        assert row["status"][1] == status
        if unit == "share":
            assert row["value"][1] == f"{value * 100:.1f}%"
        if unit == "points":
            assert row["value"][1] == f"{value:+.1f}"
        if unit == "eur":
            assert row["value"][1] == f"€{value:,.0f}"
    off_target = sum(status == "off target" for _, _, status in expected.values())
    assert pages["scorecard"].values["off_target"][1] == str(off_target)
    trend = pages["scorecard"].marks
    assert len(trend) == 13 and all(len(points) >= 6 for points in trend.values())


def test_the_personas_page_counts_every_customer(rendered):
    _, pages, marts = rendered
    by_persona = dict(_query(marts, "select persona, count(*) from dim_customers group by all"))
    rows = pages["personas"].tables["personas"][0]
    shown = {row["label"][1]: int(row["customers"][0]) for row in rows}
    labels = dict(_query(marts, "select label, persona from persona_summary"))
    assert {labels[label]: count for label, count in shown.items()} == by_persona
    bars = pages["personas"].marks["Customers per persona"]
    assert sorted(bars, reverse=True) == bars
    assert sum(bars) == sum(by_persona.values())


def test_the_journey_funnel_matches_the_stage_entries(rendered):
    _, pages, marts = rendered
    reached = _query(
        marts,
        """
        select journey_stage, count(distinct customer_id)
        from fct_journey_stage_entries
        where journey_stage <> 'lapsed' and customer_id in (
            select customer_id from fct_journey_stage_entries
            where journey_stage = 'awareness')
        group by journey_stage, stage_order order by stage_order
        """,
    )
    funnel = pages["journey"].marks["Customers reaching each stage (all cohorts)"]
    assert funnel == [float(count) for _, count in reached]


def test_the_channel_scorecards_count_the_last_30_days_of_tickets(rendered):
    _, pages, marts = rendered
    expected = dict(
        _query(
            marts,
            """
            select channel, count(*) from fct_tickets
            where created_at::date > (select as_of_date::date - 30 from publication_info)
                and created_at::date <= (select as_of_date::date from publication_info)
            group by channel
            """,
        )
    )
    (rows,) = pages["channels"].tables["scorecards"]
    assert {row["channel"][1]: int(row["tickets"][0]) for row in rows} == expected


def test_what_to_fix_first_ranks_the_gaps_by_revenue_at_risk(rendered):
    _, pages, marts = rendered
    gaps = _query(marts, "select revenue_at_risk_eur from experience_gaps order by priority_rank")
    bars = pages["fix_first"].marks["Revenue at risk, top fifteen gaps"]
    assert bars == pytest.approx([value for (value,) in gaps[:15]])
    assert bars == sorted(bars, reverse=True)
    (table,) = pages["fix_first"].tables["top_gaps"]
    assert len(table) == min(len(gaps), 30)
    total = pages["fix_first"].values["revenue_at_risk_eur"]
    everything = sum(value for (value,) in gaps)
    assert float(total[0]) == pytest.approx(everything)
    assert total[1] == f"€{everything:,.0f}"


BROKEN_QUERY = """---
title: Broken query
---

```sql missing
select * from no_such_mart
```

```table
data: missing
```
"""

BROKEN_CHART = """---
title: Broken chart
---

```sql customers
select persona, count(*) as customers from dim_customers group by all
```

```chart
type: bar
data: customers
x: persona
y: no_such_column
```
"""


def test_a_failing_page_names_page_query_and_error_and_the_others_render(nightly_build, tmp_path):
    settings, _ = nightly_build
    pages = tmp_path / "pages"
    shutil.copytree(REPORT_PAGES, pages)
    (pages / "90_broken_query.md").write_text(BROKEN_QUERY)
    (pages / "91_broken_chart.md").write_text(BROKEN_CHART)
    (pages / "92_no_front_matter.md").write_text("# just a heading\n")
    readme = (REPORT_PAGES.parent / "README.md").read_text()
    (pages / "07_returns.md").write_text(readme.split("````markdown\n")[1].split("````")[0])

    site = render_site(settings.publication_dir, pages, tmp_path / "out")

    messages = {error.page: str(error) for error in site.errors}
    assert len(site.errors) == len(messages) == 3, messages
    assert "page 90_broken_query.md (query missing)" in messages["90_broken_query.md"]
    assert "no_such_mart" in messages["90_broken_query.md"]
    assert "(chart block at line 9)" in messages["91_broken_chart.md"]
    assert "no_such_column" in messages["91_broken_chart.md"]
    assert "front matter" in messages["92_no_front_matter.md"]
    for page in PAGES:
        assert ReportPage((tmp_path / "out" / f"{page}.html").read_text()).errors == []
    example = ReportPage((tmp_path / "out" / "returns.html").read_text())
    assert example.errors == [] and example.marks["Return rate by sales channel"]
    broken = ReportPage((tmp_path / "out" / "broken_query.html").read_text())
    assert "query 'missing' failed" in broken.errors[0]


def test_the_reports_command_renders_on_demand(nightly_build, monkeypatch, tmp_path, capsys):
    source, _ = nightly_build
    configure(monkeypatch, tmp_path, source.landing_dir, source.ground_truth_dir)
    monkeypatch.setenv("CX_PUBLICATION_DIR", str(source.publication_dir))

    assert cli.main(["reports", "--out", str(tmp_path / "html")]) == 0
    output = capsys.readouterr().out
    assert f"open {tmp_path / 'html' / 'index.html'}" in output
    assert sorted(p.stem for p in (tmp_path / "html").glob("*.html")) == sorted([*PAGES, "index"])

    monkeypatch.setenv("CX_PUBLICATION_DIR", str(tmp_path / "nothing"))
    assert cli.main(["reports"]) == 1
    assert "nothing is published" in capsys.readouterr().err
