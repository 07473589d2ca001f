"""The machine and software a benchmark ran on, so results stay comparable over time."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from cx_warehouse.publication.publish import git_revision

PACKAGES = ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "dagster-dbt")


@dataclass(frozen=True)
class Machine:
    cpus: int
    memory_bytes: int
    cpu_model: str
    python: str
    packages: dict[str, str]
    git_revision: str


def _proc_value(path: str, key: str) -> str:
    for line in Path(path).read_text().splitlines():
        name, _, value = line.partition(":")
        if name.strip() == key:
            return value.strip()
    return "unknown"


def describe_machine() -> Machine:
    memory_kib = _proc_value("/proc/meminfo", "MemTotal").split()[0]
    return Machine(
        cpus=os.cpu_count() or 0,
        memory_bytes=int(memory_kib) * 1024,
        cpu_model=_proc_value("/proc/cpuinfo", "model name"),
        python=platform.python_version(),
        packages={name: version(name) for name in PACKAGES},
        git_revision=git_revision()[:12],
    )
