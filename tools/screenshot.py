"""Take a screenshot of the real window (run under Xvfb: xvfb-run -s '-screen 0 1400x900x24').

python tools/screenshot.py OUT.png [--entity ID|local] [--search TEXT] [--tab N] [--about-data]
       [--map] [--territory ID_OR_TEXT] [--map-only] [--map-search TEXT] [--map-layer npnru] [--size WxH]
       [--user-dir DIR] [--sample-local] [--partner-dialog] [--import-report FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qpvdesk.paths import catalogue_path  # noqa: E402
from qpvdesk.ui.app import install_french, install_icon, start_loading  # noqa: E402
from qpvdesk.ui.main_window import MainWindow  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--entity")
    parser.add_argument("--search")
    parser.add_argument("--tab", type=int)
    parser.add_argument("--glossary-filter")
    parser.add_argument("--glossary-activate", action="store_true", help="with --glossary-filter: Enter on the first row")
    parser.add_argument("--about-data", action="store_true")
    parser.add_argument("--projector", action="store_true", help="projector mode (full screen, big text, high contrast)")
    parser.add_argument("--theme", choices=("system", "light", "dark"), help="« Thème » of the Affichage menu")
    parser.add_argument("--note", help="with --entity: write this personal note on the fiche first")
    parser.add_argument("--team-notes", action="store_true", help="with --entity: scroll to the team's shared notes")
    parser.add_argument("--map", action="store_true", help="show the « Carte » tab (waits for the map)")
    parser.add_argument("--map-only", action="store_true", help="with --map: save only the map panel")
    parser.add_argument("--territory", help="show the « Territoires » tab and look this up (a code or a name)")
    parser.add_argument("--map-search", help="with --map: type this in the map's search field (zoom and outline)")
    parser.add_argument("--map-layer", action="append", default=[], help="with --map: switch this legend layer on (e.g. npnru)")
    parser.add_argument("--size", default="1400x860", help="window size, e.g. 1024x700")
    parser.add_argument("--catalogue")
    # issue 7: user data (a throw-away folder by default, so a screenshot never touches real data)
    parser.add_argument("--user-dir", help="user data folder (default: a new temporary folder)")
    parser.add_argument("--sample-local", action="store_true", help="add a few local partners first")
    parser.add_argument("--partner-dialog", action="store_true", help="open the local partner dialog on the first local partner")
    parser.add_argument("--import-report", help="show the import report (dry run) of this CSV/JSON file")
    args = parser.parse_args()
    import os
    import tempfile

    os.environ["QPVDESK_USER_DIR"] = args.user_dir or tempfile.mkdtemp(prefix="qpvdesk-capture-")
    if args.sample_local:
        add_sample_local_partners()
    app = QApplication(sys.argv[:1])
    install_french(app)
    install_icon(app)
    window = MainWindow()
    window.resize(*(int(v) for v in args.size.split("x")))
    if args.theme:
        window.display.set_theme(args.theme)
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
        if args.entity == "local" and window.user_data and window.user_data.list_partners():  # the first local partner
            args.entity = window.user_data.list_partners()[0].entity_id
            window.partner_browser.select_entity(args.entity)
        if args.entity and args.note:
            window.user_data.set_note(args.entity, args.note)
        if args.entity:
            window.open_entity(args.entity)
        if args.team_notes:
            window.personal.notes.team_notes_requested.emit()
        if args.tab is not None:
            window.tabs.setCurrentIndex(args.tab)
        if args.glossary_filter:
            window.tabs.setCurrentWidget(window.glossary_panel)
            window.glossary_panel.filter_edit.setText(args.glossary_filter)
            if args.glossary_activate:
                panel = window.glossary_panel
                panel.table.setCurrentIndex(panel.proxy.index(0, 0))
                panel.table.activated.emit(panel.proxy.index(0, 0))
        if args.about_data:
            window.show_about_data()
        if args.projector:
            window.projector_action.trigger()
        if args.territory:
            tabs = window.territories
            tabs.tree_loaded.connect(lambda: (tabs.browser.lookup_edit.setText(args.territory), tabs.browser._on_return(),
                                              QTimer.singleShot(300, snap) if not args.map else None))
            window.tabs.setCurrentWidget(tabs.browser)
            if not args.map:
                return
        if args.map:
            tabs = window.territories

            def snap_map() -> None:
                for layer in args.map_layer:
                    tabs.map_panel.checks[layer].setChecked(True)
                if not args.territory and not args.entity:
                    tabs.map_panel.view.show_all()  # the restored last fiche would centre the map on it
                    QApplication.processEvents()
                if args.map_search:
                    tabs.map_panel.search.edit.setText(args.map_search)
                    tabs.search_map(args.map_search)
                    QApplication.processEvents()
                if args.map_only:
                    tabs.map_panel.grab().save(args.out)
                    print(f"capture : {args.out}")
                    app.quit()
                else:
                    snap()

            tabs.map_loaded.connect(lambda: QTimer.singleShot(500, snap_map))
            QTimer.singleShot(600 if args.territory else 0, tabs.show_map)
            return
        if args.partner_dialog or args.import_report:
            QTimer.singleShot(300, lambda: open_user_data_dialog(window, args, snap_screen))
            return
        if args.search:  # typed in the one search box: the list drops down under it
            window.search_controller.results_ready.connect(lambda _r: QTimer.singleShot(300, snap))
            window.search_box.focus()
            window.search_edit.setText(args.search)
        else:
            QTimer.singleShot(400, snap)

    window.user_data_loaded.connect(after_load)  # catalogue shown and user data open
    start_loading(window, Path(args.catalogue) if args.catalogue else catalogue_path(), lambda e: (print(e), app.quit()))
    app.exec()
    return 0


def add_sample_local_partners() -> None:
    from qpvdesk.userdata import PartnerFields, open_user_data

    with open_user_data() as data:
        if data.count_partners():
            return
        for fields in (
            PartnerFields(name="Centre social Élan", kind="social-centre", commune="Évry-Courcouronnes", qpv_code="QN09101M",
                          programme_ids=("cites-educatives",), contact_name="Mme Durand", phone="01 60 00 00 00",
                          email="accueil@elan.example", notes="Référente famille le mardi matin."),
            PartnerFields(name="Régie de quartier des Izards", kind="association", commune="Toulouse",
                          programme_ids=("npnru",), contact_name="M. Martin"),
            PartnerFields(name="Bailleur Habitat 31 — antenne Mirail", kind="social-landlord", commune="Toulouse",
                          qpv_code="QN03107M", programme_ids=("npnru",)),
        ):
            data.create_partner(fields)


def open_user_data_dialog(window, args, snap_screen) -> None:
    from PySide6.QtCore import QTimer

    from qpvdesk.ui.local_partner_dialog import LocalPartnerDialog
    from qpvdesk.ui.userdata_dialogs import ImportReportDialog

    data = window.user_data
    if args.import_report:
        dialog = ImportReportDialog(data.import_partners(args.import_report, dry_run=True), window)
    else:
        partners = data.list_partners()
        dialog = LocalPartnerDialog(data.refs.programmes, data.validate, partners[0] if partners else None, window)
    dialog.show()
    QTimer.singleShot(400, snap_screen)


if __name__ == "__main__":
    sys.exit(main())
