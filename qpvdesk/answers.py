"""Answers to a typed question, taken from the top fiche's relations and facts (never computed).

« qui finance le NPNRU » -> « Financé par : Action Logement (8,4 Md€), … », each line with the
sources of its relation; « quand a été créée l'ANRU » -> the fiche's own dates and its dated facts;
« combien de … » -> its facts that hold a figure. Nothing is said that the catalogue does not say.
"""

from __future__ import annotations

import re

from qpvdesk.questions import Question
from qpvdesk.textfold import light_stem, words
from qpvdesk.views import Answer, AnswerItem, EntityDetail, FactView

MAX_FACTS = 3
MAX_VALUE = 220  # a fact of a paragraph is cut in the answer; the fiche holds it whole
# a count or an amount (« 1 609 quartiers », « 8,4 Md€ », « 30 % »), not a year or a decree number
_COUNT = re.compile(r"(?<![\d°-])\d{1,3}(?:[\u00a0\u202f .]\d{3})*(?:,\d+)?\s?(?:%|Md€|M€|k€|€|[a-zà-ÿ]{3,})", re.IGNORECASE)
# « quand a été créée / lancée / adoptée … »: the fact that speaks of that event first
_EVENT_ROOTS = {"cre": "cre", "lanc": "lanc", "adopt": "adopt", "vot": "vot", "sign": "sign", "fond": "fond",
                "promulg": "promulg", "instit": "instit", "ne": "naiss"}


def _relation_answer(detail: EntityDetail, question: Question) -> Answer | None:
    ask = question.relation
    assert ask is not None
    items = tuple(
        AnswerItem(r.other_id, r.other_name, r.note or "", r.sources)
        for r in detail.relations
        if r.type in ask.types and (ask.direction == "both" or r.direction == ask.direction)
    )
    return Answer(detail.id, detail.name, ask.heading, items)  # no items: asked, and the catalogue knows no such link


def _fact_line(detail: EntityDetail, fact: FactView) -> AnswerItem:
    value = fact.value if len(fact.value) <= MAX_VALUE else fact.value[: MAX_VALUE - 1].rsplit(" ", 1)[0] + "…"
    dated = f" ({', '.join(fact.dates)})" if fact.dates else ""
    return AnswerItem(detail.id, fact.label, f"{value}{dated}", fact.sources)


def _relevance(fact: FactView, question: Question) -> int:
    """How well the fact answers: the question's words in its label (most) or value, the event asked
    about (« créée » -> création), a count for « combien »."""
    label = {light_stem(w) for w in words(fact.label)}
    value = {light_stem(w) for w in words(fact.value)}
    typed = [light_stem(w) for w in words(question.typed)]
    score = sum(3 * (w in label) + (w in value) for w in typed if len(w) > 3)
    if question.when:
        roots = {root for w in typed for prefix, root in _EVENT_ROOTS.items() if w.startswith(prefix)}
        score += sum(6 * any(w.startswith(r) for w in label) + 2 * any(w.startswith(r) for w in value) for r in roots)
    if question.how_many:
        score += 2 * len(_COUNT.findall(fact.value))
    if question.cost and any(w.startswith(("budget", "montant", "cout", "enveloppe", "financ", "credit")) for w in label):
        score += 8
    return score


def _facts_answer(detail: EntityDetail, question: Question) -> Answer | None:
    if question.when:
        facts = [f for f in detail.facts if f.category == "fact" and f.dates]
        heading = "Dates"
    else:
        facts = [f for f in detail.facts if f.category == "fact" and _COUNT.search(f.value)]
        heading = "Chiffres"
    if not facts:
        return None
    facts.sort(key=lambda f: -_relevance(f, question))  # stable: the fiche's own order otherwise
    items = tuple(_fact_line(detail, f) for f in facts[:MAX_FACTS])
    return Answer(detail.id, detail.name, heading, items)


def answer(detail: EntityDetail, question: Question) -> Answer | None:
    """The answer the fiche gives to the question, or None when it asks nothing a fiche answers."""
    if question.relation is not None:
        return _relation_answer(detail, question)
    if question.when or question.how_many:
        return _facts_answer(detail, question)
    return None


def answer_lines(found: Answer) -> list[str]:
    """The answer as plain French lines, for the CLI and the results list (sources cited by publisher)."""
    if not found.items:
        return [f"{found.heading} : le catalogue ne mentionne aucun lien de ce type pour « {found.subject_name} »."]
    lines = [f"{found.heading} ({found.subject_name}) :"]
    for item in found.items:
        detail = f" — {item.detail}" if item.detail else ""
        cited = "; ".join(sorted({s.publisher for s in item.sources if s.publisher}))
        lines.append(f"  • {item.name}{detail}" + (f" [source : {cited}]" if cited else ""))
    return lines
