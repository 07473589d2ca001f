"""The nightly job: every asset of the project, for one or more extract dates (partitions)."""

from __future__ import annotations

import dagster as dg

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    description="Ingest the day's extracts, then build everything downstream of them.",
)
