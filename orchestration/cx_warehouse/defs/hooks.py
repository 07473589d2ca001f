"""Who hears about failures: every failed step is logged and, when CX_ALERT_WEBHOOK_URL is set,
POSTed there as JSON."""

import json
import urllib.request
from datetime import UTC, datetime

import dagster as dg

from cx_warehouse.settings import load_settings


def send_alert(url: str, payload: dict) -> None:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10):
        pass


@dg.failure_hook(name="alert_on_failure")
def alert_on_failure(context: dg.HookContext) -> None:
    """Log every failed step and POST it to CX_ALERT_WEBHOOK_URL when one is configured."""
    error = context.op_exception
    payload = {
        "text": f"cx-warehouse: {context.job_name} step {context.step_key} failed",
        "job": context.job_name,
        "run_id": context.run_id,
        "step": context.step_key,
        "error": str(error) if error else None,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    context.log.error(f"ALERT {json.dumps(payload)}")
    url = load_settings().alert_webhook_url
    if url:
        try:
            send_alert(url, payload)
        except OSError as failure:
            context.log.error(f"could not deliver the alert to {url}: {failure}")
