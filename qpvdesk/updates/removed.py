"""Where installed catalogues live, and the fiches an update took away (no SQL: the window reads this).

A note or a favourite on a fiche that an update removed keeps a readable title: the fiche's last known
name, marked « fiche absente du catalogue ».
"""

from __future__ import annotations

import json
from pathlib import Path

FOLDER = "catalogue"
REMOVED = "fiches-retirees.json"  # id → name of fiches an update took away


def folder() -> Path:
    from qpvdesk.userdata.location import user_dir

    return user_dir() / FOLDER


def removed_names() -> dict[str, str]:
    try:
        names = json.loads((folder() / REMOVED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {}


def orphan_title(entity_id: str) -> str:
    """A fiche the catalogue no longer holds: its last known name, marked, so a note on it is never lost."""
    if entity_id.startswith("local:"):
        return entity_id
    return f"{removed_names().get(entity_id, entity_id)} (fiche absente du catalogue)"
