"""Incremental models give the same marts as a full build: the small landing zone built in one
run (the nightly_build fixture) against the same data built night by night (all but the last
extract, then the last extract as an ordinary incremental night)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.conftest import configure, extract_dates, run_nightly

INCREMENTAL = ["marts.fct_orders", "marts.fct_survey_responses", "intermediate.int_interactions"]


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


def test_incremental_nights_equal_a_full_build(nightly_build, night_by_night):
    full, _ = nightly_build
    conn = duckdb.connect()
    conn.execute(f"ATTACH '{full.warehouse_db}' AS full_build (READ_ONLY)")
    conn.execute(f"ATTACH '{night_by_night.warehouse_db}' AS nightly (READ_ONLY)")
    tables = [
        f"marts.{name}"
        for (name,) in conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_catalog = 'full_build' AND table_schema = 'marts'"
        ).fetchall()
    ]
    assert set(INCREMENTAL) - {"intermediate.int_interactions"} <= set(tables)
    for table in [*tables, "intermediate.int_interactions"]:
        left = conn.execute(f"SELECT * FROM full_build.{table}").df()
        right = conn.execute(f"SELECT * FROM nightly.{table}").df()
        assert len(left) > 0, table
        assert same_rows(left, right), f"{table} differs"
