"""Incremental models give the same marts as a full refresh: the small landing zone built night
by night (all but the last extract, then the last extract as an ordinary incremental night)
against `dbt run --full-refresh` of a copy, which keeps the persona history; an extract date
ingested again leaves staging, the enriched orders, the ticket status periods and durations and
the models incremental by customer as a full refresh would, and so do records that move between
customers."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from cx_warehouse.benchmark.dbt_cli import run_dbt
from cx_warehouse.benchmark.workspace import copy_database
from tests.conftest import configure, extract_dates, run_nightly

INCREMENTAL_MARTS = [
    "marts.fct_orders",
    "marts.fct_survey_responses",
    "marts.journey_stage_friction",
]
# When the build wrote each row of an incremental table: differs between any two builds.
WRITE_TIME = "built_at"
# Incremental by a lookback window, with no load times: compared but for the write time.
INCREMENTAL_BY_WINDOW = dict.fromkeys(
    ["intermediate.int_interactions", "intermediate.int_interactions_daily"], WRITE_TIME
)
STAGING = [
    "stg_crm__customers",
    "stg_crm__touchpoints",
    "stg_orders__order_items",
    "stg_orders__orders",
    "stg_orders__returns",
    "stg_surveys__invitations",
    "stg_surveys__responses",
    "stg_tickets__agents",
    "stg_tickets__ticket_events",
    "stg_tickets__tickets",
]
# Incremental tables whose rows also carry when their records were loaded, a time that differs
# between two builds of the same extracts: table -> those columns.
LOAD_TIMES = {f"staging.{name}": f"source_loaded_at, {WRITE_TIME}" for name in STAGING} | {
    "intermediate.int_sentiment_lexicon_scores": f"source_loaded_at, {WRITE_TIME}",
    "intermediate.int_orders_enriched": f"records_loaded_at, {WRITE_TIME}",
    "intermediate.int_support_ticket_timeline": f"records_loaded_at, {WRITE_TIME}",
    "intermediate.int_support_ticket_status_periods": f"source_loaded_at, {WRITE_TIME}",
    "intermediate.int_support_ticket_durations": f"records_loaded_at, {WRITE_TIME}",
}
# Incremental by the write times of the tables they read: compared but for their own.
FOLLOWERS = dict.fromkeys(["intermediate.int_sentiment_scores"], WRITE_TIME)
# Tables incremental by customer whose rows carry when and for which as-of date they were
# computed: table -> those columns.
BUILD_TIMES = {
    "intermediate.int_customer_activity": "built_at, built_as_of_end",
    "intermediate.int_customer_active_periods": "built_at, built_as_of_end",
    "intermediate.int_journey_stage_entries": "built_at, built_as_of_end",
    "intermediate.int_journey_stage_states": "built_at",
    "intermediate.int_journey_funnel_entries": "built_at",
    "intermediate.int_kpi_observations": "built_at, built_as_of_end",
    "intermediate.int_support_ticket_metrics": "built_at, built_as_of_end",
}


def same_rows(left: pd.DataFrame, right: pd.DataFrame) -> bool:
    """Equal as sets of rows, floating-point columns within 1e-9 (aggregation order varies)."""
    if len(left) != len(right) or list(left.columns) != list(right.columns):
        return False
    floats = [c for c in left.columns if pd.api.types.is_float_dtype(left[c])]

    def canonical(frame: pd.DataFrame) -> pd.DataFrame:
        text = frame.drop(columns=floats).astype(str)  # lists and nulls as text
        return (
            pd.concat([text, frame[floats]], axis=1)
            .sort_values([*text.columns, *floats])
            .reset_index(drop=True)
        )

    left, right = canonical(left), canonical(right)
    exact = [c for c in left.columns if c not in floats]
    return left[exact].equals(right[exact]) and all(
        np.allclose(left[c], right[c], rtol=1e-9, atol=1e-9, equal_nan=True) for c in floats
    )


@pytest.fixture(scope="module")
def night_by_night(small_landing, tmp_path_factory):
    landing, truth, _ = small_landing
    root = tmp_path_factory.mktemp("night_by_night")
    with pytest.MonkeyPatch.context() as monkeypatch:
        settings = configure(monkeypatch, root, landing, truth)
        dates = extract_dates(landing)
        assert run_nightly(dates[0], dates[-2]).success
        assert run_nightly(dates[-1], dates[-1]).success
    return settings


def test_incremental_nights_equal_a_full_refresh(night_by_night, tmp_path):
    """Every mart and incremental table built night by night equals `dbt run --full-refresh`
    of every model on a copy of the same database (which keeps the persona history)."""
    conn = duckdb.connect(str(night_by_night.warehouse_db), read_only=True)
    marts = [
        f"marts.{name}"
        for (name,) in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'"
        ).fetchall()
    ]
    conn.close()
    assert set(INCREMENTAL_MARTS) <= set(marts)
    tables = dict.fromkeys(marts) | INCREMENTAL_BY_WINDOW | LOAD_TIMES | BUILD_TIMES | FOLLOWERS
    differences = differences_from_a_full_refresh(
        night_by_night.warehouse_db, tmp_path, tables, every_model=True
    )
    assert differences == []


def test_observations_keep_the_persona_of_their_moment(night_by_night):
    """The last night changed some customers' personas: their history closes the old period at
    the end of the night's as-of day, and their observations, all made before it, keep the
    persona they had then."""
    with duckdb.connect(str(night_by_night.warehouse_db), read_only=True) as conn:
        conn.execute(
            "CREATE TEMP VIEW changed AS SELECT customer_id, "
            "arg_min(persona, valid_from) AS before, max(valid_from) AS changed_at "
            "FROM intermediate.int_persona_history GROUP BY customer_id HAVING count(*) > 1"
        )
        changed = conn.execute(
            "SELECT *, (SELECT as_of_end FROM intermediate.int_as_of_date) FROM changed"
        ).fetchall()
        assert changed and all(at == as_of_end for _, _, at, as_of_end in changed)
        assert conn.execute(
            "SELECT count(*) FROM intermediate.int_kpi_observations AS observations "
            "JOIN changed USING (customer_id) WHERE observations.persona <> changed.before"
        ).fetchone() == (0,)


def csv_row(path: str, key: str, value: str) -> dict[str, str]:
    """The row of a CSV extract whose `key` column holds `value` (other rows may hold bytes that
    are not UTF-8, which the extracts carry on purpose)."""
    with open(path, newline="", encoding="utf-8", errors="replace") as file:
        return next(row for row in csv.DictReader(file) if row[key] == value)


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), quoting=csv.QUOTE_NONNUMERIC)
        writer.writeheader()
        writer.writerows(rows)


def rewrite_csv(path: Path, change) -> None:
    """Apply `change` to the rows of a CSV extract (a row is dropped when it returns None)."""
    with path.open(newline="") as file:
        rows = list(csv.DictReader(file))
    kept = [changed for row in rows if (changed := change(row)) is not None]
    write_csv(path, kept)


def copy_of_extract(landing_dir: Path, extract: str, destination: Path) -> Path:
    """A landing zone at `destination` holding only the extracts of date `extract`."""
    for folder in landing_dir.glob(f"*/*/{extract}"):
        shutil.copytree(folder, destination / folder.relative_to(landing_dir))
    return destination


def drop_record(path: Path, key: str, value: str) -> None:
    """Remove the record whose `key` holds `value` from a CSV or JSON-lines extract."""
    if path.suffix == ".csv":
        rewrite_csv(path, lambda row: None if row[key] == value else row)
        return
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(
        b"".join(line for line in lines if json.loads(line.decode(errors="replace"))[key] != value)
    )


def test_an_extract_ingested_again_replaces_its_versions_and_scores(built, tmp_path, monkeypatch):
    """An older extract date arrives again, corrected: a touch is gone, an order has another
    coupon, an order's newest version is gone, a survey comment reads differently and another
    is blanked. The incremental staging models drop the touch, take the new coupon and fall
    back to the order's earlier version, the comment is scored again and the blanked one's
    score is gone: every staging table, the lexicon scores, the enriched orders and the ticket
    status periods and durations equal a full refresh of the same raw data."""
    extract = extract_dates(built.landing_dir)[-10]
    conn = duckdb.connect(str(built.warehouse_db), read_only=True)
    (touchpoint,) = conn.execute(
        "SELECT touchpoint_id FROM raw.crm_touchpoints GROUP BY touchpoint_id "
        "HAVING bool_and(_extract_date = ?) ORDER BY touchpoint_id LIMIT 1",
        [extract],
    ).fetchone()
    order, revised_order = [
        order_id
        for (order_id,) in conn.execute(
            "SELECT order_id FROM staging.stg_orders__orders AS staged "
            "WHERE source_extract_date = ? AND EXISTS ("
            "  SELECT 1 FROM raw.orders_orders AS raw"
            "  WHERE raw.order_id = staged.order_id AND raw._extract_date < ?) "
            "ORDER BY order_id LIMIT 2",
            [extract, extract],
        ).fetchall()
    ]
    response, blanked_response = [
        response_id
        for (response_id,) in conn.execute(
            "SELECT response_id FROM staging.stg_surveys__responses "
            "WHERE source_extract_date = ? AND comment IS NOT NULL ORDER BY response_id LIMIT 2",
            [extract],
        ).fetchall()
    ]
    conn.close()

    landing = copy_of_extract(built.landing_dir, extract, tmp_path / "landing_again")
    rewrite_csv(
        next((landing / "crm" / "touchpoints" / extract).glob("*.csv")),
        lambda row: None if row["touchpoint_id"] == touchpoint else row,
    )
    rewrite_csv(
        next((landing / "orders" / "orders" / extract).glob("*.csv")),
        lambda row: (
            None
            if row["order_id"] == revised_order
            else {**row, "coupon_code": "AGAIN"}
            if row["order_id"] == order
            else row
        ),
    )
    rewrite_csv(
        next((landing / "surveys" / "responses" / extract).glob("*.csv")),
        lambda row: (
            {**row, "comment": "Terrible, awful"}
            if row["response_id"] == response
            else {**row, "comment": ""}
            if row["response_id"] == blanked_response
            else row
        ),
    )
    settings = configure(monkeypatch, tmp_path, landing, built.ground_truth_dir)
    run_night(extract)

    conn = duckdb.connect()
    conn.execute(f"ATTACH '{settings.warehouse_db}' AS nightly (READ_ONLY)")
    assert not conn.execute(
        "SELECT count(*) FROM nightly.staging.stg_crm__touchpoints WHERE touchpoint_id = ?",
        [touchpoint],
    ).fetchone()[0]
    assert conn.execute(
        "SELECT coupon_code FROM nightly.staging.stg_orders__orders WHERE order_id = ?", [order]
    ).fetchone() == ("AGAIN",)
    assert conn.execute(
        "SELECT source_extract_date < ? FROM nightly.staging.stg_orders__orders WHERE order_id = ?",
        [extract, revised_order],
    ).fetchone() == (True,)
    assert conn.execute(
        "SELECT sentiment_label FROM nightly.intermediate.int_sentiment_scores WHERE text_id = ?",
        [f"response:{response}"],
    ).fetchone() == ("negative",)
    for scored in ["int_sentiment_lexicon_scores", "int_sentiment_scores"]:
        assert not conn.execute(
            f"SELECT count(*) FROM nightly.intermediate.{scored} WHERE text_id = ?",
            [f"response:{blanked_response}"],
        ).fetchone()[0]
    conn.close()
    # Load times are compared too: the full refresh runs on a copy of the same raw tables.
    compared = dict.fromkeys(LOAD_TIMES, WRITE_TIME) | BUILD_TIMES | FOLLOWERS
    assert differences_from_a_full_refresh(settings.warehouse_db, tmp_path, compared) == []


# Records that can leave an extract loaded again: (extract folder, raw table, staging model, key,
# parent key, the parent's raw table).
LONE_RECORDS = {
    "return": (
        "returns",
        "orders_returns",
        "stg_orders__returns",
        "return_id",
        "order_id",
        "orders_orders",
    ),
    "touch": (
        "touchpoints",
        "crm_touchpoints",
        "stg_crm__touchpoints",
        "touchpoint_id",
        "customer_id",
        "crm_customers",
    ),
    "ticket event": (
        "ticket_events",
        "tickets_ticket_events",
        "stg_tickets__ticket_events",
        "event_id",
        "ticket_id",
        "tickets_tickets",
    ),
}
# Incremental by record, ticket or customer: a night rewrites part of their rows.
RECOMPUTED_IN_PART = [
    "int_orders_enriched",
    "int_support_ticket_timeline",
    "int_support_ticket_durations",
    "int_support_ticket_status_periods",
    "int_sentiment_lexicon_scores",
    "int_customer_activity",
    "int_customer_active_periods",
    "int_journey_stage_entries",
    "int_kpi_observations",
]


@pytest.fixture
def built_night_by_night(night_by_night, tmp_path, monkeypatch):
    """A private copy of the database built night by night (its last night loaded the last
    extract date alone)."""
    settings = configure(
        monkeypatch, tmp_path, night_by_night.landing_dir, night_by_night.ground_truth_dir
    )
    shutil.copytree(night_by_night.warehouse_db.parent, settings.warehouse_db.parent)
    return settings


def lone_records(warehouse_db: Path, extract: str, kinds: list[str]) -> dict[str, tuple]:
    """For each kind of LONE_RECORDS, one record of `extract` that is the only version of itself
    and the only record of its parent (order, customer, ticket) in that extract: without it the
    extract loaded again stages nothing of the parent. kind -> (folder, staging model, key,
    value)."""
    found = {}
    with duckdb.connect(str(warehouse_db), read_only=True) as conn:
        for kind in kinds:
            folder, source, staged, key, parent, parent_source = LONE_RECORDS[kind]
            raw = f"raw.{source}"
            record = conn.execute(
                f"SELECT {key} FROM {raw} AS record WHERE _extract_date = ? "
                f"AND NOT EXISTS (SELECT 1 FROM {raw} AS other"
                f"  WHERE other.{key} = record.{key} AND other._extract_date <> ?) "
                f"AND {parent} NOT IN ("
                f"  SELECT {parent} FROM raw.{parent_source} WHERE _extract_date = ?"
                f"  UNION ALL SELECT {parent} FROM {raw}"
                f"  WHERE _extract_date = ? AND {key} <> record.{key}) "
                f"ORDER BY {key} LIMIT 1",
                [extract] * 4,
            ).fetchone()
            assert record, f"the small landing has no {kind} alone in its extract {extract}"
            found[kind] = (folder, staged, key, record[0])
    return found


def load_again_without(
    settings, extract: str, gone: dict[str, tuple], tmp_path: Path, monkeypatch
) -> datetime:
    """Run the night of `extract` again on a copy of its extracts without the `gone` records;
    check they left staging; return when the night started."""
    landing = copy_of_extract(settings.landing_dir, extract, tmp_path / "landing_again")
    for folder, _, key, value in gone.values():
        drop_record(next(landing.glob(f"*/{folder}/{extract}/part-*")), key, value)
    reloading = configure(monkeypatch, tmp_path, landing, settings.ground_truth_dir)
    night_start = datetime.now(UTC)
    run_night(extract)
    with duckdb.connect(str(reloading.warehouse_db), read_only=True) as nightly:
        for _, staged, key, value in gone.values():
            assert nightly.execute(
                f"SELECT count(*) FROM staging.{staged} WHERE {key} = ?", [value]
            ).fetchone() == (0,)
    return night_start


def rewritten_shares(warehouse_db: Path, since: datetime) -> dict[str, float]:
    """Each RECOMPUTED_IN_PART table's share of rows written since `since`."""
    with duckdb.connect(str(warehouse_db), read_only=True) as conn:
        return {
            table: conn.execute(
                "SELECT count(*) FILTER (WHERE built_at >= ?) / count(*) "
                f"FROM intermediate.{table}",
                [since],
            ).fetchone()[0]
            for table in RECOMPUTED_IN_PART
        }


