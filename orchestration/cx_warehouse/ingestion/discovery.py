"""Where extracts live: <landing>/<source>/<entity>/<YYYY-MM-DD>/part-*.{csv,jsonl,parquet}."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cx_warehouse.contracts import FORMATS, Entity


@dataclass(frozen=True)
class ExtractFile:
    extract_date: date
    path: Path

    @property
    def format(self) -> str:
        return self.path.suffix.lstrip(".")


def entity_dir(landing_dir: Path, entity: Entity) -> Path:
    return landing_dir / entity.source / entity.name


def _as_date(name: str) -> date | None:
    try:
        return date.fromisoformat(name)
    except ValueError:
        return None


def extract_dates(landing_dir: Path, entity: Entity) -> list[date]:
    """Dates for which an extract folder of this entity exists."""
    root = entity_dir(landing_dir, entity)
    if not root.is_dir():
        return []
    return sorted(d for d in (_as_date(p.name) for p in root.iterdir() if p.is_dir()) if d)


def extract_files(landing_dir: Path, entity: Entity, dates: list[date]) -> list[ExtractFile]:
    """The part files of the given extract dates, in date then name order."""
    root = entity_dir(landing_dir, entity)
    files = []
    for extract_date in sorted(dates):
        folder = root / extract_date.isoformat()
        if folder.is_dir():
            files.extend(
                ExtractFile(extract_date, path)
                for path in sorted(folder.glob("part-*"))
                if path.is_file() and path.suffix.lstrip(".") in FORMATS
            )
    return files
