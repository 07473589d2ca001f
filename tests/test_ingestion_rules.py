"""Every rule of the landing contract, one crafted file at a time."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cx_warehouse.contracts import entity
from cx_warehouse.ingestion.discovery import extract_dates, extract_files
from cx_warehouse.ingestion.loading import ExtractFileError, ingest_files

DAY = date(2026, 3, 2)
VALID = {
    "crm.customers": {
        "customer_id": "CUS-0000001",
        "email": "ann.lee@example.com",
        "phone": "+49 30 1234567",
        "first_name": "Ann",
        "last_name": "Lee",
        "birth_year": "1980",
        "country": "DE",
        "region": "Berlin",
        "city": "Berlin",
        "language": "de",
        "job_role": "",
        "industry": "",
        "company_size": "",
        "acquisition_channel": "direct",
        "marketing_opt_in": "true",
        "preferred_contact_channel": "email",
        "created_at": "2026-03-01T09:00:00+01:00",
        "updated_at": "2026-03-02T08:00:00Z",
    },
    "orders.orders": {
        "order_id": "ORD-000000001",
        "customer_id": "CUS-0000001",
        "ordered_at": "2026-03-02T10:00:00+01:00",
        "status": "paid",
        "sales_channel": "web",
        "payment_method": "card",
        "coupon_code": "",
        "currency": "EUR",
        "subtotal": "100.00",
        "discount_amount": "10.00",
        "shipping_amount": "0.00",
        "tax_amount": "17.10",
        "total_amount": "107.10",
        "promised_delivery_at": "2026-03-05T10:00:00+01:00",
        "delivered_at": "",
        "updated_at": "2026-03-02T10:00:00+01:00",
    },
    "orders.order_items": {
        "order_item_id": "ITM-0000000001",
        "order_id": "ORD-000000001",
        "product_id": "PRD-00001",
        "product_category": "books",
        "quantity": "2",
        "unit_price": "50.00",
    },
    "surveys.responses": {
        "response_id": "RSP-000000001",
        "invitation_id": "INV-000000001",
        "customer_id": "CUS-0000001",
        "survey_type": "nps",
        "responded_at": "2026-03-02T12:00:00+01:00",
        "score": "9",
        "comment": "Great service, thank you!",
        "language": "en",
    },
    "tickets.tickets": {
        "ticket_id": "TCK-000000001",
        "customer_id": None,
        "requester_email": "ann@example.com",
        "requester_phone": None,
        "created_at": "2026-03-02T08:00:00.000Z",
        "channel": "email",
        "category": "billing",
        "priority": "normal",
        "status": "new",
        "team": "dach_support",
        "assignee_agent_id": None,
        "order_id": None,
        "subject": "Invoice",
        "description": "Please check my invoice.",
        "solved_at": None,
        "updated_at": "2026-03-02T08:00:00.000Z",
    },
    "tickets.ticket_events": {
        "event_id": "EVT-0000000001",
        "ticket_id": "TCK-000000001",
        "occurred_at": "2026-03-02T08:00:00Z",
        "event_type": "call_handled",
        "actor_type": "agent",
        "agent_id": "AGT-0001",
        "channel": "phone",
        "from_status": None,
        "to_status": None,
        "handle_seconds": 300,
        "body": None,
    },
}


def folder(landing: Path, name: str, day: date = DAY) -> Path:
    source, entity_name = name.split(".")
    path = landing / source / entity_name / day.isoformat()
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_csv(
    landing: Path, name: str, records: list[dict], day: date = DAY, part: str = "part-0001.csv"
) -> Path:
    path = folder(landing, name, day) / part
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return path


def write_jsonl(landing: Path, name: str, records: list, day: date = DAY) -> Path:
    path = folder(landing, name, day) / "part-0001.jsonl"
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n")
    return path


def ingest(landing: Path, name: str, conn=None, day: date = DAY):
    conn = conn or duckdb.connect()
    contract = entity(name)
    dates = extract_dates(landing, contract) or [day]
    report = ingest_files(conn, contract, dates, extract_files(landing, contract, dates), "test")
    return conn, report


def rejects(conn) -> list[tuple]:
    return conn.execute(
        "SELECT line, column_name, value, reason FROM ingestion_audit.rejects ORDER BY line"
    ).fetchall()


def changed(name: str, **values) -> dict:
    return {**VALID[name], **values}


INVALID_VALUES = [
    ("crm.customers", "country", "XX", "not one of the allowed values: DE, AT"),
    ("crm.customers", "acquisition_channel", "carrier_pigeon", "not one of the allowed values"),
    ("crm.customers", "created_at", "2026-02-30T10:00:00Z", "not an ISO-8601 timestamp"),
    ("crm.customers", "created_at", "2026-03-01T10:00:00", "not an ISO-8601 timestamp"),
    ("crm.customers", "created_at", "yesterday", "not an ISO-8601 timestamp"),
    ("crm.customers", "customer_id", "", "required value is missing"),
    ("crm.customers", "customer_id", "C-1", "does not match the expected format"),
    ("crm.customers", "email", "no-at-sign.example.com", "does not match the expected format"),
    ("crm.customers", "birth_year", "1850", "below the minimum 1900"),
    ("crm.customers", "birth_year", "nineteen", "not a whole number"),
    ("crm.customers", "marketing_opt_in", "maybe", "not a boolean"),
    ("crm.customers", "updated_at", "2026-02-01T00:00:00Z", "updated_at must not be before"),
    ("orders.orders", "total_amount", "-107.10", "below the minimum 0"),
    ("orders.orders", "total_amount", "99.00", "total_amount must equal"),
    ("orders.orders", "subtotal", "12,50", "not a decimal number"),
    ("orders.orders", "status", "lost", "not one of the allowed values: placed, paid"),
    ("orders.order_items", "quantity", "0", "below the minimum 1"),
    ("surveys.responses", "score", "11", "above the maximum 10"),
    ("surveys.responses", "survey_type", "csat", "score must be 0-10 for nps, 1-5 for csat"),
]


@pytest.mark.parametrize(("name", "column", "value", "reason"), INVALID_VALUES)
def test_each_rule_rejects_the_record_with_its_reason(tmp_path, name, column, value, reason):
    records = [VALID[name], changed(name, **{column: value})]
    write_csv(tmp_path, name, records)
    conn, report = ingest(tmp_path, name)
    found = rejects(conn)
    assert len(found) == 1, found
    line, reported_column, _reported_value, reported_reason = found[0]
    assert line == 3  # header, the valid record, then the broken one
    assert reason in reported_reason
    expected_column = {"survey_type": "score", "updated_at": "updated_at"}.get(column, column)
    assert reported_column == expected_column
    assert report.total("rows_loaded") == 1 and report.total("rows_rejected") == 1


def test_a_rejected_record_keeps_its_own_text_as_written(tmp_path):
    broken = [
        changed("orders.orders", order_id="ORD-000000002", subtotal="12,50"),
        changed("orders.orders", order_id="ORD-000000003", status="lost", coupon_code="SPRING"),
    ]
    write_csv(tmp_path, "orders.orders", [broken[0], VALID["orders.orders"], broken[1]])
    conn, _ = ingest(tmp_path, "orders.orders")
    found = conn.execute(
        "SELECT line, record FROM ingestion_audit.rejects ORDER BY line"
    ).fetchall()
    assert [line for line, _ in found] == [2, 4]
    for (_, record), written in zip(found, broken, strict=True):
        kept = {column: text for column, text in json.loads(record).items() if text}
        assert kept == {column: text for column, text in written.items() if text}


@pytest.mark.parametrize(
    ("name", "column", "value", "reason"),
    [
        ("tickets.tickets", "channel", "fax", "not one of the allowed values: phone, email"),
        ("tickets.tickets", "ticket_id", None, "required value is missing"),
        ("tickets.ticket_events", "handle_seconds", -1, "below the minimum 0"),
        ("tickets.ticket_events", "occurred_at", "2026-03-02 8am", "not an ISO-8601 timestamp"),
    ],
)
def test_json_lines_follow_the_same_rules(tmp_path, name, column, value, reason):
    write_jsonl(tmp_path, name, [VALID[name], changed(name, **{column: value})])
    conn, _report = ingest(tmp_path, name)
    [(line, reported_column, _, reported_reason)] = rejects(conn)
    assert (line, reported_column) == (2, column)
    assert reason in reported_reason


def test_broken_json_line_and_nested_values_are_rejected_with_their_line(tmp_path):
    name = "tickets.tickets"
    good = json.dumps(VALID[name])
    write_jsonl(
        tmp_path,
        name,
        [good, good[: len(good) // 2], "", changed(name, subject={"text": "x"}), good],
    )
    conn, report = ingest(tmp_path, name)
    found = rejects(conn)
    assert [(line, column) for line, column, _, _ in found] == [(2, None), (4, "subject")]
    assert "not valid JSON" in found[0][3]
    assert "JSON object or array" in found[1][3]
    assert report.total("rows_read") == 4  # the blank line is not a record
    assert report.total("rows_loaded") == 2


def test_wrongly_encoded_bytes_are_rejected_at_their_line(tmp_path):
    path = write_csv(tmp_path, "crm.customers", [VALID["crm.customers"]] * 3)
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"Ann", b"J\xfcrgen")  # Latin-1, not UTF-8
    path.write_bytes(b"\n".join(lines))
    conn, report = ingest(tmp_path, "crm.customers")
    [(line, column, value, reason)] = rejects(conn)
    assert line == 3 and column == "first_name"
    assert "invalid UTF-8" in reason and "Lee" in value
    assert report.total("rows_loaded") == 2

    jsonl = write_jsonl(tmp_path, "tickets.tickets", [VALID["tickets.tickets"]] * 2)
    jsonl.write_bytes(jsonl.read_bytes().replace(b"Invoice", b"Rechnung \xfc", 1))
    conn, report = ingest(tmp_path, "tickets.tickets")
    [(line, _, _, reason)] = rejects(conn)
    assert line == 1 and "invalid UTF-8" in reason


def test_line_numbers_count_blank_lines_and_multi_line_fields(tmp_path):
    name = "surveys.responses"
    header = ",".join(VALID[name])
    row = ",".join(f'"{v}"' for v in VALID[name].values())
    multi = row.replace("Great service", "Great\nservice\nreally").replace(
        "RSP-000000001", "RSP-000000002"
    )
    short = '"RSP-000000003","INV-000000001"'
    bad = row.replace('"9"', '"42"').replace("RSP-000000001", "RSP-000000004")
    good = row.replace("RSP-000000001", "RSP-000000005")
    content = "\n".join([header, row, "", multi, short, bad, good]) + "\n"
    (folder(tmp_path, name) / "part-0001.csv").write_text(content)
    conn, _report = ingest(tmp_path, name)
    found = rejects(conn)
    assert [(line, column) for line, column, _, _ in found] == [(7, None), (8, "score")]
    assert "Expected Number of Columns" in found[0][3]
    loaded = conn.execute(
        "SELECT response_id, _source_line FROM raw.surveys_responses ORDER BY 2"
    ).fetchall()
    assert loaded == [("RSP-000000001", 2), ("RSP-000000002", 4), ("RSP-000000005", 9)]
    comment = conn.execute(
        "SELECT comment FROM raw.surveys_responses WHERE response_id = 'RSP-000000002'"
    ).fetchone()[0]
    assert comment.startswith("Great\nservice\nreally")


def test_line_numbers_hold_in_every_kind_of_file_of_one_load(tmp_path):
    """Files of one record per line take a faster path than files with multi-line fields,
    blank lines or rejects; every record keeps its own file's line number either way."""
    name = "surveys.responses"
    columns = list(VALID[name])
    day = folder(tmp_path, name)

    def record(number: int, comment: str = "Fine") -> list[str]:
        values = changed(name, response_id=f"RSP-{number:09d}", comment=comment)
        return [f'"{values[c]}"' for c in columns]

    lines = [",".join(columns)] + [",".join(record(n)) for n in (1, 2, 3)]
    (day / "part-0001.csv").write_bytes("\r\n".join(lines).encode())  # no final line break
    multi = [",".join(columns), ",".join(record(4, "two\nlines")), ",".join(record(5))]
    (day / "part-0002.csv").write_text("\n".join(multi) + "\n")
    reordered = columns[::-1]
    other = [",".join(reordered)] + [",".join(record(n)[::-1]) for n in (6, 7)]
    (day / "part-0003.csv").write_text("\n".join(other) + "\n")
    trailing_blank = [",".join(columns), ",".join(record(8))]
    (day / "part-0004.csv").write_text("\n".join(trailing_blank) + "\n\n")
    undecodable = [",".join(record(n, "J\xfcrgen")).encode("latin-1") for n in (10, 11)]
    with_rejects = [",".join(columns).encode(), ",".join(record(9)).encode(), *undecodable]
    with_rejects.append(",".join(record(12)).encode())
    (day / "part-0005.csv").write_bytes(b"\n".join(with_rejects) + b"\n")

    conn, report = ingest(tmp_path, name)
    loaded = conn.execute(
        "SELECT response_id, parse_filename(_source_file), _source_line "
        "FROM raw.surveys_responses ORDER BY 1"
    ).fetchall()
    assert loaded == [
        ("RSP-000000001", "part-0001.csv", 2),
        ("RSP-000000002", "part-0001.csv", 3),
        ("RSP-000000003", "part-0001.csv", 4),
        ("RSP-000000004", "part-0002.csv", 2),
        ("RSP-000000005", "part-0002.csv", 4),
        ("RSP-000000006", "part-0003.csv", 2),
        ("RSP-000000007", "part-0003.csv", 3),
        ("RSP-000000008", "part-0004.csv", 2),
        ("RSP-000000009", "part-0005.csv", 2),
        ("RSP-000000012", "part-0005.csv", 5),
    ]
    assert [(line, column) for line, column, _, _ in rejects(conn)] == [
        (3, "comment"),
        (4, "comment"),
    ]
    assert report.total("rows_read") == 12 and report.total("rows_rejected") == 2


