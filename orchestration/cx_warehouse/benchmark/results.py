"""Everything one benchmark measured, and the issue's targets it is held against (set for the
`large` scale on a 2-core, 24 GiB machine)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from cx_warehouse.benchmark.baseline import Baseline
from cx_warehouse.benchmark.dbt_timings import DbtInvocation
from cx_warehouse.benchmark.equality import Equality
from cx_warehouse.benchmark.machine import Machine
from cx_warehouse.benchmark.night_writes import TableWrites
from cx_warehouse.benchmark.nightly import Night

GIB = 2**30
MAX_FULL_BUILD_SECONDS = 10 * 60
MAX_TRANSFORMATION_RATIO = 1.5
MAX_INCREMENTAL_SHARE = 0.10
MAX_PEAK_RSS_BYTES = 8 * GIB
MAX_GENERATION_SECONDS = 5 * 60


@dataclass(frozen=True)
class Generation:
    first: date
    last: date
    rows: int
    files: int
    seconds: float


@dataclass(frozen=True)
class Target:
    figure: str
    value: str
    target: str
    met: bool | None  # None: the figure has no target, or was not measured


@dataclass
class BenchmarkResults:
    started_at: datetime
    scale: str
    customers: int
    days: int
    work_dir: Path
    machine: Machine
    history: Generation
    full: Night
    stages: dict[str, str]  # step key -> stage
    dbt_threads: int
    dbt_full: DbtInvocation | None = None
    baseline: Baseline | None = None
    last_day: Generation | None = None
    incremental: Night | None = None
    dbt_incremental: DbtInvocation | None = None
    equality: Equality | None = None
    peaks: dict[str, int] = field(default_factory=dict)
    disk_reads: dict[str, int] = field(default_factory=dict)  # phase -> bytes read from disk
    night_writes: list[TableWrites] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """A night failed, or the incremental marts were not shown equal to a full refresh."""
        return not (
            self.full.succeeded
            and self.incremental
            and self.incremental.succeeded
            and self.equality
            and self.equality.equal
        )

    def dbt_runs(self) -> list[tuple[Night, DbtInvocation]]:
        """Each night that ran with dbt's timings of its dbt step, the full build first."""
        runs = [(self.full, self.dbt_full), (self.incremental, self.dbt_incremental)]
        return [(night, invocation) for night, invocation in runs if night and invocation]

    def dbt_step_seconds(self, night: Night) -> float:
        return night.stage_seconds(self.stages).get("dbt", 0.0)

    def targets(self) -> list[Target]:
        peak = max(self.peaks.values(), default=0)
        rows = [
            Target(
                "full build, end to end",
                f"{self.full.seconds:,.1f} s",
                f"< {MAX_FULL_BUILD_SECONDS} s",
                self.full.succeeded and self.full.seconds < MAX_FULL_BUILD_SECONDS,
            )
        ]
        if self.baseline:
            transformation = self.dbt_step_seconds(self.full) / self.baseline.seconds
            rows += [
                Target(
                    "transformation: dbt step / DuckDB-alone baseline",
                    f"{transformation:.2f}x",
                    f"<= {MAX_TRANSFORMATION_RATIO}x",
                    transformation <= MAX_TRANSFORMATION_RATIO,
                ),
                Target(
                    "whole build: end to end / DuckDB-alone baseline",
                    f"{self.full.seconds / self.baseline.seconds:.2f}x",
                    "-",
                    None,
                ),
            ]
        if self.incremental:
            share = self.incremental.seconds / self.full.seconds
            rows.append(
                Target(
                    "incremental night / full build",
                    f"{share:.1%} ({self.incremental.seconds:,.1f} s)",
                    f"< {MAX_INCREMENTAL_SHARE:.0%}",
                    self.incremental.succeeded and share < MAX_INCREMENTAL_SHARE,
                )
            )
        if self.equality:
            rows.append(
                Target(
                    "incremental marts equal a full refresh",
                    "equal"
                    if self.equality.equal
                    else "differ: " + ", ".join(self.equality.differing),
                    "equal",
                    self.equality.equal,
                )
            )
        rows += [
            Target(
                "peak RSS of the process tree",
                f"{peak / GIB:.2f} GiB",
                f"< {MAX_PEAK_RSS_BYTES // GIB} GiB",
                peak < MAX_PEAK_RSS_BYTES,
            ),
            Target(
                "generation (every day but the last)",
                f"{self.history.seconds:,.1f} s",
                f"< {MAX_GENERATION_SECONDS} s",
                self.history.seconds < MAX_GENERATION_SECONDS,
            ),
        ]
        return rows
