"""Imports of user files at scale: notes (batched), partners JSON export -> import (streamed).

Prints seconds and the peak memory of this process (ru_maxrss) after each step.
Run: .venv/bin/python benchmarks/import_bench.py [--notes 300000] [--partners 200000]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qpvdesk.userdata import open_user_data  # noqa: E402
from qpvdesk.userdata.refs import CatalogueRefs  # noqa: E402


def _step(label: str, started: float) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{label:<42} {time.perf_counter() - started:7.1f} s   pic mémoire {peak} Mo", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=300_000)
    parser.add_argument("--partners", type=int, default=200_000)
    args = parser.parse_args()
    refs = CatalogueRefs(programmes={}, communes=["Grigny"], qpvs=[], entity_ids=["anru"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        notes = folder / "notes.json"
        notes.write_text(json.dumps({"notes": [{"entity_id": f"x{n}", "text": f"note {n}"} for n in range(args.notes)]}))
        with open_user_data(folder / "a", refs=refs) as data:
            started = time.perf_counter()
            data.import_notes(notes, dry_run=True)
            _step(f"{args.notes} notes, essai", started)
            started = time.perf_counter()
            data.import_notes(notes)
            _step(f"{args.notes} notes, import", started)
            csv_file = folder / "p.csv"
            with csv_file.open("w", encoding="utf-8") as out:
                out.write("nom;type;commune;notes\n")
                out.writelines(f"R{n};association;Grigny;note {n}\n" for n in range(args.partners))
            started = time.perf_counter()
            data.import_partners(csv_file, dry_run=False)
            _step(f"{args.partners} partenaires CSV, import", started)
            started = time.perf_counter()
            data.export_partners(folder / "p.json")
            size = (folder / "p.json").stat().st_size // (1024 * 1024)
            _step(f"export JSON ({size} Mo)", started)
        with open_user_data(folder / "b", refs=refs) as other:
            started = time.perf_counter()
            report = other.import_partners(folder / "p.json", dry_run=False)
            _step(f"réimport du JSON ({report.new} nouveaux)", started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
