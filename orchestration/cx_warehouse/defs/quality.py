"""The quality gate in Dagster: source health (freshness, reject rates) and the Great
Expectations suites of every mart, as blocking asset checks. Nothing downstream - the
publication - runs when one of them fails."""

import json
from datetime import date

import dagster as dg
import pandas as pd

from cx_warehouse.contracts import load_contracts
from cx_warehouse.defs.dbt import dbt_project
from cx_warehouse.defs.ingestion import raw_asset_key
from cx_warehouse.defs.resources import WarehouseResource
from cx_warehouse.markdown import markdown_table
from cx_warehouse.publication.store import DATABASE, PublicationStore
from cx_warehouse.quality.mart_contracts import mart_contracts
from cx_warehouse.quality.source_health import reject_rates, source_freshness
from cx_warehouse.quality.validation import MartValidation, MartValidator
from cx_warehouse.runner import RANGE_END
from cx_warehouse.settings import load_settings
from cx_warehouse.warehouse import connect

SOURCE_HEALTH = dg.AssetKey(["quality", "source_health"])
MARTS = mart_contracts(dbt_project.manifest_path)
MART_KEYS = [dg.AssetKey(["marts", name]) for name in sorted(MARTS)]


def run_extract_date(context) -> date | None:
    """The last extract date the run ingests (its partition), if any."""
    tags = context.run.tags
    key = tags.get(RANGE_END) or tags.get("dagster/partition")
    return date.fromisoformat(key) if key else None


def _table(frame: pd.DataFrame) -> dg.MetadataValue:
    return dg.MetadataValue.md(markdown_table(frame))


@dg.asset(
    key=SOURCE_HEALTH,
    group_name="quality",
    deps=[raw_asset_key(entity) for entity in load_contracts()],
    kinds={"duckdb"},
    description="Freshness of every source's newest extract and the reject rate of every entity "
    "ingested in the run; a stale source or too many rejects blocks publication.",
    check_specs=[
        dg.AssetCheckSpec(
            "freshness",
            asset=SOURCE_HEALTH,
            blocking=True,
            description="Every source has an extract at most CX_MAX_EXTRACT_AGE_DAYS "
            "days older than the run's extract date.",
        ),
        dg.AssetCheckSpec(
            "reject_rate",
            asset=SOURCE_HEALTH,
            blocking=True,
            description="No entity ingested in the run had more than "
            "CX_MAX_REJECT_RATE of its records rejected.",
        ),
    ],
)
def source_health(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    settings = load_settings()
    with warehouse.write() as conn:
        freshness = source_freshness(conn, run_extract_date(context))
        rejects = reject_rates(conn, context.run.run_id)
    stale = freshness[
        freshness["age_days"].isna() | (freshness["age_days"] > settings.max_extract_age_days)
    ]
    rejecting = rejects[rejects["reject_rate"] > settings.max_reject_rate]
    yield dg.MaterializeResult(
        metadata={"freshness": _table(freshness), "reject_rates": _table(rejects)}
    )
    yield _bound_check(
        "freshness",
        stale,
        "source",
        "all sources are fresh",
        "stale sources",
        "max_age_days",
        settings.max_extract_age_days,
    )
    yield _bound_check(
        "reject_rate",
        rejecting,
        "entity",
        "reject rates within bounds",
        "too many rejects",
        "max_reject_rate",
        settings.max_reject_rate,
    )


def _bound_check(
    name: str,
    offenders: pd.DataFrame,
    named_by: str,
    passing: str,
    failing: str,
    bound_name: str,
    bound: float,
) -> dg.AssetCheckResult:
    """A blocking check that passes when no row of `offenders` broke its bound."""
    return dg.AssetCheckResult(
        check_name=name,
        passed=offenders.empty,
        severity=dg.AssetCheckSeverity.ERROR,
        description=passing if offenders.empty else f"{failing}: " + ", ".join(offenders[named_by]),
        metadata={"over_the_bound": _table(offenders), bound_name: bound},
    )


def _current_publication(store: PublicationStore) -> tuple[dict[str, int], pd.DataFrame | None]:
    """Row counts of the current publication, and its monthly KPIs (for the jump warning)."""
    manifest = store.current_manifest()
    if manifest is None:
        return {}, None
    rows = {name: shape["rows"] for name, shape in manifest["marts"].items()}
    with connect(store.current_dir() / DATABASE, read_only=True) as published:
        kpis = published.execute(
            "SELECT kpi, period_start, value FROM kpi_scorecard "
            "WHERE period_grain = 'month' AND slice_type = 'all'"
        ).df()
    return rows, kpis


def _check_result(validation: MartValidation) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(["marts", validation.mart]),
        check_name="great_expectations",
        passed=validation.passed,
        severity=(
            dg.AssetCheckSeverity.ERROR if validation.failures else dg.AssetCheckSeverity.WARN
        ),
        description=(
            f"{len(validation.failures)} failed, {len(validation.warnings)} warnings "
            f"of {len(validation.findings)} expectations"
        ),
        metadata={
            "rows": validation.rows,
            "validated_rows": validation.validated_rows,
            "failed": len(validation.failures),
            "warnings": len(validation.warnings),
            "report": dg.MetadataValue.md(validation.markdown()),
        },
    )


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            "great_expectations",
            asset=key,
            blocking=True,
            description="The mart's Great Expectations suite: contract schema "
            "and types, keys, values, ranges, completeness, row "
            "count against the current publication.",
        )
        for key in MART_KEYS
    ],
)
def mart_expectations(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    settings = load_settings()
    store = PublicationStore(settings.publication_dir)
    previous_rows, previous_kpis = _current_publication(store)
    with warehouse.writer_lock(), connect(warehouse.path, read_only=True) as conn:
        validator = MartValidator(
            conn,
            settings.validation_max_rows,
            settings.max_mart_shrink,
            settings.max_kpi_change,
            previous_rows,
            previous_kpis,
        )
        validations = [validator.validate(MARTS[key.path[-1]]) for key in MART_KEYS]
    report = settings.publication_dir / "validations" / f"{context.run.run_id}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps([v.to_dict() for v in validations], indent=2, default=str))
    context.log.info(f"validation results: {report}")
    for validation in validations:
        yield _check_result(validation)