def test_real_world_variation_that_honours_the_contract_is_loaded(tmp_path):
    name = "crm.customers"
    variants = [
        changed(name, customer_id=f"CUS-000000{i}", **values)
        for i, values in enumerate(
            [
                {"email": "  Ann.Lee@Example.COM "},
                {"phone": "030 1234567"},
                {"phone": "(212) 555-0123", "country": "US"},
                {"phone": "0049 30/1234567"},
                {"acquisition_channel": "DIRECT", "country": " de "},
                {
                    "created_at": "2026-03-01T14:30:00+05:30",
                    "updated_at": "2026-03-02T00:00:00-08:00",
                },
                {"marketing_opt_in": "FALSE"},
            ],
            start=1,
        )
    ]
    write_csv(tmp_path, name, variants)
    conn, report = ingest(tmp_path, name)
    assert rejects(conn) == []
    assert report.total("rows_loaded") == len(variants)
    offset = conn.execute(
        "SELECT created_at = TIMESTAMPTZ '2026-03-01 09:00:00+00' FROM raw.crm_customers "
        "WHERE customer_id = 'CUS-0000006'"
    ).fetchone()[0]
    assert offset


def test_a_json_record_may_omit_optional_keys(tmp_path):
    name = "tickets.tickets"
    record = {k: v for k, v in VALID[name].items() if v is not None}
    write_jsonl(tmp_path, name, [record])
    conn, report = ingest(tmp_path, name)
    assert report.total("rows_loaded") == 1 and rejects(conn) == []


