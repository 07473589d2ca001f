"""The project-local Dagster home: created on first use, with the instance settings we rely on."""

from __future__ import annotations

from cx_warehouse.settings import Settings

DAGSTER_YAML = """\
# Written by cx-warehouse on first use; edit freely.
telemetry:
  enabled: false
run_queue:
  # DuckDB allows one writer: runs wait in the queue instead of fighting over the database.
  max_concurrent_runs: 1
run_monitoring:
  # Fails runs stuck starting or running past their `dagster/max_runtime` tag (the nightly
  # job sets one), so a crashed run can't hold the queue's only slot forever.
  enabled: true
"""


def prepare_dagster_home(settings: Settings) -> None:
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    config = settings.dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
