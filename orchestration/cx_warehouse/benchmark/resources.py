"""What each phase of the benchmark used: the peak resident set of this process and every
descendant (the nightly build, its dbt subprocess), read from /proc in a background thread, and
the bytes read from disk."""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
BETWEEN_PHASES = "between phases (the benchmark process)"
SAMPLE_SECONDS = 0.2


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended while we looked
            continue
        # The command name in parentheses may hold spaces: the parent pid follows the last ")".
        parent = int(text.rsplit(")", 1)[1].split()[1])
        children[parent].append(int(stat.parent.name))
    return children


def _resident_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except OSError:
        return 0


def tree_resident_bytes(root: int) -> int:
    """Resident set size of `root` and all its descendants, summed."""
    children = _children()
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        total += _resident_bytes(pid)
        pending.extend(children.get(pid, []))
    return total


def disk_read_bytes() -> int | None:
    """Bytes this process and its finished descendants read from storage rather than the page
    cache (Linux adds a child's I/O to its parent's when the child is waited for); None where
    /proc/self/io is not readable."""
    try:
        lines = Path("/proc/self/io").read_text().splitlines()
    except OSError:
        return None
    fields = dict(line.split(": ", 1) for line in lines)
    return int(fields["read_bytes"])


class PhaseResources:
    """Samples the process tree's resident set every SAMPLE_SECONDS and keeps the largest
    sample of each phase, and counts the bytes each phase read from disk
    (`with resources.phase("full build"): ...`)."""

    def __init__(self) -> None:
        self.peaks: dict[str, int] = {}
        self.disk_reads: dict[str, int] = {}
        self._phase = BETWEEN_PHASES
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    def __enter__(self) -> PhaseResources:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        with self._lock:
            self._phase = name
        read_before = disk_read_bytes()
        try:
            yield
        finally:
            self._sample()
            read_after = disk_read_bytes()
            if read_before is not None and read_after is not None:
                self.disk_reads[name] = read_after - read_before
            with self._lock:
                self._phase = BETWEEN_PHASES

    def _sample(self) -> None:
        sample = tree_resident_bytes(os.getpid())
        with self._lock:
            self.peaks[self._phase] = max(self.peaks.get(self._phase, 0), sample)

    def _sample_until_stopped(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(SAMPLE_SECONDS)
