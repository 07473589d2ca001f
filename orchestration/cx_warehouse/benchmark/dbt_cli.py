"""The dbt CLI of this environment, run on a given database with its target and logs kept in a
folder of the benchmark's work directory (never the project's target/)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from cx_warehouse.settings import DBT_EXECUTABLE, PROJECT_ROOT


class DbtFailedError(RuntimeError):
    pass


def run_dbt(args: list[str], database: Path, folder: Path) -> float:
    """Run `dbt <args>` on `database`; the seconds it took. Its output goes to folder/dbt.log."""
    command = [
        str(DBT_EXECUTABLE),
        *args,
        "--target-path",
        str(folder / "target"),
        "--log-path",
        str(folder / "logs"),
    ]
    log = folder / "dbt.log"
    started = time.monotonic()
    with log.open("w") as output:
        completed = subprocess.run(
            command,
            cwd=PROJECT_ROOT,
            env={**os.environ, "CX_WAREHOUSE_DB": str(database)},
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        )
    seconds = time.monotonic() - started
    if completed.returncode != 0:
        tail = "\n".join(log.read_text().splitlines()[-20:])
        raise DbtFailedError(f"`dbt {' '.join(args)}` failed (see {log}):\n{tail}")
    return seconds
