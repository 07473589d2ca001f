"""The publication folder:

    <publication>/
      current -> versions/<version>        the publication readers open (a symlink)
      versions/<version>/marts.duckdb       every mart, in a DuckDB 1.x-readable file
      versions/<version>/parquet/<mart>/    every mart as Parquet
      versions/<version>/manifest.json      version, run, revisions, row counts, check results

A new version is written under versions/.tmp-<version>, fsynced and renamed into place; then
`current` is switched with an atomic rename. A reader with the old file open keeps reading it;
a reader who opens `current/...` afterwards gets the new version. Half-written versions left by
a crash never become current and are removed by the next publish.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

TEMPORARY_PREFIX = ".tmp-"
MANIFEST = "manifest.json"
DATABASE = "marts.duckdb"


class PublicationError(RuntimeError):
    pass


def fsync_path(path: Path) -> None:
    """Flush a file, or a directory's entries, to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_tree(root: Path) -> None:
    for folder, _, files in os.walk(root):
        for name in files:
            fsync_path(Path(folder) / name)
        fsync_path(Path(folder))


class PublicationStore:
    def __init__(self, root: Path):
        self.root = root
        self.versions = root / "versions"
        self.current_link = root / "current"

    def new_version_id(self, run_id: str) -> str:
        return f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{run_id[:8]}"

    def staging_dir(self, version: str) -> Path:
        path = self.versions / f"{TEMPORARY_PREFIX}{version}"
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def list_versions(self) -> list[str]:
        """Complete versions, oldest first."""
        if not self.versions.is_dir():
            return []
        return sorted(
            p.name
            for p in self.versions.iterdir()
            if p.is_dir() and not p.name.startswith(TEMPORARY_PREFIX) and (p / MANIFEST).exists()
        )

    def current_version(self) -> str | None:
        if not self.current_link.is_symlink():
            return None
        return Path(os.readlink(self.current_link)).name

    def current_dir(self) -> Path | None:
        version = self.current_version()
        return None if version is None else self.versions / version

    def manifest(self, version: str) -> dict:
        return json.loads((self.versions / version / MANIFEST).read_text())

    def current_manifest(self) -> dict | None:
        version = self.current_version()
        return None if version is None else self.manifest(version)

    def commit(self, staging: Path, version: str) -> Path:
        """Make a fully written staging folder a version (durably)."""
        fsync_tree(staging)
        final = self.versions / version
        os.rename(staging, final)
        fsync_path(self.versions)
        return final

    def switch(self, version: str) -> None:
        """Point `current` at a version, atomically."""
        if version not in self.list_versions():
            raise PublicationError(f"no complete publication {version!r} in {self.versions}")
        temporary = self.root / f"{TEMPORARY_PREFIX}current"
        temporary.unlink(missing_ok=True)
        os.symlink(Path("versions") / version, temporary)
        os.replace(temporary, self.current_link)
        fsync_path(self.root)

    def prune(self, keep: int) -> list[str]:
        """Remove leftovers of interrupted publishes and all but the newest `keep` versions
        (never the current one). Readers with a removed file open keep reading it."""
        removed = []
        if self.versions.is_dir():
            for leftover in self.versions.glob(f"{TEMPORARY_PREFIX}*"):
                shutil.rmtree(leftover, ignore_errors=True)
        versions = self.list_versions()
        current = self.current_version()
        for version in versions[: max(len(versions) - keep, 0)]:
            if version != current:
                shutil.rmtree(self.versions / version, ignore_errors=True)
                removed.append(version)
        return removed
