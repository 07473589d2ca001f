"""dbt docs can be generated from the built warehouse (run in its own module: dbt needs the
database without other connections open)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cx_warehouse.settings import PROJECT_ROOT


def test_dbt_docs_generate(nightly_build):
    settings, _ = nightly_build
    target = Path(settings.warehouse_db).parent / "docs_target"
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "docs",
            "generate",
            "--target-path",
            str(target),
        ],
        cwd=PROJECT_ROOT,
        env=settings.as_environ() | {"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert (target / "catalog.json").exists() and (target / "index.html").exists()
