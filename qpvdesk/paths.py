"""Where things live: the shipped catalogue and resources (repository or frozen bundle)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def bundle_dir() -> Path:
    """Folder holding data.sqlite and resources/: PyInstaller's _MEIPASS when frozen, else the repo."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def catalogue_path() -> Path:
    """The catalogue in use: QPVDESK_CATALOGUE, else an installed signed update if sound, else the shipped one."""
    override = os.environ.get("QPVDESK_CATALOGUE")
    from qpvdesk.updates.install import active_catalogue  # issue 16: a signed update installed by the user wins

    return Path(override) if override else active_catalogue()  # bundle_dir() / "data.sqlite" when none is installed


def resources_dir() -> Path:
    return bundle_dir() / "resources"


def content_dir() -> Path:
    return resources_dir() / "content"


def licences_dir() -> Path:
    """The licence texts and their index: licences/ in the frozen bundle (gathered at build time by
    packaging/licences.py, one text per shipped component), resources/licences/ in a source checkout."""
    if getattr(sys, "_MEIPASS", None):
        return bundle_dir() / "licences"
    return resources_dir() / "licences"
