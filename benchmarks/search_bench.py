"""Search latency on the shipped catalogue and on a synthetic catalogue 100× larger.

Prints p50 / p95 / max in milliseconds over a fixed set of realistic queries.
Run: .venv/bin/python benchmarks/search_bench.py [--scale 100] [--repeat 15]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qpvdesk.build.search_index import build_search_index  # noqa: E402
from qpvdesk.paths import catalogue_path  # noqa: E402
from qpvdesk.service import CatalogueService  # noqa: E402

QUERIES = [
    "a", "q", "an", "pi", "ren", "cop", "anru", "PIC", "quartier", "renovation", "rénovation urbaine",
    "caisse des depots", "banque des territoires", "Quartiers-Productifs", "cites educatives",
    "plan initiative coproprietes", "contrat de ville 2024", "renouvelement", "copropiete degradee",
    "renouvelemant urbain", "emploi franc", "CGET", "zone urbaine sensible", "Grand Mirail", "QN03107M",
]
WORDS = ["Nord", "Sud", "Centre", "Est", "Ouest", "Haut", "Bas", "Village", "Cité", "Les Pins", "Bellevue",
         "Saint-Jean", "La Source", "Les Tilleuls", "Grande Borne", "Mosson", "Mirail", "Val Fourré"]


def synthetic_copy(source: Path, scale: int, folder: Path, content_only: bool = False) -> Path:
    """The real catalogue with scale-1 renamed copies of every entity and fact, re-indexed.
    content_only: copy only the written content (actors, programmes…), not the 8,600 territories."""
    target = folder / f"synthetic-x{scale}{'-contenu' if content_only else ''}.sqlite"
    shutil.copy(source, target)
    rng = random.Random(42)
    conn = sqlite3.connect(target)
    for table in ("search_doc", "search_fts", "search_exact", "search_term", "search_delete"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    territory = "('region', 'departement', 'commune', 'qpv', 'site')"
    where = f" WHERE kind NOT IN {territory}" if content_only else ""
    entities = conn.execute(
        f"SELECT id, kind, name, acronym, status, start_date, end_date, summary, origin FROM entity{where}"
    ).fetchall()
    facts = conn.execute(
        "SELECT entity_id, position, category, label, value, dates, date_note, confidence, note FROM fact"
    ).fetchall()
    next_fact = conn.execute("SELECT max(id) FROM fact").fetchone()[0] + 1
    for copy in range(1, scale):
        suffix = f"{rng.choice(WORDS)} {copy}"
        conn.executemany(
            "INSERT INTO entity VALUES (?,?,?,?,?,?,?,?,?)",
            [(f"{e[0]}-x{copy}", e[1], f"{e[2]} {suffix}", e[3], e[4], e[5], e[6], e[7], e[8]) for e in entities],
        )
        rows = []
        for f in facts:
            rows.append((next_fact, f"{f[0]}-x{copy}", *f[1:]))
            next_fact += 1
        conn.executemany("INSERT INTO fact VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    build_search_index(conn)
    conn.execute("VACUUM")
    conn.close()
    return target


def measure(path: Path, repeat: int) -> list[float]:
    searcher = CatalogueService(path)  # what the window and the CLI call: ranked search, then the territory lookup
    for q in QUERIES:  # warm-up: page cache, statement cache
        searcher.search(q)
    timings = []
    for _ in range(repeat):
        for q in QUERIES:
            start = time.perf_counter()
            searcher.search(q, limit=50)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def report(label: str, timings: list[float], docs: int) -> None:
    timings = sorted(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{label:<28} {docs:>7} docs  p50 {statistics.median(timings):6.2f} ms  p95 {p95:6.2f} ms  "
        f"max {timings[-1]:6.2f} ms  (n={len(timings)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--content-only",
        action="store_true",
        help="multiply only the written content (the territories are real data, already at full size)",
    )
    args = parser.parse_args()
    shipped = catalogue_path()
    docs = sqlite3.connect(shipped).execute("SELECT count(*) FROM search_doc").fetchone()[0]
    report("catalogue livré", measure(shipped, args.repeat), docs)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        big = synthetic_copy(shipped, args.scale, Path(folder), args.content_only)
        built = time.perf_counter() - start
        big_docs = sqlite3.connect(big).execute("SELECT count(*) FROM search_doc").fetchone()[0]
        label = f"synthétique x{args.scale}" + (" (contenu)" if args.content_only else "")
        print(f"({label} construit en {built:.1f} s)")
        report(label, measure(big, args.repeat), big_docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
