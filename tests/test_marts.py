"""The marts of a generated small landing zone, built end to end through the nightly job."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from cx_warehouse.contracts import load_contracts
from cx_warehouse.definitions import build_definitions
from cx_warehouse.defs.ingestion import raw_asset_key
from tests.conftest import configure

CONTACT_COLUMNS = {
    "email",
    "phone",
    "phone_e164",
    "first_name",
    "last_name",
    "requester_email",
    "requester_phone",
}


@pytest.fixture(scope="module")
def marts(nightly_build, small_landing):
    settings, _ = nightly_build
    _, truth, _ = small_landing
    with duckdb.connect(str(settings.warehouse_db), read_only=True) as conn:
        conn.execute(f"CREATE TEMP VIEW truth AS SELECT * FROM read_csv('{truth}/personas.csv')")
        conn.execute(
            "CREATE TEMP VIEW requesters AS "
            f"SELECT * FROM read_csv('{truth}/ticket_requesters.csv')"
        )
        yield conn


def test_personas_recover_the_hidden_ones_for_most_customers(marts):
    total, accuracy = marts.execute(
        "SELECT count(*), avg((p.persona = t.persona)::int) "
        "FROM marts.dim_customer_personas AS p JOIN truth AS t USING (customer_id)"
    ).fetchone()
    assert total == 2_500
    assert accuracy >= 0.8, f"persona recovery {accuracy:.1%}"
    assert (
        marts.execute("SELECT count(DISTINCT persona) FROM marts.dim_customers").fetchone()[0] == 6
    )


def test_identity_resolution_finds_the_true_requesters(marts):
    rows = marts.execute("""
        SELECT r.requester, t.identity_match_rule, count(*),
               count(*) FILTER (WHERE t.customer_id = r.customer_id)
        FROM marts.fct_tickets AS t JOIN requesters AS r USING (ticket_id)
        GROUP BY ALL""").fetchall()
    by_kind = {(kind, rule): (n, right) for kind, rule, n, right in rows}
    assert set(by_kind) == {
        ("known", "customer_id"),
        ("email_only", "email"),
        ("phone_only", "phone"),
        ("guest", "unmatched"),
    }
    for (kind, _), (n, right) in by_kind.items():
        assert right == (0 if kind == "guest" else n)


def test_only_the_closed_loop_mart_carries_contact_details(marts):
    columns = marts.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'marts'"
    ).fetchall()
    exposed = {(t, c) for t, c in columns if c in CONTACT_COLUMNS}
    assert {t for t, _ in exposed} == {"closed_loop_followups"}
    assert len({t for t, _ in columns}) >= 18


def test_every_kpi_has_values_against_its_target(marts):
    kpis = {
        k
        for (k,) in marts.execute(
            "SELECT DISTINCT kpi FROM marts.kpi_scorecard WHERE status IS NOT NULL"
        ).fetchall()
    }
    assert kpis == {
        "nps",
        "csat",
        "ces",
        "response_rate",
        "churn_rate",
        "retention_rate",
        "repeat_purchase_rate",
        "clv",
        "sentiment",
        "first_response_minutes",
        "sla_attainment",
        "fcr_rate",
        "aht_seconds",
    }
    slices = {
        s
        for (s,) in marts.execute("SELECT DISTINCT slice_type FROM marts.kpi_scorecard").fetchall()
    }
    assert slices == {"all", "persona", "channel", "journey_stage", "segment"}
    grains = {
        g
        for (g,) in marts.execute(
            "SELECT DISTINCT period_grain FROM marts.kpi_scorecard"
        ).fetchall()
    }
    assert grains == {"day", "week", "month"}


def test_sentiment_agrees_with_the_scores(marts):
    [(negative_low, positive_high)] = marts.execute("""
        SELECT avg((comment_sentiment_label = 'negative')::int) FILTER (WHERE score <= 4),
               avg((comment_sentiment_label = 'positive')::int) FILTER (WHERE score >= 9)
        FROM marts.fct_survey_responses
        WHERE survey_type = 'nps' AND comment IS NOT NULL""").fetchall()
    assert negative_low > 0.7 and positive_high > 0.7


def test_experience_gaps_are_ranked_by_revenue_at_risk(marts):
    rows = marts.execute(
        "SELECT priority_rank, revenue_at_risk_eur, status "
        "FROM marts.experience_gaps ORDER BY priority_rank"
    ).fetchall()
    assert rows, "no experience gaps found"
    risks = [risk for _, risk, _ in rows]
    assert risks == sorted(risks, reverse=True)
    assert {status for _, _, status in rows} <= {"at risk", "off target"}


def test_dbt_models_hang_off_the_ingestion_assets(tmp_path, monkeypatch):
    configure(monkeypatch, tmp_path)
    graph = build_definitions().resolve_asset_graph()
    staging = dg.AssetKey(["staging", "stg_crm__customers"])
    assert (
        raw_asset_key(next(e for e in load_contracts() if e.raw_table == "crm_customers"))
        in graph.get(staging).parent_keys
    )
    marts = {key for key in graph.get_all_asset_keys() if key.path[0] == "marts"}
    assert dg.AssetKey(["marts", "kpi_scorecard"]) in marts
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert {"staging", "intermediate", "marts", "reference", "ingest_crm"} <= groups
    checks = graph.asset_check_keys
    assert any(check.asset_key == dg.AssetKey(["marts", "dim_customers"]) for check in checks)
