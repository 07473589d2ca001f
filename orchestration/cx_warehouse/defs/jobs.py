"""The nightly job: every asset of the project, for one or more extract dates."""

from __future__ import annotations

import dagster as dg

from cx_warehouse.defs.partitions import daily_extracts

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    partitions_def=daily_extracts,
    description="Ingest the day's extracts, then build everything downstream of them.",
)
