"""The benchmark's disk-read figure: what a phase's finished child processes read from storage
rather than from the page cache is counted in that phase."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from cx_warehouse.benchmark.resources import PhaseResources, disk_read_bytes

FILE_BYTES = 8 << 20


def _file_system(path: Path) -> str:
    """The type of the file system `path` is on (the longest mount point above it)."""
    mounts = [line.split()[1:3] for line in Path("/proc/mounts").read_text().splitlines()]
    above = [(point, kind) for point, kind in mounts if str(path).startswith(point)]
    return max(above, key=lambda mount: len(mount[0]))[1]


def test_a_phase_counts_what_its_finished_children_read_from_disk(tmp_path: Path):
    if disk_read_bytes() is None:
        pytest.skip("/proc/self/io is not readable here")
    if _file_system(tmp_path) == "tmpfs":
        pytest.skip("a tmpfs file is never read from disk")
    data = tmp_path / "extract.bin"
    with data.open("wb") as output:
        output.write(os.urandom(FILE_BYTES))
        output.flush()
        os.fsync(output.fileno())
        os.posix_fadvise(output.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)  # out of the cache

    with PhaseResources() as resources:
        with resources.phase("cold read"):
            subprocess.run(["cat", str(data)], stdout=subprocess.DEVNULL, check=True)
        with resources.phase("cached read"):
            subprocess.run(["cat", str(data)], stdout=subprocess.DEVNULL, check=True)

    assert resources.disk_reads["cold read"] >= FILE_BYTES
    assert resources.disk_reads["cached read"] < FILE_BYTES
    assert resources.peaks["cold read"] > 0
