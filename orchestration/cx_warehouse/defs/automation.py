"""When the nightly job runs: the nightly schedule, and a sensor for new extract folders.

Both ask for one run over every extract date not yet ingested, so a missed night is caught up
in a single build instead of one build per day."""

from datetime import date

import dagster as dg

from cx_warehouse.defs.jobs import nightly_job
from cx_warehouse.defs.partitions import daily_extracts
from cx_warehouse.runner import choose_range, ingested_dates, landing_dates, range_tags
from cx_warehouse.settings import load_settings

SETTINGS = load_settings()


def _nightly_request(first: date, last: date, prefix: str) -> dg.RunRequest:
    return dg.RunRequest(run_key=f"{prefix}-{first}-{last}", tags=range_tags(first, last))


@dg.schedule(
    job=nightly_job,
    cron_schedule=SETTINGS.nightly_cron,
    execution_timezone=SETTINGS.nightly_timezone,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night (CX_NIGHTLY_CRON, CX_NIGHTLY_TIMEZONE): build yesterday's extract "
    "date and any earlier one not ingested yet. A source that delivered nothing fails the "
    "freshness check and alerts.",
)
def nightly_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
    complete = daily_extracts.get_partition_keys(current_time=context.scheduled_execution_time)
    if not complete:
        return dg.SkipReason("no complete extract date yet")
    last_date = date.fromisoformat(complete[-1])
    available = [d for d in landing_dates(load_settings()) if d <= last_date]
    first, last_date = choose_range(available, ingested_dates(context.instance), None, last_date)
    return _nightly_request(first, last_date, "nightly")


@dg.sensor(
    job=nightly_job,
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts the nightly job as soon as new extract folders land (an alternative to "
    "the schedule; turn it on in the UI).",
)
def new_extract_sensor(context: dg.SensorEvaluationContext) -> dg.RunRequest | dg.SkipReason:
    last_seen = date.fromisoformat(context.cursor) if context.cursor else None
    partitions = set(daily_extracts.get_partition_keys())
    new = [
        d
        for d in landing_dates(load_settings())
        if (last_seen is None or d > last_seen) and d.isoformat() in partitions
    ]
    if not new:
        return dg.SkipReason(f"no extract folder after {last_seen or 'the start'}")
    context.update_cursor(new[-1].isoformat())
    return _nightly_request(new[0], new[-1], "extracts")
