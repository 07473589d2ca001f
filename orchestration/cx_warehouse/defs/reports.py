"""The HTML reports, rendered from the current publication right after it is published."""

import dagster as dg

from cx_warehouse.defs.publication import PUBLICATION
from cx_warehouse.reports.site import render_site
from cx_warehouse.settings import PROJECT_ROOT, load_settings

REPORTS = dg.AssetKey(["reports", "html"])
REPORT_PAGES = PROJECT_ROOT / "reports" / "pages"


@dg.asset(
    key=REPORTS,
    group_name="reports",
    deps=[PUBLICATION],
    kinds={"html"},
    description="Static HTML CX reports (reports/pages/*.md) rendered from the current "
    "publication into CX_REPORTS_DIR; open index.html, no network needed.",
)
def cx_reports(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = load_settings()
    site = render_site(settings.publication_dir, REPORT_PAGES, settings.reports_dir)
    for error in site.errors:
        context.log.error(str(error))
    if site.errors:
        # The pages without errors are written; the run fails so the broken ones get fixed.
        raise dg.Failure(
            description=f"{len(site.errors)} report error(s): "
            + "; ".join(str(error) for error in site.errors),
            metadata={"index": dg.MetadataValue.path(str(site.index))},
        )
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(site.index)),
            "pages": len(site.written),
            "publication": site.publication.version,
        }
    )
