"""Quick-open palette: keyboard only, from Ctrl+K to the fiche."""

import pytest
from PySide6.QtCore import Qt



@pytest.fixture()
def window(qtbot, loaded_window, real_catalogue_path):
    w = loaded_window(real_catalogue_path)
    w.activateWindow()  # shortcuts only reach the active window
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    return w


def test_ctrl_k_type_enter_opens_exact_match(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.palette
    assert palette.isVisible()
    assert palette.edit.hasFocus() or palette.focusWidget() is palette.edit
    with qtbot.waitSignal(palette.controller.results_ready, timeout=5000):
        qtbot.keyClicks(palette.edit, "PIC")
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert not palette.isVisible()
    assert window.detail.current_id == "pic"


def test_arrow_keys_choose_another_result(window, qtbot):
    window.find_action.trigger()
    palette = window.palette
    with qtbot.waitSignal(palette.controller.results_ready, timeout=5000) as blocker:
        qtbot.keyClicks(palette.edit, "caisse des depots")
    entity_hits = [h for h in blocker.args[0].hits]
    assert entity_hits[0].id == "cdc"
    qtbot.keyClick(palette.edit, Qt.Key.Key_Down)
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert window.detail.current_id is not None
    assert window.detail.current_id != "cdc" or entity_hits[1].doc_type == "glossary"


def test_escape_closes_without_navigating(window, qtbot):
    window.open_entity("anru")
    window.find_action.trigger()
    qtbot.keyClicks(window.palette.edit, "npnru")
    qtbot.keyClick(window.palette.edit, Qt.Key.Key_Escape)
    assert not window.palette.isVisible()
    assert window.detail.current_id == "anru"


def test_stale_replies_are_dropped(window, qtbot):
    controller = window.palette.controller
    received = []
    controller.results_ready.connect(lambda r: received.append(r.query))
    controller.run_now("anru")
    controller.run_now("pic")
    qtbot.waitUntil(lambda: "pic" in received, timeout=5000)
    from qpvdesk.ui import tasks

    qtbot.waitUntil(lambda: not tasks._running, timeout=5000)  # the "anru" reply arrived too, and was dropped
    assert received == ["pic"]
