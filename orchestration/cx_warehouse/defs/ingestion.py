"""One asset per source entity: its daily extracts loaded into `raw.<source>_<entity>`."""

import warnings
from datetime import date

import dagster as dg

from cx_warehouse.contracts import Column, Entity, load_contracts
from cx_warehouse.defs.partitions import daily_extracts
from cx_warehouse.defs.resources import WarehouseResource
from cx_warehouse.ingestion.discovery import extract_files
from cx_warehouse.ingestion.loading import ExtractFileError, IngestionReport, ingest_files
from cx_warehouse.ingestion.validation import SQL_TYPES
from cx_warehouse.settings import load_settings

OWNER = "team:cx-analytics"
FILE_SCHEMA = dg.TableSchema(
    columns=[
        dg.TableColumn("file", "string"),
        dg.TableColumn("extract_date", "date"),
        dg.TableColumn("status", "string"),
        dg.TableColumn("rows_read", "int"),
        dg.TableColumn("rows_loaded", "int"),
        dg.TableColumn("rows_rejected", "int"),
        dg.TableColumn("unknown_columns", "string"),
        dg.TableColumn("error", "string"),
    ]
)
MAX_FILE_ROWS = 200  # files listed in metadata; the audit table holds them all


def raw_asset_key(entity: Entity) -> dg.AssetKey:
    return dg.AssetKey(["raw", entity.source, entity.name])


def _column_description(column: Column) -> str:
    rules = [] if column.nullable else ["required"]
    if column.values:
        rules.append("one of " + ", ".join(column.values))
    if column.pattern:
        rules.append(f"format {column.pattern}")
    if column.min is not None:
        rules.append(f">= {column.min}")
    if column.max is not None:
        rules.append(f"<= {column.max}")
    return "; ".join(filter(None, [column.description, *rules]))


def column_schema(entity: Entity) -> dg.TableSchema:
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                c.name,
                SQL_TYPES[c.type].lower(),
                description=_column_description(c),
                constraints=dg.TableColumnConstraints(nullable=c.nullable),
            )
            for c in entity.columns
        ]
    )


def report_metadata(report: IngestionReport) -> dict[str, dg.MetadataValue]:
    noteworthy = [f for f in report.files if f.rows_rejected or f.unknown_columns or f.error]
    listed = (noteworthy or report.files)[:MAX_FILE_ROWS]
    records = [
        dg.TableRecord(
            {
                "file": str(f.path),
                "extract_date": f.extract_date.isoformat(),
                "status": f.status,
                "rows_read": f.rows_read,
                "rows_loaded": f.rows_loaded,
                "rows_rejected": f.rows_rejected,
                "unknown_columns": ", ".join(f.unknown_columns),
                "error": f.error or "",
            }
        )
        for f in listed
    ]
    read = report.total("rows_read")
    rejected = report.total("rows_rejected")
    return {
        "extract_dates": dg.MetadataValue.text(
            f"{min(report.dates)} .. {max(report.dates)}" if report.dates else "none"
        ),
        "files": dg.MetadataValue.int(len(report.files)),
        "rows_read": dg.MetadataValue.int(read),
        "rows_loaded": dg.MetadataValue.int(report.total("rows_loaded")),
        "rows_rejected": dg.MetadataValue.int(rejected),
        "reject_rate": dg.MetadataValue.float(rejected / read if read else 0.0),
        "files_with_findings": dg.MetadataValue.table(records, schema=FILE_SCHEMA),
    }


def build_ingestion_asset(entity: Entity) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(entity),
        group_name=f"ingest_{entity.source}",
        description=(
            f"{entity.description} Loaded from "
            f"<landing>/{entity.source}/{entity.name}/<date>/part-*.{entity.format} into "
            f"raw.{entity.raw_table}; rejected records go to ingestion_audit.rejects."
        ),
        partitions_def=daily_extracts,
        backfill_policy=dg.BackfillPolicy.single_run(),
        kinds={"duckdb", entity.format},
        owners=[OWNER],
        tags={"layer": "ingestion", "source": entity.source},
        metadata={
            "dagster/column_schema": column_schema(entity),
            "contract": f"orchestration/cx_warehouse/contracts/{entity.source}.yml",
        },
    )
    def ingest(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        dates = [date.fromisoformat(key) for key in context.partition_keys]
        files = extract_files(load_settings().landing_dir, entity, dates)
        context.log.info(f"{entity.qualified_name}: {len(files)} file(s) for {len(dates)} date(s)")
        with warehouse.write() as connection:
            try:
                report = ingest_files(connection, entity, dates, files, context.run.run_id)
            except ExtractFileError as error:
                raise dg.Failure(
                    description=str(error), metadata=report_metadata(error.report)
                ) from error
        return dg.MaterializeResult(metadata=report_metadata(report))

    return ingest


with warnings.catch_warnings():
    # The single-run backfill policy (a whole date range in one run) is a beta Dagster API.
    warnings.simplefilter("ignore", dg.BetaWarning)
    ingestion_assets = [build_ingestion_asset(entity) for entity in load_contracts()]
