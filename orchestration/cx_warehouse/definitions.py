"""The Dagster code location of cx-warehouse (`dagster dev` loads it via pyproject.toml)."""

import dagster as dg

from cx_warehouse.defs.automation import new_extract_sensor, nightly_schedule
from cx_warehouse.defs.dbt import cx_dbt_models, dbt_resource
from cx_warehouse.defs.ingestion import ingestion_assets
from cx_warehouse.defs.jobs import nightly_job, publish_job
from cx_warehouse.defs.publication import published_marts
from cx_warehouse.defs.quality import mart_expectations, source_health
from cx_warehouse.defs.reports import cx_reports
from cx_warehouse.defs.resources import warehouse_resource
from cx_warehouse.settings import load_settings


def build_definitions() -> dg.Definitions:
    """Definitions for the current settings (read from the environment and `.env`)."""
    load_settings().export_to_environ()
    return dg.Definitions(
        assets=[*ingestion_assets, cx_dbt_models, source_health, published_marts, cx_reports],
        asset_checks=[mart_expectations],
        jobs=[nightly_job, publish_job],
        schedules=[nightly_schedule],
        sensors=[new_extract_sensor],
        resources={"warehouse": warehouse_resource(), "dbt": dbt_resource()},
        # One step at a time: DuckDB allows a single writer, and in-process steps start fast.
        executor=dg.in_process_executor,
    )


defs = build_definitions()
