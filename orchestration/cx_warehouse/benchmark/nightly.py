"""One night of the benchmark: `cx-warehouse nightly` (runner.run_nightly) in its own process,
as cron runs it, timed end to end and broken down by Dagster step."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from cx_warehouse.benchmark.stages import OTHER
from cx_warehouse.runner import RUNNER_PID
from cx_warehouse.settings import PROJECT_ROOT


@dataclass(frozen=True)
class StepTiming:
    step_key: str
    status: str
    seconds: float


@dataclass(frozen=True)
class Night:
    name: str
    succeeded: bool
    seconds: float
    run_id: str | None
    steps: list[StepTiming]
    log: Path
    started_at: datetime  # wall clock, UTC

    def stage_seconds(self, stages: dict[str, str]) -> dict[str, float]:
        totals: dict[str, float] = {}
        for step in self.steps:
            stage = stages.get(step.step_key, OTHER)
            totals[stage] = totals.get(stage, 0.0) + step.seconds
        return totals

    @property
    def outside_steps_seconds(self) -> float:
        """Process start, imports, choosing the extract dates, Dagster's own work, the summary."""
        return self.seconds - sum(step.seconds for step in self.steps)

    @property
    def unsuccessful_steps(self) -> list[str]:
        return [step.step_key for step in self.steps if step.status != "SUCCESS"]


def _run_steps(pid: int) -> tuple[str | None, list[StepTiming]]:
    """The run the nightly process `pid` started (runs are tagged with it) and its steps."""
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs(filters=dg.RunsFilter(tags={RUNNER_PID: str(pid)}), limit=1)
        if not runs:
            return None, []
        run_id = runs[0].run_id
        steps = [
            StepTiming(
                step_key=stats.step_key,
                status=stats.status.value if stats.status else "NOT FINISHED",
                seconds=(stats.end_time or stats.start_time) - stats.start_time,
            )
            for stats in instance.get_run_step_stats(run_id)
            if stats.start_time is not None
        ]
    return run_id, steps


def run_night(name: str, log: Path) -> Night:
    """Run the nightly build on what the landing zone holds and not yet ingested, its output
    going to `log`."""
    started_at = datetime.now(UTC)
    started = time.monotonic()
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "cx_warehouse.cli", "nightly"],
            cwd=PROJECT_ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        code = process.wait()
    seconds = time.monotonic() - started
    run_id, steps = _run_steps(process.pid)
    return Night(name, code == 0, seconds, run_id, steps, log, started_at)
