"""The partner browser with 100,000 local partners (a big CSV import): the filter finds the right rows
whatever the accents and case, the order is French alphabetical, the count is right, typing fast filters
once, and a failed write shows a French message instead of raising."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QMessageBox
from userdata_fixtures import REFS

from qpvdesk.textfold import fold
from qpvdesk.ui.local_partner_dialog import LocalPartnerDialog
from qpvdesk.ui.partner_browser import PartnerBrowser
from qpvdesk.ui.roles import LOCAL_ROLE
from qpvdesk.userdata import PartnerFields, open_user_data
from qpvdesk.userdata.messages import UserDataError
from qpvdesk.userdata.views import LocalPartner
from qpvdesk.views import PartnerRow

BIG = 100_000
# name prefixes, in the French alphabetical order a reader expects (accents and case ignored, œ = oe)
PREFIXES = ["abeille", "Écoles", "Ecrin", "ÉLAN", "Élancé cœur", "Etat", "Œuvre", "Office", "Régie", "zèbre"]
CATALOGUE = [
    PartnerRow("anru", "Agence nationale pour la rénovation urbaine", "ANRU", "agency", "Agence", "active", (), ()),
    PartnerRow("ville", "Ville de Saint-Denis", None, "local-authority", "Collectivité", "active", (), ()),
]


class FakeRefs:
    programmes = {"npnru": "Nouveau programme national de renouvellement urbain"}

    def programme_name(self, pid: str) -> str:
        return self.programmes.get(pid, pid)


class FakeStore:
    """Stands for UserData: the browser only reads list_partners() and refs here."""

    refs = FakeRefs()

    def __init__(self, partners: list[LocalPartner]) -> None:
        self.partners = partners

    def list_partners(self) -> list[LocalPartner]:
        return list(self.partners)


@pytest.fixture(scope="module")
def big_partners() -> list[LocalPartner]:
    rnd = random.Random(7)
    numbers = list(range(BIG))
    rnd.shuffle(numbers)  # the store's order is not the display order
    return [
        LocalPartner(name=f"{PREFIXES[n % len(PREFIXES)]} n°{n}", kind="association" if n % 2 else "social-centre",
                     commune="Évry-Courcouronnes" if n % 4 == 0 else "Toulouse",
                     programme_ids=("npnru",) if n % 3 == 0 else (), contact_name=f"Contact {n}", uid=f"u{n:06d}")
        for n in numbers
    ]


@pytest.fixture()
def browser(qtbot, big_partners):
    widget = PartnerBrowser()
    qtbot.addWidget(widget)
    widget.set_rows(CATALOGUE)
    widget.set_user_data(FakeStore(big_partners))
    return widget


def shown_names(widget: PartnerBrowser) -> list[str]:
    model, proxy = widget.model, widget.proxy
    return [model.row_at(proxy.mapToSource(proxy.index(r, 0)).row()).name for r in range(proxy.rowCount())]


def expected_order(partners: list[LocalPartner]) -> list[str]:
    """Written from PREFIXES and the numbers, not from the code under test."""
    local = sorted(partners, key=lambda p: (PREFIXES.index(p.name.rsplit(" n°", 1)[0]), int(p.name.rsplit("n°", 1)[1])))
    names = [p.name for p in local]
    names.insert(names.index(f"{PREFIXES[1]} n°1"), CATALOGUE[0].name)  # « Agence… » after « abeille », before « Écoles »
    names.insert(names.index(f"{PREFIXES[9]} n°9"), CATALOGUE[1].name)  # « Ville… » before « zèbre »
    return names


def test_count_label_and_french_order_with_100k_partners(browser, big_partners):
    assert browser.count_label.text() == "100002 partenaire(s) affiché(s) sur 100002, dont 100000 ajouté(s) localement"
    assert shown_names(browser) == expected_order(big_partners)
    browser.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # a click on the « Nom » header
    assert shown_names(browser) == expected_order(big_partners)[::-1]


def test_filter_ignores_accents_and_case_with_100k_partners(browser, big_partners):
    browser.filter_edit.setText("élan")  # set by the program: applied at once
    names = shown_names(browser)
    assert len(names) == 2 * BIG // len(PREFIXES)  # « ÉLAN » and « Élancé cœur »
    assert all(fold(name).startswith("elan") for name in names)
    assert browser.count_label.text() == f"{len(names)} partenaire(s) affiché(s) sur 100002, dont 100000 ajouté(s) localement"

    browser.filter_edit.setText("COEUR evry")  # ligature, capitals, and a word of the commune
    expected = sorted(p.name for p in big_partners if "cœur" in p.name and p.commune.startswith("Évry"))
    assert sorted(shown_names(browser)) == expected and len(expected) == BIG // 20

    browser.filter_edit.setText("oeuvre n°16")  # numbers in their order: n°16, n°1606, n°1616… n°16006…
    assert shown_names(browser) == [f"Œuvre n°{n}" for n in range(BIG) if n % 10 == 6 and str(n).startswith("16")]

    browser.filter_edit.setText("rénovation ANRU")  # catalogue rows are searched too
    assert shown_names(browser) == [CATALOGUE[0].name]
    browser.filter_edit.clear()
    assert browser.proxy.rowCount() == BIG + len(CATALOGUE)


def test_combined_filters_and_selection_survive_sorting(browser):
    browser.origin_combo.setCurrentIndex(browser.origin_combo.findData("local"))
    browser.programme_combo.setCurrentIndex(browser.programme_combo.findData("npnru"))
    browser.filter_edit.setText("regie")
    names = shown_names(browser)
    assert names and all(n.startswith("Régie") and int(n.split("n°")[1]) % 3 == 0 for n in names)
    assert len(names) == len([n for n in range(BIG) if n % 10 == 8 and n % 3 == 0])

    browser.select_entity("local:u000018")
    assert browser.table.currentIndex().data() == "Régie n°18"
    browser.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert browser.table.currentIndex().data() == "Régie n°18"  # the selection follows its row
    assert shown_names(browser)[0] == names[-1]

    browser.select_entity("local:u000001")  # hidden by the filters: nothing selected, nothing raised
    assert browser.table.currentIndex().data() == "Régie n°18"


def test_typing_fast_filters_once_and_enter_applies_at_once(qtbot, browser, monkeypatch):
    calls = []
    original = browser.proxy.set_text
    monkeypatch.setattr(browser.proxy, "set_text", lambda text: (calls.append(text), original(text)))
    browser.filter_edit.setFocus()
    qtbot.keyClicks(browser.filter_edit, "ECRIN")  # ASCII only: keyClicks aborts on « é » (pytest-qt pitfall)
    assert calls == [] and browser.proxy.rowCount() == BIG + len(CATALOGUE)  # still typing
    qtbot.waitUntil(lambda: calls == ["ECRIN"], timeout=2000)
    assert browser.proxy.rowCount() == BIG // len(PREFIXES)  # one filter for five keys

    qtbot.keyClicks(browser.filter_edit, " 12")
    qtbot.keyClick(browser.filter_edit, Qt.Key.Key_Return)  # Enter: no waiting
    assert calls[-1] == "ECRIN 12" and "Ecrin n°12" in shown_names(browser) and "Ecrin n°2" not in shown_names(browser)
    qtbot.wait(300)
    assert calls == ["ECRIN", "ECRIN 12"]  # the pending pause did not filter a second time

    browser.filter_edit.selectAll()
    qtbot.keyClick(browser.filter_edit, Qt.Key.Key_Backspace)  # emptied: everything is back at once
    assert calls[-1] == "" and browser.proxy.rowCount() == BIG + len(CATALOGUE)


def test_model_tester_follows_sorting_and_filtering(qtbot, qtmodeltester, big_partners):
    widget = PartnerBrowser()
    qtbot.addWidget(widget)
    widget.set_rows(CATALOGUE)
    widget.set_user_data(FakeStore(big_partners[:300]))
    # pytest-qt keeps one tester: the table model gets its own, alive through the sorts and filters below
    model_tester = QAbstractItemModelTester(widget.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    qtmodeltester.check(widget.proxy)
    widget.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    widget.filter_edit.setText("etat")
    widget.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    widget.filter_edit.clear()
    assert widget.proxy.rowCount() == 302
    del model_tester


# --- a write that fails shows a French message, nothing raises, the table stays ---------------------------------


@pytest.fixture()
def store(tmp_path):
    with open_user_data(tmp_path / "ud", refs=REFS) as data:
        data.create_partner(PartnerFields(name="Centre social Élan", kind="social-centre", commune="Toulouse"))
        yield data


@pytest.fixture()
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append((title, text)))
    return shown


def local_names(widget: PartnerBrowser) -> list[str]:
    proxy = widget.proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount()) if proxy.index(r, 0).data(LOCAL_ROLE)]


def select_local(widget: PartnerBrowser) -> None:
    proxy = widget.proxy
    widget.table.setCurrentIndex(next(proxy.index(r, 0) for r in range(proxy.rowCount()) if proxy.index(r, 0).data(LOCAL_ROLE)))


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), UserDataError("Vos données sont occupées.")])
@pytest.mark.parametrize("action", ["add", "edit", "delete", "undo", "reread"])
def test_failed_write_shows_a_french_message(qtbot, store, warnings, monkeypatch, action, error):
    widget = PartnerBrowser()
    qtbot.addWidget(widget)
    widget.set_rows(CATALOGUE)
    widget.set_user_data(store)
    monkeypatch.setattr(LocalPartnerDialog, "ask", classmethod(lambda cls, *a, **k: PartnerFields(name="Régie", kind="association")))

    def fail(*_args, **_kwargs):
        raise error

    select_local(widget)
    if action == "undo":
        widget.delete_button.click()
        assert local_names(widget) == [] and widget.undo_bar.isVisibleTo(widget)
    method = {"add": "create_partner", "edit": "update_partner", "delete": "delete_partner", "undo": "undo_delete",
              "reread": "list_partners"}[action]
    monkeypatch.setattr(store, method, fail)
    before = local_names(widget)
    {"add": widget.add_button.click, "edit": widget.edit_button.click, "delete": widget.delete_button.click,
     "undo": widget.undo_button.click, "reread": widget.refresh_local}[action]()

    title, sentence = {
        "add": ("Partenaire non enregistré", "Le partenaire n'a pas été enregistré"),
        "edit": ("Partenaire non enregistré", "Les modifications n'ont pas été enregistrées"),
        "delete": ("Suppression impossible", "Le partenaire n'a pas été supprimé"),
        "undo": ("Annulation impossible", "La suppression n'a pas pu être annulée"),
        "reread": ("Partenaires locaux illisibles", "Vos partenaires locaux n'ont pas pu être relus"),
    }[action]
    # UserDataError is French already; a disk error is described in French, without the system's English
    text = str(error) if isinstance(error, UserDataError) else f"{sentence} : disque plein"
    if action in ("add", "edit"):  # the form can be reopened with what was typed
        text += "\n\nRéessayer rouvre le formulaire avec votre saisie."
    assert warnings == [(title, text)]
    assert local_names(widget) == before  # the table is as it was
    monkeypatch.undo()  # the disk is back: the browser still works
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a))
    monkeypatch.setattr(LocalPartnerDialog, "ask", classmethod(lambda cls, *a, **k: PartnerFields(name="Régie", kind="association")))
    widget.add_button.click()
    assert "Régie" in local_names(widget) and len(warnings) == 1


def test_a_partner_that_could_not_be_saved_is_offered_again_with_what_was_typed(qtbot, store, monkeypatch):
    widget = PartnerBrowser()
    qtbot.addWidget(widget)
    widget.set_rows(CATALOGUE)
    widget.set_user_data(store)
    typed = PartnerFields(name="Régie de quartier Mirail", kind="association", commune="Toulouse", notes="Appeler lundi")
    drafts = []

    def ask(cls, parent, programmes, validate, partner=None, draft=None):
        drafts.append(draft)
        return draft or typed  # the second time, the user just presses OK on the refilled form

    monkeypatch.setattr(LocalPartnerDialog, "ask", classmethod(ask))
    real_create, calls = store.create_partner, []

    def create_once_failing(fields):
        calls.append(fields)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        return real_create(fields)

    monkeypatch.setattr(store, "create_partner", create_once_failing)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Retry)
    widget.add_button.click()
    assert drafts == [None, typed]  # the form came back filled with the first attempt
    assert "Régie de quartier Mirail" in local_names(widget)


def test_the_form_refilled_from_a_draft_shows_every_typed_field(qtbot):
    typed = PartnerFields(name="Régie de quartier Mirail", kind="association", commune="Toulouse",
                          programme_ids=("npnru",), phone="05 61 00 00 00", notes="Appeler lundi")
    dialog = LocalPartnerDialog(FakeRefs.programmes, lambda f: (f, [], []), None, None, typed)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Ajouter un partenaire local"  # still an addition
    assert dialog.fields() == typed
