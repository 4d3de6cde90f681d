"""Partner browser on the shipped catalogue: loading every row (23 national partners + ~5,600 funded structures)
and filtering as one types, with the other filters. Prints milliseconds (median and max over repeats).
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/partner_bench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from qpvdesk.paths import catalogue_path  # noqa: E402
from qpvdesk.service import CatalogueService  # noqa: E402
from qpvdesk.ui.partner_browser import PartnerBrowser  # noqa: E402
from qpvdesk.ui.partner_model import prepare_structures  # noqa: E402

TYPED = "centre social de la"


def _ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    service = CatalogueService(catalogue_path())
    partners = service.partners()
    read, load, keys, combos = [], [], [], []
    for _ in range(args.repeat):
        data = None

        def query():
            nonlocal data
            data = prepare_structures(service.organisations.browser_data())

        read.append(_ms(query))
        browser = PartnerBrowser()
        browser.resize(1280, 800)
        browser.show()
        app.processEvents()

        def fill():
            browser.set_rows(partners)
            browser._structures_loaded(data)
            browser.proxy.rowCount()
            app.processEvents()

        load.append(_ms(fill))
        for n in range(1, len(TYPED) + 1):  # each keystroke, as the timer applies it
            browser.filter_edit.setText(TYPED[:n])
            keys.append(_ms(lambda: (browser.apply_filter_now(), app.processEvents())))
        browser.filter_edit.setText("")
        f = browser.filters
        for combo, key in ((f.origin_combo, "structure"), (f.departement_combo, "69"), (f.year_combo, "2025"),
                           (f.programme_combo, "postes-fonjep")):
            combos.append(_ms(lambda: (combo.setCurrentIndex(combo.findData(key)), app.processEvents())))
        shown = browser.proxy.rowCount()
        browser.close()
    rows = len(partners) + len(data[1])
    print(f"Lignes : {rows} ({len(data[1])} structures financées, {len(partners)} partenaires nationaux)")
    print(f"lecture du catalogue (fil de travail) : médiane {statistics.median(read):.0f} ms, max {max(read):.0f} ms")
    print(f"chargement du tableau (fil de l'interface) : médiane {statistics.median(load):.0f} ms, max {max(load):.0f} ms")
    print(f"filtre par frappe ({len(TYPED)} frappes × {args.repeat}) : médiane {statistics.median(keys):.1f} ms, "
          f"max {max(keys):.1f} ms")
    print(f"filtres combinés (origine, département, année, programme) : médiane {statistics.median(combos):.1f} ms, "
          f"max {max(combos):.1f} ms ; {shown} lignes à la fin")


if __name__ == "__main__":
    main()
