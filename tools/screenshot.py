"""Take a screenshot of the real window (run under Xvfb: xvfb-run -s '-screen 0 1400x900x24').

python tools/screenshot.py OUT.png [--entity ID] [--search TEXT] [--tab N] [--about-data]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qpvdesk.paths import catalogue_path  # noqa: E402
from qpvdesk.ui.app import install_french, start_loading  # noqa: E402
from qpvdesk.ui.main_window import MainWindow  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--entity")
    parser.add_argument("--search")
    parser.add_argument("--tab", type=int)
    parser.add_argument("--glossary-filter")
    parser.add_argument("--about-data", action="store_true")
    parser.add_argument("--projector", action="store_true", help="projector mode (full screen, big text, high contrast)")
    parser.add_argument("--palette", help="open the quick-open palette and type this text")
    parser.add_argument("--catalogue")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    install_french(app)
    window = MainWindow()
    window.resize(1400, 860)
    window.show()

    def snap() -> None:
        window.grab().save(args.out)
        print(f"capture : {args.out}")
        app.quit()

    def snap_screen() -> None:
        # the palette is a separate window: grab the whole screen
        app.primaryScreen().grabWindow(0).save(args.out)
        print(f"capture : {args.out}")
        app.quit()

    def after_load() -> None:
        if args.entity:
            window.open_entity(args.entity)
        if args.tab is not None:
            window.tabs.setCurrentIndex(args.tab)
        if args.glossary_filter:
            window.tabs.setCurrentWidget(window.glossary_panel)
            window.glossary_panel.filter_edit.setText(args.glossary_filter)
        if args.about_data:
            window.show_about_data()
        if args.projector:
            window.projector_action.trigger()
        if args.palette:
            window.open_palette()
            window.palette.controller.results_ready.connect(lambda _r: QTimer.singleShot(300, snap_screen))
            window.palette.edit.setText(args.palette)
            return
        if args.search:
            window.search_controller.results_ready.connect(lambda _r: QTimer.singleShot(300, snap))
            window.search_edit.setText(args.search)
        else:
            QTimer.singleShot(400, snap)

    window.loaded.connect(after_load)
    start_loading(window, Path(args.catalogue) if args.catalogue else catalogue_path(), lambda e: (print(e), app.quit()))
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main())
