"""Publication: once every blocking check of the run passed, copy the marts to a new versioned
publication (DuckDB 1.x-readable file + Parquet) and switch `current` to it atomically."""

from datetime import date

import dagster as dg
import duckdb
import pandas as pd
from dbt.version import __version__ as dbt_version

from cx_warehouse.defs.quality import MART_KEYS, MARTS, SOURCE_HEALTH, run_extract_date
from cx_warehouse.defs.resources import WarehouseResource
from cx_warehouse.markdown import markdown_table
from cx_warehouse.publication.publish import publish
from cx_warehouse.publication.store import PublicationStore
from cx_warehouse.settings import load_settings
from cx_warehouse.warehouse import connect

PUBLICATION = dg.AssetKey(["publication", "marts"])


def _run_checks(context: dg.AssetExecutionContext) -> list[dict]:
    """Every asset check evaluated in this run so far (dbt tests, source health, GE)."""
    records = context.instance.get_records_for_run(
        run_id=context.run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    checks = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        checks.append(
            {
                "asset": evaluation.asset_key.to_user_string(),
                "check": evaluation.check_name,
                "passed": evaluation.passed,
                "severity": evaluation.severity.value,
                "description": evaluation.description,
            }
        )
    return checks


def _as_of_date(conn: duckdb.DuckDBPyConnection) -> date | None:
    return conn.execute("SELECT max(as_of_date) FROM intermediate.int_as_of_date").fetchone()[0]


@dg.asset(
    key=PUBLICATION,
    group_name="publication",
    deps=[*MART_KEYS, SOURCE_HEALTH],
    kinds={"duckdb", "parquet"},
    retry_policy=dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL),
    description="The marts for BI tools and reports: <publication>/current/marts.duckdb "
    "(open read-only; DuckDB 1.x readable) and <publication>/current/parquet/<mart>/*.parquet,"
    " with manifest.json. Runs only when every blocking check passed; rewrites only the "
    "partitions whose rows changed since the previous version.",
)
def published_marts(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    settings = load_settings()
    store = PublicationStore(settings.publication_dir)
    checks = _run_checks(context)
    failed = [
        f"{c['asset']}:{c['check']}" for c in checks if not c["passed"] and c["severity"] == "ERROR"
    ]
    validated = {c["asset"] for c in checks if c["check"] == "great_expectations" and c["passed"]}
    unvalidated = [k.to_user_string() for k in MART_KEYS if k.to_user_string() not in validated]
    if failed or unvalidated:
        # Blocking checks already stop a run before this step; this also refuses a run that
        # did not validate every mart (e.g. the publication materialized on its own).
        raise dg.Failure(
            "not publishing: "
            + "; ".join(
                filter(
                    None,
                    [
                        failed and "failed checks " + ", ".join(failed),
                        unvalidated and "not validated in this run: " + ", ".join(unvalidated),
                    ],
                )
            )
        )
    with warehouse.writer_lock():
        with connect(warehouse.path, read_only=True) as conn:
            as_of = _as_of_date(conn)
        extract_date = run_extract_date(context)
        publication = publish(
            build_db=warehouse.path,
            store=store,
            marts={key.path[-1]: MARTS[key.path[-1]].publication_partition_by for key in MART_KEYS},
            run_id=context.run.run_id,
            keep=settings.publication_keep,
            details={
                "as_of_date": as_of,
                "extract_date": extract_date,
                "dbt_version": dbt_version,
                "dbt_target": settings.dbt_target,
                "checks": checks,
                "validation_report": f"validations/{context.run.run_id}.json",
            },
        )
    rows = {name: shape["rows"] for name, shape in publication.manifest["marts"].items()}
    context.log.info(f"published {publication.version} to {store.current_link}")
    return dg.MaterializeResult(
        metadata={
            "version": publication.version,
            "path": dg.MetadataValue.path(str(store.current_link / "marts.duckdb")),
            "marts": len(rows),
            "rows": dg.MetadataValue.md(
                markdown_table(pd.DataFrame({"mart": list(rows), "rows": list(rows.values())}))
            ),
            "checks_passed": sum(c["passed"] for c in checks),
            "checks_warned": sum(not c["passed"] for c in checks),
        }
    )
