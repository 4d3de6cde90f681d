"""What « L'essentiel », the diagram and the chronology cost (printed, never asserted).

python benchmarks/fiche_views_bench.py [--catalogue data.sqlite]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qpvdesk.diagram import around, whole_tree  # noqa: E402
from qpvdesk.diagram_svg import diagram_svg  # noqa: E402
from qpvdesk.essentials import essentials  # noqa: E402
from qpvdesk.paths import catalogue_path  # noqa: E402
from qpvdesk.service import CatalogueService  # noqa: E402


def timed(label: str, fn, repeat: int = 5) -> None:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    print(f"{label:55s} médiane {statistics.median(runs):8.1f} ms  (min {min(runs):.1f}, max {max(runs):.1f})")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--catalogue", default=str(catalogue_path()))
    service = CatalogueService(Path(parser.parse_args().catalogue))
    npnru = service.entity("npnru")
    written = [e.id for e in service.catalogue.list_entities(territories=False)]
    details = [service.entity(i) for i in written]
    timed("essentials(npnru)", lambda: essentials(npnru), 50)
    timed(f"essentials de toutes les fiches écrites ({len(details)})", lambda: [essentials(d) for d in details])
    timed("fiche_html(npnru) (carte, sommaire, rubriques)", lambda: service.fiche_html("npnru"), 20)
    timed("schéma autour du NPNRU + SVG", lambda: diagram_svg(around(npnru)), 50)
    timed("schéma « qui fait quoi » (arbre + placement + SVG)", lambda: diagram_svg(whole_tree(service.tree()[:2])))
    timed("chronologie (lecture des fiches comprise)", service.chronology, 3)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
