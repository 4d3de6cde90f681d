"""One search box, keyboard first: Ctrl+K or Ctrl+F into the box, results dropping down under it
(the tabs stay in place), arrows, Enter opens, Échap closes."""

import pytest
from PySide6.QtCore import Qt


@pytest.fixture()
def window(qtbot, loaded_window, real_catalogue_path):
    w = loaded_window(real_catalogue_path)
    w.activateWindow()  # shortcuts only reach the active window
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    return w


def test_ctrl_k_type_enter_opens_exact_match(window, qtbot):
    window.tree_view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_edit.hasFocus()
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000):
        qtbot.keyClicks(window.search_edit, "PIC")
    assert window.search_box.is_open()
    assert window.tabs.isVisible()  # the list drops down over the panes: the tabs stay where they are
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Return)
    assert not window.search_box.is_open()
    assert window.detail.current_id == "pic"


def test_ctrl_f_goes_to_the_same_box(window, qtbot):
    window.tree_view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_edit.hasFocus()


def test_the_list_stays_inside_the_window(window, qtbot):
    window.resize(1024, 700)
    window.search_edit.setFocus()
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000):
        window.search_edit.setText("quartier")
    dropdown = window.search_box.dropdown
    assert dropdown.isVisible()
    assert window.rect().contains(dropdown.geometry())
    assert dropdown.geometry().top() >= window.search_edit.mapTo(window, window.search_edit.rect().bottomLeft()).y()


def test_arrow_keys_choose_another_result(window, qtbot):
    from qpvdesk.ui.roles import TARGET_ROLE

    window.find_action.trigger()
    edit = window.search_edit
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000) as blocker:
        qtbot.keyClicks(edit, "caisse des depots")
    assert blocker.args[0].hits[0].id == "cdc"
    model = window.results_view.results_model
    shown = [model.index(r, 0, model.index(g, 0)).data(TARGET_ROLE)
             for g in range(model.rowCount()) for r in range(model.rowCount(model.index(g, 0)))]
    shown = [t for t in shown if t]
    second = next(t for t in shown[1:] if t[0] == "entity" and t[1] != "cdc")
    for _ in range(shown.index(second)):
        qtbot.keyClick(edit, Qt.Key.Key_Down)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert not window.search_box.is_open()
    assert window.detail.current_id == second[1]


def test_enter_right_after_typing_opens_what_was_typed_not_the_previous_answer(window, qtbot):
    window.find_action.trigger()
    edit = window.search_edit
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000):
        qtbot.keyClicks(edit, "anru")
    edit.setText("anah")  # typed fast: Enter comes before the debounce
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.detail.current_id == "anah", timeout=5000)
    assert not window.search_box.is_open()


def test_escape_closes_without_navigating(window, qtbot):
    window.open_entity("anru")
    window.find_action.trigger()
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000):
        qtbot.keyClicks(window.search_edit, "npnru")
    assert window.search_box.is_open()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Escape)
    assert not window.search_box.is_open()
    assert window.detail.current_id == "anru"


def test_leaving_the_box_closes_the_list(window, qtbot):
    window.find_action.trigger()
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000):
        qtbot.keyClicks(window.search_edit, "npnru")
    window.tree_view.setFocus()
    qtbot.waitUntil(lambda: not window.search_box.is_open(), timeout=2000)


def test_stale_replies_are_dropped(window, qtbot):
    controller = window.search_controller
    received = []
    controller.results_ready.connect(lambda r: received.append(r.query))
    controller.run_now("anru")
    controller.run_now("pic")
    qtbot.waitUntil(lambda: "pic" in received, timeout=5000)
    from qpvdesk.ui import tasks

    qtbot.waitUntil(lambda: not tasks._running, timeout=5000)  # the "anru" reply arrived too, and was dropped
    assert received == ["pic"]


def test_enter_then_escape_before_the_answer_opens_nothing(window, qtbot):
    window.open_entity("anru")
    window.find_action.trigger()
    edit = window.search_edit
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000):
        qtbot.keyClicks(edit, "pic")
    edit.setText("anah")
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # waits for the answer for « anah »…
    qtbot.keyClick(edit, Qt.Key.Key_Escape)  # …but the user changed their mind
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000, raising=False):
        pass
    qtbot.wait(50)
    assert window.detail.current_id == "anru"


def test_a_question_shows_its_answer_and_enter_opens_the_fiche_asked_about(window, qtbot):
    from qpvdesk.ui.roles import ANSWER_ROLE, HTML_ROLE

    window.find_action.trigger()
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=5000):
        window.search_edit.setText("qui finance le NPNRU ?")
    model = window.results_view.results_model
    answer = model.index(0, 0)
    assert answer.data(ANSWER_ROLE) and "Financé par" in answer.data(HTML_ROLE)
    lines = [model.index(r, 0, answer).data(HTML_ROLE) for r in range(model.rowCount(answer))]
    assert any("Action Logement" in line and "8,4 Md€" in line and "source" in line for line in lines)
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Return)
    assert window.detail.current_id == "npnru"  # the subject, not the first funder of the answer