def test_a_file_missing_a_required_column_fails_and_loads_nothing_from_it(tmp_path):
    name = "orders.orders"
    good = write_csv(tmp_path, name, [VALID[name]], part="part-0001.csv")
    broken = write_csv(
        tmp_path,
        name,
        [{k: v for k, v in VALID[name].items() if k != "currency"}],
        part="part-0002.csv",
    )
    with pytest.raises(ExtractFileError) as failure:
        ingest(tmp_path, name)
    message = str(failure.value)
    assert str(broken) in message and "missing required column(s) currency" in message
    assert str(good) not in message
    statuses = {f.path: (f.status, f.rows_loaded) for f in failure.value.report.files}
    assert statuses == {good: ("loaded", 1), broken: ("failed", 0)}


def test_a_file_that_is_not_json_lines_fails(tmp_path):
    path = folder(tmp_path, "tickets.tickets") / "part-0001.jsonl"
    path.write_text("ticket_id,subject\nTCK-000000001,hello\n")
    with pytest.raises(ExtractFileError, match="not JSON lines"):
        ingest(tmp_path, "tickets.tickets")


def test_json_lines_without_a_required_key_in_any_record_fail(tmp_path):
    record = {k: v for k, v in VALID["tickets.tickets"].items() if k != "priority"}
    write_jsonl(tmp_path, "tickets.tickets", [record, record])
    with pytest.raises(ExtractFileError, match=r"missing required column\(s\) priority"):
        ingest(tmp_path, "tickets.tickets")


