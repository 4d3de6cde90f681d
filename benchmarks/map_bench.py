"""Map speed: read the map data, build the scene, repaint at full zoom-out and zoomed in.

    QT_QPA_PLATFORM=offscreen python benchmarks/map_bench.py [--catalogue data.sqlite] [--runs 7]

Prints p50 and max (ms) per step. Aim: a repaint under 100 ms at full zoom-out. The repaint
is measured twice: rendering the view into an image the size of a typical map pane
(view.render(), scene painting only) and repainting the real MapPanel's viewport
(scene + overlays + backing store).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QRectF  # noqa: E402
from PySide6.QtGui import QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from qpvdesk.paths import catalogue_path  # noqa: E402
from qpvdesk.service import CatalogueService  # noqa: E402
from qpvdesk.ui.map_items import MapScene  # noqa: E402
from qpvdesk.ui.map_view import MapPanel, MapView  # noqa: E402

WIDTH, HEIGHT = 1000, 760


def timed(fn, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def report(label: str, times: list[float]) -> None:
    print(f"{label:<44} p50 {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms   ({len(times)} runs)")


def repaint(view: MapView) -> None:
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    view.render(painter)
    painter.end()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--catalogue", default=str(catalogue_path()))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    QApplication(sys.argv[:1])
    service = CatalogueService(Path(args.catalogue))
    times, data = timed(service.territories.map_data, args.runs)
    report("read map data (worker thread in the app)", times)
    print(f"  {len(data.qpv)} QPV, {len(data.departements)} départements, "
          f"{sum(len(p) for p in data.points.values())} site markers, "
          f"{sum(len(r) // 2 for s in (*data.qpv, *data.departements, *data.regions) for r in s.rings)} vertices")
    times, scene = timed(lambda: MapScene(data), args.runs)
    report("build scene (UI thread)", times)

    view = MapView()
    view.resize(WIDTH, HEIGHT)
    view.setScene(scene)
    view.show()
    for layer in scene.point_layers:  # worst case: every layer on
        scene.set_layer_visible(layer, True)
    view.show_all()
    repaint(view)  # warm-up
    times, _ = timed(lambda: repaint(view), args.runs)
    report("repaint, full zoom-out, all layers", times)

    panel = MapPanel()  # the real widget: view + legend + attribution, repainted on screen
    panel.resize(WIDTH, HEIGHT)
    panel.show()
    panel.set_data(data)
    for check in panel.checks.values():
        check.setChecked(True)
    QApplication.processEvents()
    times, _ = timed(panel.view.viewport().repaint, args.runs)
    report("viewport repaint (MapPanel), full zoom-out", times)

    view.show_rect(QRectF(*_rect(service.territories.locate("region-11"))))
    repaint(view)
    times, _ = timed(lambda: repaint(view), args.runs)
    report(f"repaint, Île-de-France ({view.current_scale():.1f} px/km)", times)

    view.show_rect(QRectF(*_rect(service.territories.locate("commune-31555"))))
    repaint(view)
    times, _ = timed(lambda: repaint(view), args.runs)
    report(f"repaint, Toulouse ({view.current_scale():.1f} px/km)", times)
    return 0


def _rect(box):
    x0, y0, x1, y1 = box
    return x0, y0, x1 - x0, y1 - y0


if __name__ == "__main__":
    sys.exit(main())
