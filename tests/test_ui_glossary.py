"""The glossary's model and its accent-blind filter pass Qt's model tester, through filtering and a reset."""

from PySide6.QtTest import QAbstractItemModelTester

from qpvdesk.textfold import fold
from qpvdesk.ui.glossary_view import GlossaryPanel


def visible_acronyms(panel: GlossaryPanel) -> list[str]:
    return [panel.proxy.index(row, 0).data() for row in range(panel.proxy.rowCount())]


def test_glossary_model_and_filter_pass_the_model_tester(qtbot, qtmodeltester, real_service):
    terms = real_service.glossary()
    panel = GlossaryPanel()
    qtbot.addWidget(panel)
    # pytest-qt keeps one tester: the source model gets its own, alive through the filtering and the reset below
    model_tester = QAbstractItemModelTester(panel.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    panel.set_terms(terms)
    qtmodeltester.check(panel.proxy)
    assert panel.proxy.rowCount() == len(terms) > 0

    panel.filter_edit.setText("rénovation")  # accents ignored: typed with or without, the same sigles
    accented = visible_acronyms(panel)
    panel.filter_edit.setText("RENOVATION")
    assert visible_acronyms(panel) == accented
    assert 0 < len(accented) < len(terms)
    assert any(fold(a).startswith("anru") for a in accented)

    panel.filter_edit.clear()
    assert panel.proxy.rowCount() == len(terms)
    panel.set_terms(terms[:3])  # a reset while filtered or not keeps the models consistent
    panel.filter_edit.setText("zzzz-aucun-sigle")
    assert panel.proxy.rowCount() == 0
    del model_tester
