"""Are the sources healthy enough to publish? Freshness of each source's newest extract, and
the share of records ingestion rejected in this run, from the ingestion audit tables."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from cx_warehouse.contracts import SOURCES


def source_freshness(conn: duckdb.DuckDBPyConnection, reference: date | None) -> pd.DataFrame:
    """Per source: the newest extract date loaded and its age in days before `reference`
    (the run's extract date; the newest extract date of any source when there is none)."""
    frame = conn.execute(
        "SELECT source, max(extract_date) AS newest_extract FROM ingestion_audit.file_loads "
        "WHERE status = 'loaded' GROUP BY source"
    ).df()
    frame = pd.DataFrame({"source": list(SOURCES)}).merge(frame, on="source", how="left")
    newest = pd.to_datetime(frame["newest_extract"])
    reference_day = pd.Timestamp(reference) if reference else newest.max()
    frame["age_days"] = (reference_day - newest).dt.days
    return frame


def reject_rates(conn: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Per entity ingested in the run: rows read, rejected and the reject rate."""
    return conn.execute(
        "SELECT source || '.' || entity AS entity, sum(rows_read) AS rows_read, "
        "sum(rows_rejected) AS rows_rejected, "
        "coalesce(sum(rows_rejected) / nullif(sum(rows_read), 0), 0) AS reject_rate "
        "FROM ingestion_audit.file_loads WHERE run_id = ? GROUP BY ALL ORDER BY 1",
        [run_id],
    ).df()