def test_a_night_run_again_recomputes_what_its_extracts_no_longer_hold(
    built_night_by_night, tmp_path, monkeypatch
):
    """The last night is run again on its extracts, which no longer hold a return, a touch and
    a ticket event, each alone in that extract (nothing of their order, customer or ticket is
    staged again). The order and the ticket are recomputed because they were built from that
    extract, the customer because the last night marked it; every incremental table equals a
    full refresh, and those incremental by record, ticket or customer rewrite part of their
    rows, not all."""
    settings = built_night_by_night
    extract = extract_dates(settings.landing_dir)[-1]
    gone = lone_records(settings.warehouse_db, extract, list(LONE_RECORDS))
    night_start = load_again_without(settings, extract, gone, tmp_path, monkeypatch)

    shares = rewritten_shares(settings.warehouse_db, night_start)
    assert all(0 < share < 0.5 for share in shares.values()), shares
    compared = dict.fromkeys(LOAD_TIMES, WRITE_TIME) | BUILD_TIMES | FOLLOWERS
    assert differences_from_a_full_refresh(settings.warehouse_db, tmp_path, compared) == []


def test_an_extract_older_than_the_last_night_loaded_again_recomputes_every_customer(
    built_night_by_night, tmp_path, monkeypatch
):
    """The extract before the last night's is loaded again without a touch alone in it. The
    last night did not load that extract, so nothing tells which customers its records had:
    every customer is recomputed, and the tables incremental by customer equal a full
    refresh."""
    settings = built_night_by_night
    extract = extract_dates(settings.landing_dir)[-2]
    gone = lone_records(settings.warehouse_db, extract, ["touch"])
    night_start = load_again_without(settings, extract, gone, tmp_path, monkeypatch)

    assert rewritten_shares(settings.warehouse_db, night_start)["int_customer_activity"] == 1
    compared = dict.fromkeys(LOAD_TIMES, WRITE_TIME) | BUILD_TIMES | FOLLOWERS
    assert differences_from_a_full_refresh(settings.warehouse_db, tmp_path, compared) == []


