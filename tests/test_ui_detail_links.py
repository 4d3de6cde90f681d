"""Every kind of link a fiche holds does what it says when clicked (source: copies, entity: opens, #src-n scrolls)."""

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication, QTextCursor


@pytest.fixture()
def window(loaded_window, mini_catalogue_path):
    return loaded_window(mini_catalogue_path)


def _link_fragments(panel):
    """(href, start, end) of every link in the displayed document, in reading order."""
    block = panel.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            href = fragment.charFormat().anchorHref()
            if href:
                yield href, fragment.position(), fragment.position() + fragment.length()
            it += 1
        block = block.next()


def _click_link(qtbot, panel, prefix: str) -> str:
    """A real mouse click in the middle of the first link whose address starts with `prefix`; returns its href."""
    href, start, end = next(f for f in _link_fragments(panel) if f[0].startswith(prefix))
    middle = QTextCursor(panel.document())
    middle.setPosition((start + end) // 2)
    panel.setTextCursor(middle)
    panel.ensureCursorVisible()
    point = panel.cursorRect(middle).center()
    assert panel.anchorAt(point) == href
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=point)
    return href


def test_clicking_a_source_link_copies_its_address_and_says_so(window, qtbot):
    window.open_entity("npnru")
    QGuiApplication.clipboard().clear()
    with qtbot.waitSignal(window.detail.message, timeout=2000) as said:
        href = _click_link(qtbot, window.detail, "source:")
    address = href.removeprefix("source:")
    assert address.startswith("https://")
    assert QGuiApplication.clipboard().text() == address
    assert address in said.args[0] and "copiée" in said.args[0]
    assert address in window.statusBar().currentMessage()
    assert window.detail.current_id == "npnru"  # copying does not navigate away


def test_a_source_address_with_spaces_or_accents_is_copied_ready_to_paste(window, qtbot):
    QGuiApplication.clipboard().clear()
    window.detail.anchorClicked.emit(QUrl("source:https://exemple.fr/rénovation urbaine?a=1&b=%C3%A9#haut"))
    assert QGuiApplication.clipboard().text() == "https://exemple.fr/r%C3%A9novation%20urbaine?a=1&b=%C3%A9#haut"


def test_clicking_a_relation_link_opens_that_fiche(window, qtbot):
    window.open_entity("npnru")
    with qtbot.waitSignal(window.detail.entity_requested, timeout=2000) as asked:
        _click_link(qtbot, window.detail, "entity:anru")
    assert asked.args == ["anru"]
    assert window.detail.current_id == "anru"


def test_clicking_a_source_number_scrolls_to_that_source(window, qtbot):
    window.resize(700, 300)  # small, so the sources list is below the fold
    window.open_entity("npnru")
    panel = window.detail
    panel.verticalScrollBar().setValue(0)
    _click_link(qtbot, panel, "#src-")  # clicking scrolls the panel to the source's paragraph
    panel.verticalScrollBar().setValue(0)
    panel.anchorClicked.emit(QUrl("#src-1"))
    assert panel.verticalScrollBar().value() > 0
    assert QGuiApplication.clipboard().text() != "#src-1"


def test_foreign_schemes_do_nothing(window, qtbot):
    window.open_entity("npnru")
    QGuiApplication.clipboard().setText("avant")
    messages = []
    window.detail.message.connect(messages.append)
    for url in ("file:///etc/passwd", "javascript:alert(1)", "https://exemple.fr/"):
        window.detail.anchorClicked.emit(QUrl(url))
    assert QGuiApplication.clipboard().text() == "avant"
    assert messages == []
    assert window.detail.current_id == "npnru"


def test_a_local_partner_link_asks_for_that_partner(window, qtbot):
    uid = "local:123e4567-e89b-12d3-a456-426614174000"
    with qtbot.waitSignal(window.detail.entity_requested, timeout=2000) as asked:
        window.detail.anchorClicked.emit(QUrl(f"entity:{uid}"))
    assert asked.args == [uid]
