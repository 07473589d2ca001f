"""A hand-made landing zone whose KPIs were computed by hand, built end to end (ingestion,
dbt) through the nightly job; every figure must match to the digit.

The story (all in one extract dated 2026-03-31; support team dach_support, Europe/Berlin,
open Mon-Fri 08:00-18:00 and Sat 09:00-14:00):
- C1 ordered on 2025-06-10 (100 EUR) and 2025-07-10 (50 EUR), then never again: lapsed on
  2026-01-06 (180 days later). C2 ordered on 2026-01-10 (80 EUR) and 2026-02-10 (120 EUR with a
  20 EUR coupon). C3 never ordered.
- T1 (C1, email, normal): opened Mon 2 Mar 09:00 UTC, answered 10:00, solved 11:00.
- T2 (C2, phone, high, order O4): opened Fri 6 Mar 16:30 UTC (17:30 Berlin), answered Mon 9 Mar
  07:30 UTC: 30 business minutes on Friday + 300 on Saturday + 30 on Monday = 360 (3780
  calendar); solved, reopened, solved again; two calls of 600 and 300 seconds.
- T3 (requester known only by C2's email, in capitals; chat, urgent, order O4): opened Tue
  10 Mar 09:00, answered 09:02, solved 09:30 - the same issue on another channel within 7 days
  of T2, so T2 is a channel switch.
- NPS (March): 10 (C1), 7 (C1), 9 (C2), 3 (C3, "Terrible delivery, very disappointed.").
  CSAT after T1, T2, T3: 5, 2, 4. CES after T1, T2: 6, 2 (none after T3: 10 invitations, 9
  answers).
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import duckdb
import pytest

from tests.conftest import configure, run_nightly

EXTRACT = "2026-03-31"
CUSTOMER = {
    "email": "",
    "phone": "",
    "first_name": "Ann",
    "last_name": "Lee",
    "birth_year": "1980",
    "country": "DE",
    "region": "Berlin",
    "city": "Berlin",
    "language": "en",
    "job_role": "",
    "industry": "",
    "company_size": "",
    "acquisition_channel": "direct",
    "marketing_opt_in": "true",
    "preferred_contact_channel": "",
    "created_at": "",
    "updated_at": "",
}
ORDER = {
    "status": "delivered",
    "sales_channel": "web",
    "payment_method": "card",
    "coupon_code": "",
    "currency": "EUR",
    "discount_amount": "0.00",
    "shipping_amount": "0.00",
    "tax_amount": "0.00",
    "delivered_at": "",
}
TICKET = {
    "requester_phone": None,
    "status": "solved",
    "team": "dach_support",
    "subject": "Order question",
    "description": "Where is my order?",
}


def write_csv(landing: Path, source: str, entity: str, rows: list[dict]) -> None:
    folder = landing / source / entity / EXTRACT
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "part-0000.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_jsonl(landing: Path, source: str, entity: str, rows: list[dict]) -> None:
    folder = landing / source / entity / EXTRACT
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "part-0000.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))


def customer(customer_id: str, email: str, created: str) -> dict:
    return {
        "customer_id": customer_id,
        **CUSTOMER,
        "email": email,
        "created_at": created,
        "updated_at": created,
    }


def order(
    order_id: str,
    customer_id: str,
    at: str,
    subtotal: float,
    discount: float = 0.0,
    coupon: str = "",
) -> dict:
    total = f"{subtotal - discount:.2f}"
    return {
        "order_id": order_id,
        "customer_id": customer_id,
        "ordered_at": at,
        **ORDER,
        "subtotal": f"{subtotal:.2f}",
        "discount_amount": f"{discount:.2f}",
        "coupon_code": coupon,
        "total_amount": total,
        "promised_delivery_at": at,
        "delivered_at": at,
        "updated_at": at,
    }


def ticket(ticket_id, customer_id, email, created, channel, priority, order_id, solved):
    return {
        "ticket_id": ticket_id,
        "customer_id": customer_id,
        "requester_email": email,
        "created_at": created,
        "channel": channel,
        "category": "shipping",
        "priority": priority,
        "assignee_agent_id": "AGT-0001",
        "order_id": order_id,
        "solved_at": solved,
        "updated_at": solved,
        **TICKET,
    }


def event(
    number,
    ticket_id,
    at,
    event_type,
    channel,
    actor="agent",
    to_status=None,
    from_status=None,
    handle_seconds=None,
):
    return {
        "event_id": f"EVT-{number:010d}",
        "ticket_id": ticket_id,
        "occurred_at": at,
        "event_type": event_type,
        "actor_type": actor,
        "agent_id": "AGT-0001" if actor == "agent" else None,
        "channel": channel,
        "from_status": from_status,
        "to_status": to_status,
        "handle_seconds": handle_seconds,
        "body": None,
    }


def invitation(number, survey_type, trigger, customer_id, at, ticket_id=None):
    return {
        "invitation_id": f"INV-{number:09d}",
        "survey_type": survey_type,
        "trigger": trigger,
        "customer_id": customer_id,
        "order_id": "",
        "ticket_id": ticket_id or "",
        "channel": "email",
        "sent_at": at,
    }


def response(number, invitation_number, customer_id, survey_type, score, comment=""):
    return {
        "response_id": f"RSP-{number:09d}",
        "invitation_id": f"INV-{invitation_number:09d}",
        "customer_id": customer_id,
        "survey_type": survey_type,
        "responded_at": "2026-03-25T12:00:00Z",
        "score": str(score),
        "comment": comment,
        "language": "en",
    }


def write_landing(landing: Path) -> None:
    write_csv(
        landing,
        "crm",
        "customers",
        [
            customer("CUS-0000001", "c1@example.com", "2025-06-01T09:00:00Z"),
            customer("CUS-0000002", "c2@example.com", "2026-01-05T09:00:00Z"),
            customer("CUS-0000003", "c3@example.com", "2026-02-01T09:00:00Z"),
        ],
    )
    write_csv(
        landing,
        "crm",
        "touchpoints",
        [
            {
                "touchpoint_id": "TPT-000000001",
                "customer_id": "CUS-0000003",
                "occurred_at": "2026-02-01T09:00:00Z",
                "channel": "web",
                "touchpoint_type": "site_visit",
                "campaign_id": "",
                "device": "desktop",
            }
        ],
    )
    write_csv(
        landing,
        "orders",
        "orders",
        [
            order("ORD-000000001", "CUS-0000001", "2025-06-10T10:00:00Z", 100),
            order("ORD-000000002", "CUS-0000001", "2025-07-10T10:00:00Z", 50),
            order("ORD-000000003", "CUS-0000002", "2026-01-10T10:00:00Z", 80),
            order("ORD-000000004", "CUS-0000002", "2026-02-10T10:00:00Z", 120, 20, "SAVE20"),
        ],
    )
    write_csv(
        landing,
        "orders",
        "order_items",
        [
            {
                "order_item_id": "ITM-0000000001",
                "order_id": "ORD-000000001",
                "product_id": "PRD-00001",
                "product_category": "books",
                "quantity": "1",
                "unit_price": "100.00",
            }
        ],
    )
    write_csv(
        landing,
        "orders",
        "returns",
        [
            {
                "return_id": "RET-000000001",
                "order_id": "ORD-000000001",
                "requested_at": "2025-06-20T10:00:00Z",
                "reason": "other",
                "refund_amount": "0.00",
                "status": "rejected",
                "updated_at": "2025-06-22T10:00:00Z",
            }
        ],
    )
    write_jsonl(
        landing,
        "tickets",
        "tickets",
        [
            ticket(
                "TCK-000000001",
                "CUS-0000001",
                "c1@example.com",
                "2026-03-02T09:00:00Z",
                "email",
                "normal",
                None,
                "2026-03-02T11:00:00Z",
            ),
            ticket(
                "TCK-000000002",
                "CUS-0000002",
                "c2@example.com",
                "2026-03-06T16:30:00Z",
                "phone",
                "high",
                "ORD-000000004",
                "2026-03-09T13:00:00Z",
            ),
            ticket(
                "TCK-000000003",
                None,
                " C2@Example.COM ",
                "2026-03-10T09:00:00Z",
                "chat",
                "urgent",
                "ORD-000000004",
                "2026-03-10T09:30:00Z",
            ),
        ],
    )
    write_jsonl(
        landing,
        "tickets",
        "ticket_events",
        [
            event(
                1, "TCK-000000001", "2026-03-02T09:00:00Z", "created", "email", "customer", "new"
            ),
            event(2, "TCK-000000001", "2026-03-02T10:00:00Z", "agent_reply", "email"),
            event(
                3,
                "TCK-000000001",
                "2026-03-02T10:00:30Z",
                "status_change",
                "email",
                to_status="open",
                from_status="new",
            ),
            event(
                4,
                "TCK-000000001",
                "2026-03-02T11:00:00Z",
                "status_change",
                "email",
                to_status="solved",
                from_status="open",
            ),
            event(
                5, "TCK-000000002", "2026-03-06T16:30:00Z", "created", "phone", "customer", "new"
            ),
            event(6, "TCK-000000002", "2026-03-09T07:30:00Z", "agent_reply", "phone"),
            event(
                7,
                "TCK-000000002",
                "2026-03-09T07:30:00Z",
                "call_handled",
                "phone",
                handle_seconds=600,
            ),
            event(
                8,
                "TCK-000000002",
                "2026-03-09T08:00:00Z",
                "status_change",
                "phone",
                to_status="solved",
                from_status="new",
            ),
            event(
                9,
                "TCK-000000002",
                "2026-03-09T12:00:00Z",
                "reopened",
                "phone",
                "system",
                "open",
                "solved",
            ),
            event(10, "TCK-000000002", "2026-03-09T12:30:00Z", "agent_reply", "phone"),
            event(
                11,
                "TCK-000000002",
                "2026-03-09T12:30:00Z",
                "call_handled",
                "phone",
                handle_seconds=300,
            ),
            event(
                12,
                "TCK-000000002",
                "2026-03-09T13:00:00Z",
                "status_change",
                "phone",
                to_status="solved",
                from_status="open",
            ),
            event(
                13, "TCK-000000003", "2026-03-10T09:00:00Z", "created", "chat", "customer", "new"
            ),
            event(14, "TCK-000000003", "2026-03-10T09:02:00Z", "agent_reply", "chat"),
            event(
                15,
                "TCK-000000003",
                "2026-03-10T09:30:00Z",
                "status_change",
                "chat",
                to_status="solved",
                from_status="new",
            ),
        ],
    )
    write_jsonl(
        landing,
        "tickets",
        "agents",
        [
            {
                "agent_id": "AGT-0001",
                "team": "dach_support",
                "site": "Berlin",
                "status": "active",
                "hired_at": "2024-01-01T00:00:00Z",
                "updated_at": "2024-01-01T00:00:00Z",
            }
        ],
    )
    relationship = "2026-03-20T10:00:00Z"
    support = "2026-03-20T11:00:00Z"
    write_csv(
        landing,
        "surveys",
        "invitations",
        [
            invitation(1, "nps", "relationship", "CUS-0000001", relationship),
            invitation(2, "nps", "relationship", "CUS-0000001", relationship),
            invitation(3, "nps", "relationship", "CUS-0000002", relationship),
            invitation(4, "nps", "relationship", "CUS-0000003", relationship),
            invitation(5, "csat", "post_support", "CUS-0000001", support, "TCK-000000001"),
            invitation(6, "csat", "post_support", "CUS-0000002", support, "TCK-000000002"),
            invitation(7, "csat", "post_support", "CUS-0000002", support, "TCK-000000003"),
            invitation(8, "ces", "post_support", "CUS-0000001", support, "TCK-000000001"),
            invitation(9, "ces", "post_support", "CUS-0000002", support, "TCK-000000002"),
            invitation(10, "ces", "post_support", "CUS-0000002", support, "TCK-000000003"),
        ],
    )
    write_csv(
        landing,
        "surveys",
        "responses",
        [
            response(1, 1, "CUS-0000001", "nps", 10),
            response(2, 2, "CUS-0000001", "nps", 7),
            response(3, 3, "CUS-0000002", "nps", 9),
            response(4, 4, "CUS-0000003", "nps", 3, "Terrible delivery, very disappointed."),
            response(5, 5, "CUS-0000001", "csat", 5),
            response(6, 6, "CUS-0000002", "csat", 2),
            response(7, 7, "CUS-0000002", "csat", 4),
            response(8, 8, "CUS-0000001", "ces", 6),
            response(9, 9, "CUS-0000002", "ces", 2),
        ],
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("known_answer")
    with pytest.MonkeyPatch.context() as monkeypatch:
        settings = configure(monkeypatch, root)
        write_landing(settings.landing_dir)
        result = run_nightly(EXTRACT, EXTRACT)
    assert result.success, [e.message for e in result.all_events if e.is_step_failure]
    with duckdb.connect(str(settings.warehouse_db), read_only=True) as conn:
        yield conn


def kpi(conn, name: str, month: str = "2026-03-01", column: str = "value"):
    return conn.execute(
        f"SELECT {column} FROM marts.kpi_scorecard WHERE kpi = ? AND period_grain = 'month' "
        "AND period_start = ? AND slice_type = 'all'",
        [name, month],
    ).fetchone()[0]


def test_nps_csat_ces_and_response_rate(warehouse):
    assert kpi(warehouse, "nps") == 25  # 100 x (2 promoters - 1 detractor) / 4
    margin = 100 * 1.96 * math.sqrt((0.5 + 0.25 - 0.25**2) / 4)
    assert kpi(warehouse, "nps", column="margin_of_error") == pytest.approx(margin, abs=1e-9)
    assert kpi(warehouse, "csat") == pytest.approx(2 / 3, abs=1e-12)
    assert kpi(warehouse, "ces") == 4  # (6 + 2) / 2
    assert kpi(warehouse, "response_rate") == pytest.approx(0.9, abs=1e-12)  # 9 of 10


def test_first_response_time_in_business_minutes(warehouse):
    times = dict(
        warehouse.execute(
            "SELECT ticket_id, first_response_business_minutes FROM marts.fct_tickets"
        ).fetchall()
    )
    assert times == {"TCK-000000001": 60, "TCK-000000002": 360, "TCK-000000003": 2}
    calendar = warehouse.execute(
        "SELECT first_response_minutes FROM marts.fct_tickets WHERE ticket_id = 'TCK-000000002'"
    ).fetchone()[0]
    assert calendar == 3780
    assert kpi(warehouse, "first_response_minutes") == 60  # median of 60, 360, 2
    assert kpi(warehouse, "sla_attainment") == pytest.approx(2 / 3, abs=1e-12)


def test_fcr_aht_identity_and_channel_switching(warehouse):
    rows = {
        row[0]: row[1:]
        for row in warehouse.execute(
            "SELECT ticket_id, is_first_contact_resolution, reopen_count, is_channel_switch_away, "
            "customer_id, identity_match_rule FROM marts.fct_tickets"
        ).fetchall()
    }
    assert rows["TCK-000000001"] == (True, 0, False, "CUS-0000001", "customer_id")
    assert rows["TCK-000000002"] == (False, 1, True, "CUS-0000002", "customer_id")
    assert rows["TCK-000000003"] == (True, 0, False, "CUS-0000002", "email")
    assert kpi(warehouse, "fcr_rate") == pytest.approx(2 / 3, abs=1e-12)
    assert kpi(warehouse, "aht_seconds") == 450  # (600 + 300) / 2 calls


def test_churn_clv_and_repeat_purchase(warehouse):
    assert kpi(warehouse, "churn_rate", "2026-01-01") == 1  # C1 lapsed of 1 active
    assert kpi(warehouse, "churn_rate", "2026-02-01") == 0  # C2 active, no lapse
    assert kpi(warehouse, "clv") == 165  # (150 + 180) / 2 buyers
    assert kpi(warehouse, "repeat_purchase_rate") == 1
    clv = dict(
        warehouse.execute(
            "SELECT customer_id, historical_clv_eur FROM marts.dim_customers"
        ).fetchall()
    )
    assert clv == {"CUS-0000001": 150, "CUS-0000002": 180, "CUS-0000003": 0}
    lapsed = warehouse.execute(
        "SELECT customer_id, lapsed_at FROM marts.dim_customers WHERE is_lapsed"
    ).fetchall()
    assert [(c, str(t)) for c, t in lapsed] == [("CUS-0000001", "2026-01-06 10:00:00")]


def test_detractor_lands_in_the_closed_loop_with_contact_details(warehouse):
    followups = warehouse.execute(
        "SELECT reason, customer_id, email, nps_score, sentiment_score < 0 "
        "FROM marts.closed_loop_followups"
    ).fetchall()
    assert followups == [("detractor", "CUS-0000003", "c3@example.com", 3, True)]