def test_records_that_move_recompute_every_journey_they_touch(built, tmp_path, monkeypatch):
    """A new extract date moves a touch that gave its customer a journey stage to another
    customer, moves the only order of a customer to that customer too, gives a customer whose
    ticket was matched by email a new email, and adds a customer with the email of another
    customer's matched ticket (no longer unique). None of the tickets is loaded again, and
    neither is the second ticket's customer: the enriched orders, the tickets' timeline and the
    journey entries, states and KPI observations (incremental by customer or ticket) of every
    customer equal a full refresh, the order's first customer has no order left, and the
    three customers lost those entries. A second night moves the touch back and restores the
    first customer's email: again equal, and the entries are back."""
    conn = duckdb.connect(str(built.warehouse_db), read_only=True)
    touch_id, touch_owner, touch_file, touch_entered_at = conn.execute(
        "SELECT touches.touchpoint_id, touches.customer_id, touches.source_file, "
        "touches.occurred_at "
        "FROM staging.stg_crm__touchpoints AS touches "
        "JOIN intermediate.int_journey_stage_entries AS entries "
        "  ON entries.customer_id = touches.customer_id "
        "  AND entries.entered_at = touches.occurred_at "
        "  AND entries.entry_signal = 'touch_' || touches.touchpoint_type "
        "WHERE entries.journey_stage = 'consideration' AND NOT EXISTS ("
        "  SELECT 1 FROM staging.stg_crm__touchpoints AS twin"
        "  WHERE twin.customer_id = touches.customer_id"
        "  AND twin.occurred_at = touches.occurred_at"
        "  AND twin.touchpoint_id <> touches.touchpoint_id) "
        "ORDER BY touches.touchpoint_id LIMIT 1"
    ).fetchone()
    (new_owner,) = conn.execute(
        "SELECT customer_id FROM staging.stg_crm__customers WHERE customer_id <> ? "
        "ORDER BY customer_id LIMIT 1",
        [touch_owner],
    ).fetchone()
    order_id, order_owner, order_file = conn.execute(
        "SELECT order_id, customer_id, source_file FROM staging.stg_orders__orders "
        "WHERE customer_id NOT IN (?, ?) AND customer_id IN ("
        "  SELECT customer_id FROM staging.stg_orders__orders"
        "  GROUP BY customer_id HAVING count(*) = 1) "
        "ORDER BY order_id LIMIT 1",
        [touch_owner, new_owner],
    ).fetchone()
    email_matched = conn.execute(
        "SELECT timeline.customer_id, timeline.created_at, customers.email, customers.source_file "
        "FROM intermediate.int_support_ticket_timeline AS timeline "
        "JOIN intermediate.int_journey_stage_entries AS entries "
        "  ON entries.customer_id = timeline.customer_id "
        "  AND entries.entered_at = timeline.created_at "
        "  AND entries.entry_signal = 'support_contact' "
        "JOIN staging.stg_crm__customers AS customers "
        "  ON customers.customer_id = timeline.customer_id "
        "WHERE timeline.match_rule = 'email' AND timeline.customer_id <> ? "
        "ORDER BY timeline.ticket_id LIMIT 2",
        [touch_owner],
    ).fetchall()
    conn.close()
    assert len({customer for customer, *_ in email_matched}) == 2
    (
        (renamed, renamed_contact_at, _, renamed_file),
        (shared, shared_contact_at, email, shared_file),
    ) = email_matched

    extract = (pd.Timestamp(extract_dates(built.landing_dir)[-1]) + pd.Timedelta(days=1)).date()
    stamp = f"{extract}T00:00:00Z"
    landing = tmp_path / "landing_moves"
    moved_touch = {**csv_row(touch_file, "touchpoint_id", touch_id), "customer_id": new_owner}
    write_csv(landing / "crm" / "touchpoints" / str(extract) / "part-0000.csv", [moved_touch])
    moved_order = {
        **csv_row(order_file, "order_id", order_id),
        "customer_id": new_owner,
        "updated_at": stamp,
    }
    write_csv(landing / "orders" / "orders" / str(extract) / "part-0000.csv", [moved_order])
    # Without a unique email or phone, the requester matches no one.
    renamed_row = {
        **csv_row(renamed_file, "customer_id", renamed),
        "email": f"renamed.{renamed}@example.org",
        "phone": "",
        "updated_at": stamp,
    }
    newcomer = {
        **csv_row(shared_file, "customer_id", shared),
        "customer_id": "CUS-9999999",
        "email": email,
        "created_at": stamp,
        "updated_at": stamp,
    }
    customers_csv = landing / "crm" / "customers" / str(extract) / "part-0000.csv"
    write_csv(customers_csv, [renamed_row, newcomer])
    # Only the CRM and the order system send extracts on these two days.
    monkeypatch.setenv("CX_MAX_EXTRACT_AGE_DAYS", "2")
    settings = configure(monkeypatch, tmp_path, landing, built.ground_truth_dir)
    run_night(extract)
    lost = [
        (touch_owner, touch_entered_at, "touch_"),
        (renamed, renamed_contact_at, "support_contact"),
        (shared, shared_contact_at, "support_contact"),
    ]
    assert [entry for entry in lost if has_entry(settings.warehouse_db, *entry)] == []
    with duckdb.connect(str(settings.warehouse_db), read_only=True) as conn:
        assert conn.execute(
            "SELECT customer_id FROM intermediate.int_orders_enriched WHERE order_id = ? "
            "UNION ALL SELECT customer_id FROM intermediate.int_orders_enriched "
            "WHERE customer_id = ?",
            [order_id, order_owner],
        ).fetchall() == [(new_owner,)]
    # Compared too: the orders (incremental by customer), the tickets' timeline (incremental
    # by ticket, though no ticket was loaded) and the texts' sentiment (whose customer moved).
    tables = (
        BUILD_TIMES
        | FOLLOWERS
        | {
            "intermediate.int_orders_enriched": WRITE_TIME,
            "intermediate.int_support_ticket_timeline": WRITE_TIME,
        }
    )
    assert differences_from_a_full_refresh(settings.warehouse_db, tmp_path / "first", tables) == []

    # The next night moves the touch back and gives the renamed customer their email and phone
    # again: an incremental night after an incremental night.
    extract += timedelta(days=1)
    stamp = f"{extract}T00:00:00Z"
    moved_back = {**moved_touch, "customer_id": touch_owner}
    write_csv(landing / "crm" / "touchpoints" / str(extract) / "part-0000.csv", [moved_back])
    restored = {**csv_row(renamed_file, "customer_id", renamed), "updated_at": stamp}
    write_csv(landing / "crm" / "customers" / str(extract) / "part-0000.csv", [restored])
    run_night(extract)
    assert [entry for entry in lost[:2] if not has_entry(settings.warehouse_db, *entry)] == []
    assert differences_from_a_full_refresh(settings.warehouse_db, tmp_path / "second", tables) == []


