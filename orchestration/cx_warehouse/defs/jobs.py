"""Jobs: the nightly build (everything, for one or more extract dates) and a publish job that
re-validates the current build and publishes it (e.g. after a fix)."""

import dagster as dg

from cx_warehouse.defs.hooks import alert_on_failure
from cx_warehouse.defs.publication import PUBLICATION
from cx_warehouse.defs.quality import MART_KEYS
from cx_warehouse.defs.reports import REPORTS

# With run monitoring on (see instance.py), a run killed without a trace fails after this long
# instead of holding the run queue.
RUN_LIMITS = {"dagster/max_runtime": str(3 * 60 * 60)}

nightly_job = dg.define_asset_job(
    "nightly",
    selection=dg.AssetSelection.all(),
    description="Ingest the day's extracts, build and test the warehouse (dbt), run the quality "
    "gate, publish the marts and render the reports.",
    hooks={alert_on_failure},
    tags=RUN_LIMITS,
)

publish_job = dg.define_asset_job(
    "publish",
    selection=dg.AssetSelection.assets(PUBLICATION, REPORTS)
    | dg.AssetSelection.checks_for_assets(*MART_KEYS),
    description="Validate the marts already built, publish them when the checks pass and "
    "render the reports.",
    hooks={alert_on_failure},
    tags=RUN_LIMITS,
)
