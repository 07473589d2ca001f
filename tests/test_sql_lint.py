"""The second sqlfluff pass of `make lint` really lints the incremental runs' SQL."""

from __future__ import annotations

import subprocess

from cx_warehouse.settings import DBT_EXECUTABLE, PROJECT_ROOT
from cx_warehouse.sql_lint import incremental_rendering


def test_dbt_renders_the_incremental_branches_under_the_placeholder_database(tmp_path):
    with incremental_rendering() as (environ, files):
        assert "models/intermediate/journey/int_journey_stage_states.sql" in files
        assert "models/staging/crm/stg_crm__touchpoints.sql" in files
        assert not any("int_customer_features" in name for name in files)
        done = subprocess.run(
            [
                str(DBT_EXECUTABLE),
                "compile",
                "--select",
                "int_journey_stage_states",
                "--target-path",
                str(tmp_path),
                "--quiet",
            ],
            cwd=PROJECT_ROOT,
            env=environ,
            capture_output=True,
            text=True,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    compiled = next(tmp_path.rglob("int_journey_stage_states.sql")).read_text()
    # The incremental branch narrows the rows to the customers rebuilt since the last build.
    assert "rebuilt_customers as (" in compiled