def test_unknown_columns_are_reported_not_fatal(tmp_path):
    name = "orders.order_items"
    write_csv(tmp_path, name, [{**VALID[name], "gift_wrap": "yes"}])
    _conn, report = ingest(tmp_path, name)
    [file] = report.files
    assert file.unknown_columns == ("gift_wrap",) and file.rows_loaded == 1


def test_parquet_extracts_are_read_by_column_name(tmp_path):
    name = "orders.order_items"
    path = folder(tmp_path, name) / "part-0001.parquet"
    table = pa.table({k: [v] for k, v in reversed(VALID[name].items())})
    pq.write_table(table, path)
    conn, report = ingest(tmp_path, name)
    assert report.total("rows_loaded") == 1
    assert conn.execute("SELECT _source_line, quantity FROM raw.orders_order_items").fetchone() == (
        1,
        2,
    )


def test_reingesting_a_date_replaces_exactly_that_date(tmp_path):
    name = "orders.order_items"
    other_day = date(2026, 3, 3)
    write_csv(tmp_path, name, [VALID[name], changed(name, quantity="0")])
    write_csv(tmp_path, name, [changed(name, order_item_id="ITM-0000000002")], day=other_day)
    conn, _first = ingest(tmp_path, name)
    conn, _again = ingest(tmp_path, name, conn)
    counts = conn.execute(
        "SELECT _extract_date, count(*) FROM raw.orders_order_items GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert counts == [(DAY, 1), (other_day, 1)]
    assert conn.execute("SELECT count(*) FROM ingestion_audit.rejects").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM ingestion_audit.file_loads").fetchone()[0] == 2

    write_csv(tmp_path, name, [VALID[name], changed(name, order_item_id="ITM-0000000003")])
    contract = entity(name)
    ingest_files(conn, contract, [DAY], extract_files(tmp_path, contract, [DAY]), "again")
    counts = conn.execute(
        "SELECT _extract_date, count(*) FROM raw.orders_order_items GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert counts == [(DAY, 2), (other_day, 1)]
    assert conn.execute("SELECT count(*) FROM ingestion_audit.rejects").fetchone()[0] == 0


def test_a_load_leaves_its_connection_numbering_records_in_file_order(tmp_path):
    """Loading may let DuckDB drop insertion order, but staging relies on it: the connection
    must keep it for the next entity's load."""
    write_csv(tmp_path, "orders.order_items", [VALID["orders.order_items"]])
    conn, _report = ingest(tmp_path, "orders.order_items")
    assert conn.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (True,)
