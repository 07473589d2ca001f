"""dbt's own commands on the built warehouse: the unit tests of every formula, and the docs;
the parse state a nightly dbt invocation leaves for the next, and the folders it keeps.
(In a module of its own: dbt needs the database without other connections open.)"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from cx_warehouse.defs.dbt import (
    PARTIAL_PARSE_STATE,
    dbt_resource,
    keep_parse_state,
    prune_invocation_folders,
)
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
    assert "PASS=34" in done.stdout


def test_dbt_docs_generate(nightly_build):
    settings, _ = nightly_build
    target = Path(settings.warehouse_db).parent / "dbt_target"
    done = dbt(settings, "docs", "generate")
    assert done.returncode == 0, done.stdout[-2000:]
    assert (target / "catalog.json").exists() and (target / "index.html").exists()


def test_an_invocation_leaves_its_parse_state_for_the_next(tmp_path):
    invocation, project, killed = tmp_path / "tonight", tmp_path / "target", tmp_path / "killed"
    for folder in (invocation, project, killed):
        folder.mkdir()
    (invocation / PARTIAL_PARSE_STATE).write_bytes(b"parsed under tonight's profile")
    (project / PARTIAL_PARSE_STATE).write_bytes(b"parsed under another profile")

    keep_parse_state(invocation, project)
    assert (project / PARTIAL_PARSE_STATE).read_bytes() == b"parsed under tonight's profile"
    assert [path.name for path in project.iterdir()] == [PARTIAL_PARSE_STATE]

    keep_parse_state(killed, project)
    assert (project / PARTIAL_PARSE_STATE).read_bytes() == b"parsed under tonight's profile"


def test_a_dbt_step_keeps_only_the_newest_invocation_folders(tmp_path):
    earlier = [tmp_path / f"cx_dbt_models-run{night}-abc1234" for night in range(5)]
    current = tmp_path / "cx_dbt_models-tonight-def5678"
    other_step, state = tmp_path / "other_step-run0-abc1234", tmp_path / PARTIAL_PARSE_STATE
    for age, folder in enumerate([current, *reversed(earlier), other_step]):
        folder.mkdir()
        (folder / "dbt.log").write_text("log")
        os.utime(folder, (1_000_000 - age, 1_000_000 - age))
    state.write_bytes(b"state")
    os.utime(current, (0, 0))  # the step's own folder is kept however old its time

    removed = prune_invocation_folders(current, keep=3)

    assert sorted(removed) == sorted(earlier[:3])
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [current.name, earlier[3].name, earlier[4].name, other_step.name, state.name]
    )
    assert prune_invocation_folders(current, keep=3) == []


def test_the_dbt_resource_knows_the_version_dbt_version_prints():
    printed = subprocess.run(
        [str(DBT_EXECUTABLE), "--version"], capture_output=True, text=True, check=True
    ).stdout
    known = dbt_resource()._cli_version
    assert f"installed: {known}" in printed