def run_night(extract) -> None:
    result = run_nightly(str(extract), str(extract))
    assert result.success, [e.message for e in result.all_events if e.is_step_failure]


def has_entry(warehouse_db: Path, customer: str, entered_at, signal: str) -> bool:
    """Whether the customer has a journey stage entry at that moment by a signal so named."""
    with duckdb.connect(str(warehouse_db), read_only=True) as conn:
        return conn.execute(
            "SELECT count(*) > 0 FROM intermediate.int_journey_stage_entries "
            "WHERE customer_id = ? AND entered_at = ? AND starts_with(entry_signal, ?)",
            [customer, entered_at, signal],
        ).fetchone()[0]


def differences_from_a_full_refresh(
    warehouse_db: Path,
    folder: Path,
    tables: dict[str, str | None] = BUILD_TIMES,
    every_model: bool = False,
) -> list[str]:
    """The `tables` whose rows differ from `dbt run --full-refresh` of them (of every model when
    `every_model`) on a copy of the database in `folder`, leaving out each table's excluded
    columns (None: none)."""
    full_refresh = copy_database(warehouse_db, folder / "full_refresh")
    selection = [] if every_model else ["--select", *(t.split(".")[1] for t in tables)]
    run_dbt(["run", "--full-refresh", *selection], full_refresh, folder / "full_refresh")
    conn = duckdb.connect()
    conn.execute(f"ATTACH '{warehouse_db}' AS nightly (READ_ONLY)")
    conn.execute(f"ATTACH '{full_refresh}' AS full_refresh (READ_ONLY)")
    columns = {t: f"* EXCLUDE ({excluded})" if excluded else "*" for t, excluded in tables.items()}
    return [
        table
        for table in tables
        if not same_rows(
            conn.execute(f"SELECT {columns[table]} FROM nightly.{table}").df(),
            conn.execute(f"SELECT {columns[table]} FROM full_refresh.{table}").df(),
        )
    ]
