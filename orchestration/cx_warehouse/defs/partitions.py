"""Extract dates are Dagster's daily partitions: the nightly run ingests yesterday's extracts."""

from __future__ import annotations

import dagster as dg

from cx_warehouse.settings import load_settings

daily_extracts = dg.DailyPartitionsDefinition(
    start_date=load_settings().first_extract_date.isoformat(), timezone="UTC"
)
