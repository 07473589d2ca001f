"""The generator: deterministic, and its data behaves like the business it simulates."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from cx_warehouse.generator import landing
from cx_warehouse.generator.config import GeneratorConfig
from cx_warehouse.generator.landing import generate
from cx_warehouse.generator.text import COMMENTS

TINY = GeneratorConfig(customers=400, start=date(2026, 6, 1), end=date(2026, 8, 31), delta_days=20)


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    for run in ("a", "b"):
        generate(TINY, tmp_path / run / "landing", tmp_path / run / "truth")
    other = GeneratorConfig(**{**TINY.__dict__, "seed": 8})
    generate(other, tmp_path / "c" / "landing", tmp_path / "c" / "truth")
    first, second, third = (tree_digest(tmp_path / run) for run in "abc")
    assert first == second
    assert first != third


def test_writing_one_more_day_leaves_earlier_extracts_untouched(tmp_path):
    whole = tmp_path / "whole"
    generate(TINY, whole / "landing", whole / "truth")
    split = tmp_path / "split"
    last = TINY.end
    generate(
        GeneratorConfig(**{**TINY.__dict__, "write_to": date(2026, 8, 30)}),
        split / "landing",
        split / "truth",
    )
    assert not any(split.rglob(f"{last.isoformat()}/*"))
    generate(
        GeneratorConfig(**{**TINY.__dict__, "write_from": last}),
        split / "landing",
        split / "truth",
        replace=False,
    )
    assert tree_digest(whole / "landing") == tree_digest(split / "landing")


def _records_by_day(landing: Path) -> dict[str, bytes]:
    """Each entity's extract day as its part files' records, headers left out."""
    days: dict[str, bytes] = {}
    for part in sorted(landing.rglob("part-*")):
        data = part.read_bytes()
        if part.suffix == ".csv":
            data = data.split(b"\n", 1)[1]
        key = str(part.parent.relative_to(landing))
        days[key] = days.get(key, b"") + data
    return days


def test_parts_hold_a_fixed_number_of_records_however_rows_stream_in(tmp_path, monkeypatch):
    whole = tmp_path / "whole"
    generate(TINY, whole / "landing", whole / "truth")
    monkeypatch.setattr(landing, "ROWS_PER_PART", 97)
    split = tmp_path / "split"
    summary = generate(TINY, split / "landing", split / "truth")
    for folder in {p.parent for p in (split / "landing").rglob("part-*")}:
        parts = sorted(folder.glob("part-*"))
        assert [p.name.split(".")[0] for p in parts] == [f"part-{i:04d}" for i in range(len(parts))]
        counts = [
            len(duckdb.sql(f"SELECT * FROM read_csv('{p}')"))
            if p.suffix == ".csv"
            else p.read_bytes().count(b"\n")
            for p in parts
        ]
        assert all(count == 97 for count in counts[:-1]) and 0 < counts[-1] <= 97
    assert summary.files > sum(1 for _ in (whole / "landing").rglob("part-*"))
    assert _records_by_day(split / "landing") == _records_by_day(whole / "landing")


def test_history_arrives_as_an_initial_export_then_daily_deltas(small_landing):
    landing, _, _ = small_landing
    days = sorted(p.name for p in (landing / "crm" / "touchpoints").iterdir())
    assert days[0] == "2026-10-01" and days[-1] == "2026-10-31" and len(days) == 31
    sizes = {
        d: (landing / "crm" / "touchpoints" / d / "part-0000.csv").stat().st_size for d in days
    }
    assert sizes[days[0]] > 10 * max(sizes[d] for d in days[1:])


def test_ground_truth_stays_outside_the_landing_zone(small_landing):
    landing, truth, _ = small_landing
    assert (truth / "personas.csv").exists() and (truth / "ticket_requesters.csv").exists()
    assert not list(landing.rglob("personas*")) and truth not in landing.parents


@pytest.fixture(scope="module")
def lake(small_landing):
    """The small landing zone as DuckDB views, joined to the hidden personas."""
    landing, truth, _ = small_landing
    conn = duckdb.connect()
    for source, name in [
        ("crm", "customers"),
        ("crm", "touchpoints"),
        ("orders", "orders"),
        ("orders", "order_items"),
        ("surveys", "invitations"),
        ("surveys", "responses"),
    ]:
        conn.execute(f"""CREATE VIEW {name} AS SELECT * FROM read_csv(
            '{landing}/{source}/{name}/*/*.csv', all_varchar = true, ignore_errors = true)""")
    for name in ("tickets", "ticket_events"):
        conn.execute(f"""CREATE VIEW {name} AS SELECT * FROM read_json(
            '{landing}/tickets/{name}/*/*.jsonl', format = 'newline_delimited',
            ignore_errors = true, columns = {{
                ticket_id: 'VARCHAR', customer_id: 'VARCHAR', channel: 'VARCHAR',
                event_type: 'VARCHAR', created_at: 'VARCHAR'}})""")
    conn.execute(f"CREATE VIEW personas AS SELECT * FROM read_csv('{truth}/personas.csv')")
    conn.execute("""CREATE VIEW last_orders AS
        SELECT * FROM orders WHERE order_id IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1""")
    return conn


def per_persona(conn, sql: str) -> dict[str, float]:
    return dict(conn.execute(sql).fetchall())


def test_personas_drive_purchase_habits(lake):
    orders_per_customer = per_persona(
        lake,
        """
        SELECT p.persona, count(o.order_id) / count(DISTINCT p.customer_id)
        FROM personas p LEFT JOIN last_orders o USING (customer_id) GROUP BY 1""",
    )
    assert max(orders_per_customer, key=orders_per_customer.get) == "loyal_regular"
    assert min(orders_per_customer, key=orders_per_customer.get) == "occasional_browser"
    discount = per_persona(
        lake,
        """
        SELECT p.persona, avg((coupon_code IS NOT NULL)::int)
        FROM personas p JOIN last_orders o USING (customer_id) GROUP BY 1""",
    )
    assert max(discount, key=discount.get) == "deal_seeker" and discount["deal_seeker"] > 0.5
    value = per_persona(
        lake,
        """
        SELECT p.persona, avg(subtotal::double) FROM personas p JOIN last_orders o
        USING (customer_id) WHERE currency = 'EUR' GROUP BY 1""",
    )
    assert max(value, key=value.get) == "premium_professional"
    app = per_persona(
        lake,
        """
        SELECT p.persona, avg((sales_channel = 'mobile_app')::int)
        FROM personas p JOIN last_orders o USING (customer_id) GROUP BY 1""",
    )
    assert max(app, key=app.get) == "digital_self_server" and app["digital_self_server"] > 0.5
    business = per_persona(
        lake,
        """
        SELECT p.persona, avg((c.company_size IS NOT NULL)::int) FROM personas p
        JOIN (SELECT DISTINCT customer_id, company_size FROM customers) c USING (customer_id)
        GROUP BY 1""",
    )
    assert business["premium_professional"] > 0.8 > 0.1 > business["deal_seeker"]


def test_personas_drive_support_and_satisfaction(lake):
    tickets = per_persona(
        lake,
        """
        WITH t AS (SELECT DISTINCT ticket_id, customer_id FROM tickets)
        SELECT p.persona, count(t.ticket_id) / count(DISTINCT p.customer_id)
        FROM personas p LEFT JOIN t USING (customer_id) GROUP BY 1""",
    )
    assert max(tickets, key=tickets.get) == "high_touch_supporter"
    nps = per_persona(
        lake,
        """
        SELECT p.persona, avg(score::int) FROM personas p JOIN responses r USING (customer_id)
        WHERE survey_type = 'nps' GROUP BY 1""",
    )
    assert max(nps, key=nps.get) == "loyal_regular"
    assert min(nps, key=nps.get) == "deal_seeker"


def test_bad_service_lowers_satisfaction(lake):
    [(reopened, smooth)] = lake.execute("""
        WITH reopened AS (SELECT DISTINCT ticket_id FROM ticket_events
                          WHERE event_type = 'reopened')
        SELECT avg(score::int) FILTER (WHERE r2.ticket_id IS NOT NULL),
               avg(score::int) FILTER (WHERE r2.ticket_id IS NULL)
        FROM responses r JOIN invitations i USING (invitation_id)
        LEFT JOIN reopened r2 ON r2.ticket_id = i.ticket_id
        WHERE i.trigger = 'post_support' AND r.survey_type = 'csat'""").fetchall()
    assert reopened < smooth - 0.5


def test_comments_carry_the_sentiment_of_their_score(lake):
    def tone(comment: str) -> str:
        return next(
            sentiment
            for phrases in COMMENTS.values()
            for sentiment, by_topic in phrases.items()
            for texts in by_topic.values()
            for text in texts
            if comment.startswith(text)
        )

    rows = lake.execute("""
        SELECT score::int, comment FROM responses
        WHERE survey_type = 'nps' AND comment IS NOT NULL AND score IN ('0', '1', '2', '3',
              '4', '5', '6', '9', '10')""").fetchall()
    detractors = [tone(c) for score, c in rows if score <= 6]
    promoters = [tone(c) for score, c in rows if score >= 9]
    assert detractors.count("negative") / len(detractors) > 0.85
    assert promoters.count("positive") / len(promoters) > 0.85
    assert "positive" not in detractors and "negative" not in promoters


def test_touches_precede_the_first_order_and_seasons_show(lake):
    [(share,)] = lake.execute("""
        WITH first_touch AS (SELECT customer_id, min(try_cast(occurred_at AS timestamptz)) AS t
                             FROM touchpoints GROUP BY 1),
             first_order AS (SELECT customer_id, min(try_cast(ordered_at AS timestamptz)) AS t
                             FROM last_orders GROUP BY 1)
        SELECT avg((ft.t <= fo.t)::int) FROM first_order fo JOIN first_touch ft USING (customer_id)
    """).fetchall()
    assert share > 0.98
    [(black_friday_week, weeks_after, mondays, sundays)] = lake.execute("""
        WITH orders AS (SELECT try_cast(ordered_at AS timestamptz) AS t FROM last_orders),
             tickets AS (SELECT DISTINCT ticket_id, try_cast(created_at AS timestamptz) AS t
                         FROM tickets)
        SELECT (SELECT count(*) FROM orders
                WHERE t >= '2025-11-27' AND t < '2025-12-02') / 5,
               (SELECT count(*) FROM orders
                WHERE t >= '2025-12-02' AND t < '2025-12-16') / 14,
               (SELECT count(*) FROM tickets WHERE dayofweek(t) = 1),
               (SELECT count(*) FROM tickets WHERE dayofweek(t) = 0)""").fetchall()
    # The base keeps growing, yet the Black Friday week sells more than the weeks after it.
    assert black_friday_week > 1.1 * weeks_after
    assert mondays > 1.5 * sundays


def test_mess_is_injected_and_recorded(small_landing):
    landing, truth, summary = small_landing
    manifest = json.loads((truth / "generation.json").read_text())
    assert manifest["corrupted_rows"] == summary.corrupted
    kinds = {kind for counts in summary.corrupted.values() for kind in counts}
    assert kinds == {
        "unknown_enum",
        "bad_timestamp",
        "out_of_range",
        "missing_key",
        "broken_json",
        "bad_encoding",
    }
    raw = b"".join(p.read_bytes() for p in (landing / "crm" / "customers").rglob("*.csv"))
    assert b"\xfc" in raw  # a wrongly encoded byte
    [(padded, capitals, phone_formats)] = duckdb.sql(f"""
        SELECT count(*) FILTER (WHERE email LIKE ' %'),
               count(*) FILTER (WHERE email <> lower(email)),
               count(DISTINCT regexp_replace(phone, '[0-9]', '9', 'g'))
        FROM read_csv('{landing}/crm/customers/*/*.csv', all_varchar = true,
                      ignore_errors = true)""").fetchall()
    assert padded > 0 and capitals > 0 and phone_formats >= 5
    requesters = duckdb.sql(
        f"SELECT requester, count(*) FROM read_csv('{truth}/ticket_requesters.csv') GROUP BY 1"
    ).fetchall()
    assert {name for name, _ in requesters} == {"known", "email_only", "phone_only", "guest"}
