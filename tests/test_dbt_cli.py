"""dbt's own commands on the built warehouse: the unit tests of every formula, and the docs.
(In a module of its own: dbt needs the database without other connections open.)"""

from __future__ import annotations

import subprocess
from pathlib import Path

from cx_warehouse.settings import DBT_EXECUTABLE, PROJECT_ROOT


def dbt(settings, *args: str) -> subprocess.CompletedProcess:
    """A dbt command writing its artifacts next to the test's database, not to target/."""
    target = Path(settings.warehouse_db).parent / "dbt_target"
    return subprocess.run(
        [str(DBT_EXECUTABLE), *args, "--target-path", str(target)],
        cwd=PROJECT_ROOT,
        env=settings.as_environ() | {"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


def test_dbt_unit_tests_pass(nightly_build):
    settings, _ = nightly_build
    done = dbt(settings, "test", "--select", "test_type:unit")
    assert done.returncode == 0, done.stdout[-3000:]
    assert "PASS=18" in done.stdout


def test_dbt_docs_generate(nightly_build):
    settings, _ = nightly_build
    target = Path(settings.warehouse_db).parent / "dbt_target"
    done = dbt(settings, "docs", "generate")
    assert done.returncode == 0, done.stdout[-2000:]
    assert (target / "catalog.json").exists() and (target / "index.html").exists()
