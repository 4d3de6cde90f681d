"""Import of the open-data territory files (resources/data) into the catalogue at build time."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session


def populate_territories(session: Session, resources: Path) -> None:
    """Add territory entities, their attributes and datasets. No data folder: nothing to import."""
    data = resources / "data"
    if not data.is_dir():
        return
