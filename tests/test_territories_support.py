"""Shared set-up of the territory tests (imported by tests/test_territories*.py; holds no test).

The territory tests build their own catalogue once per session: the small mini content, five
programme entities the sites link to, and the real open-data files of resources/data. They
therefore do not depend on the main content, which other work changes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MINI_CONTENT = REPO / "tests" / "fixtures" / "mini" / "content"
DATA = REPO / "resources" / "data"

PROGRAMME_STUBS = """\
- id: cites-educatives
  kind: programme
  name: Cités éducatives
  summary: Label de coopération éducative dans les quartiers prioritaires.
- id: cites-emploi
  kind: programme
  name: Cités de l'emploi
  summary: Coopération locale pour l'emploi des habitants des quartiers prioritaires.
- id: france-services
  kind: programme
  name: France services
  summary: Guichets de proximité des services publics.
- id: engagements-quartiers-2030
  kind: programme
  name: Contrats de ville Engagements Quartiers 2030
  summary: Contrats de ville de la génération 2024.
- id: contrats-de-ville
  kind: programme
  name: Contrats de ville
  status: replaced
  summary: Contrats de ville de la génération 2015-2023.
"""

_CACHE: dict[str, object] = {}


def territory_resources(root: Path) -> Path:
    resources = root / "resources"
    shutil.copytree(MINI_CONTENT, resources / "content")
    (resources / "content" / "entites-programmes-territoires.yaml").write_text(PROGRAMME_STUBS, encoding="utf-8")
    shutil.copytree(DATA, resources / "data")
    return resources


def territory_catalogue(tmp_path_factory) -> Path:
    """Build (once per test session) a catalogue with the territories."""
    if "path" not in _CACHE:
        from qpvdesk.build.content.build import build_catalogue

        root = tmp_path_factory.mktemp("territories")
        target = root / "data.sqlite"
        build_catalogue(territory_resources(root), target)
        _CACHE["path"] = target
    return _CACHE["path"]  # type: ignore[return-value]


def territory_world():
    """The in-memory territories read from resources/data (no database)."""
    if "world" not in _CACHE:
        from qpvdesk.build.territories.world import TerritoryWorld

        _CACHE["world"] = TerritoryWorld(DATA)
    return _CACHE["world"]
