"""What a typed question asks: its subject words, the relation it asks about, the dates it names.

People in a meeting type « qui finance le PIC ? » or « CIV janvier 2021 », not keywords. The question
words never match on their own (« qui » found the ANRU through « qui fait quoi »); a relation verb
(« finance », « pilote », « a remplacé ») becomes a relation to answer from the catalogue's relations;
month names and years become dates to match against the fiches' dates. Pure text: no SQL, no Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qpvdesk.textfold import words

# French question and filler words (folded): never searched on their own
QUESTION_WORDS = frozenset(
    """qui que quoi quel quelle quels quelles quand combien comment pourquoi qu
    etait etaient il elle ils elles on je j me m moi nous vous y t ca cela
    faut dois doit peut peux peuvent savoir sais connaitre trouver cherche cherchons
    s agit agit quelqu quelque chose existe existent
    dit dire signifie veut veulent svp stp alors donc aussi encore fonctionne fonctionnent marche marchent
    sert servent""".split()
)
# words a question leaves after its relation verb is taken out (« par qui », « est-ce que »)
_FILLERS = QUESTION_WORDS | frozenset(
    "est ete ce c ou sont a as ont avait avaient par de des du la le les l d un une au aux en".split()
)
# « quand a été créée l'ANRU »: the date is the answer, these words only say which one
_WHEN_VERBS = frozenset(
    """cree creee crees creees creation lance lancee lances lancees lancement ne nee fonde fondee adopte adoptee
    vote votee signe signee promulgue promulguee institue instituee date""".split()
)
# « combien coûte … »: the cost is what the counted facts answer, not a word to find
_COST_WORDS = frozenset("coute coutent coutait cout couts vaut valent represente".split())
# relation words that ask even without a question word (« financement du NPNRU », « successeur des CUCS »)
_NOUNS = frozenset("financement financements financeur financeurs pilotage successeur remplacant tutelle".split())

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
_YEAR = re.compile(r"^(19[4-9]\d|20[0-4]\d)$")


@dataclass(frozen=True)
class RelationAsk:
    """A relation a question asks about, read from its subject's side."""

    types: tuple[str, ...]  # relation keys of qpvdesk.vocabulary.RELATION_TYPES
    direction: str  # "in": others -> subject (« qui finance X »); "out": subject -> others (« que finance X »)
    heading: str  # French heading of the answer


FUNDED_BY = RelationAsk(("funds", "co-funds"), "in", "Financé par")
FUNDS = RelationAsk(("funds", "co-funds"), "out", "Finance")
PILOTED_BY = RelationAsk(("pilots", "co-pilots"), "in", "Piloté par")
PILOTS = RelationAsk(("pilots", "co-pilots"), "out", "Pilote")
IMPLEMENTED_BY = RelationAsk(("implements",), "in", "Mis en œuvre par")
IMPLEMENTS = RelationAsk(("implements",), "out", "Met en œuvre")
REPLACED_BY = RelationAsk(("replaced-by", "merged-into"), "out", "Remplacé par")
REPLACES = RelationAsk(("replaced-by", "merged-into"), "in", "Remplace")
DECIDED_BY = RelationAsk(("decides",), "in", "Décidé par")
SUPERVISED_BY = RelationAsk(("supervises",), "in", "Sous la tutelle de")
PARTNERS = RelationAsk(("partners-with",), "both", "Partenaires")

# (folded word sequence, relation when the question's subject follows it, relation when the subject
# comes before it: « qui finance X » / « X est financé par qui »). Longest sequences are tried first.
_VERBS: tuple[tuple[tuple[str, ...], RelationAsk, RelationAsk], ...] = (
    (("met", "en", "oeuvre"), IMPLEMENTED_BY, IMPLEMENTED_BY),
    (("mettent", "en", "oeuvre"), IMPLEMENTED_BY, IMPLEMENTED_BY),
    (("mis", "en", "oeuvre"), IMPLEMENTED_BY, IMPLEMENTED_BY),
    (("mise", "en", "oeuvre"), IMPLEMENTED_BY, IMPLEMENTED_BY),
    (("a", "remplace"), REPLACED_BY, REPLACES),
    (("succede", "a"), REPLACED_BY, REPLACES),
    (("remplacant",), REPLACED_BY, REPLACED_BY),
    (("successeur",), REPLACED_BY, REPLACED_BY),
    (("remplace",), REPLACED_BY, REPLACED_BY),
    (("remplacee",), REPLACED_BY, REPLACED_BY),
    (("finance",), FUNDED_BY, FUNDED_BY),
    (("financent",), FUNDED_BY, FUNDS),
    (("financee",), FUNDED_BY, FUNDED_BY),
    (("finances",), FUNDED_BY, FUNDED_BY),
    (("cofinance",), FUNDED_BY, FUNDED_BY),
    (("financement",), FUNDED_BY, FUNDED_BY),
    (("financements",), FUNDED_BY, FUNDED_BY),
    (("financeur",), FUNDED_BY, FUNDED_BY),
    (("financeurs",), FUNDED_BY, FUNDED_BY),
    (("paie",), FUNDED_BY, FUNDED_BY),
    (("paye",), FUNDED_BY, FUNDED_BY),
    (("pilote",), PILOTED_BY, PILOTED_BY),
    (("pilotent",), PILOTED_BY, PILOTS),
    (("pilotee",), PILOTED_BY, PILOTED_BY),
    (("pilotage",), PILOTED_BY, PILOTED_BY),
    (("porte",), PILOTED_BY, PILOTED_BY),
    (("gere",), PILOTED_BY, PILOTED_BY),
    (("decide",), DECIDED_BY, DECIDED_BY),
    (("tutelle",), SUPERVISED_BY, SUPERVISED_BY),
    (("partenaires",), PARTNERS, PARTNERS),
)
# « que finance l'ANRU », « qu'est-ce que pilote X »: the subject does the action
_OBJECT_QUESTION = frozenset(("que", "qu", "quoi"))
_ACTIVE = {FUNDED_BY: FUNDS, PILOTED_BY: PILOTS, IMPLEMENTED_BY: IMPLEMENTS}


@dataclass(frozen=True)
class Question:
    typed: str
    subject: str  # what to search for: the typed words less the question, relation and date words
    relation: RelationAsk | None = None
    when: bool = False  # « quand … »: the dated facts answer
    how_many: bool = False  # « combien … »: the counted facts answer
    years: tuple[int, ...] = ()
    months: tuple[int, ...] = ()
    cost: bool = False  # « combien coûte … »: the budget facts answer first

    @property
    def is_question(self) -> bool:
        return self.relation is not None or self.when or self.how_many

    @property
    def asks_nothing(self) -> bool:
        """Only question or filler words were typed (« qui », « c'est quoi »)."""
        return not self.subject.strip() and not self.years and not self.months

    @property
    def has_dates(self) -> bool:
        return bool(self.years or self.months)


def _find_verb(found: list[str]) -> tuple[int, int, tuple[str, ...], RelationAsk, RelationAsk] | None:
    best = None
    for i in range(len(found)):
        for seq, before_subject, after_subject in _VERBS:
            if tuple(found[i : i + len(seq)]) == seq and (best is None or len(seq) > best[1] - best[0]):
                best = (i, i + len(seq), seq, before_subject, after_subject)
        if best is not None:
            return best
    return None


def parse(query: str) -> Question:
    """« qui finance le PIC » -> subject « pic », relation Financé par; « CIV janvier 2021 » -> « civ » + dates.

    A query with no question, relation or date word comes back with its words as typed, so plain
    keyword search is unchanged.
    """
    found = words(query)
    asks = bool(set(found) & QUESTION_WORDS) or query.strip().endswith("?")
    relation = None
    verb = _find_verb(found) if len(found) > 1 else None
    if verb is not None and not (asks or "par" in found or set(verb[2]) & _NOUNS):
        verb = None  # « Porte de Clichy » is a place, not « qui porte … »
    if verb is not None:
        start, end, _seq, before_subject, after_subject = verb
        subject_before = [w for w in found[:start] if w not in _FILLERS]
        # « X est financé par qui »: the subject stands before the verb; « qui finance X »: after it
        relation = after_subject if subject_before else before_subject
        if relation in _ACTIVE and any(w in _OBJECT_QUESTION for w in found[:start]) and not subject_before:
            relation = _ACTIVE[relation]
        found = found[:start] + found[end:]
    years = tuple(int(w) for w in found if _YEAR.match(w))
    months = tuple(MONTHS[w] for w in found if w in MONTHS)
    when = "quand" in found or bool({"date", "depuis"} & set(found)) and asks
    how_many = "combien" in found
    cost = how_many and bool(set(found) & _COST_WORDS)
    if how_many:
        found = [w for w in found if w not in _COST_WORDS]  # « combien coûte le NPNRU »: the NPNRU's figures answer
    date_words = {w for w in found if w in MONTHS or _YEAR.match(w)}
    drop = (_FILLERS if (asks or relation) else frozenset()) | {"combien", "quand"} | (_WHEN_VERBS if when else frozenset())
    kept = [w for w in found if w not in drop]
    if months or (years and any(w not in date_words for w in kept)):
        # the dates are matched against the fiches' dates; the other words find the fiche
        kept = [w for w in kept if w not in date_words] or kept
    subject = " ".join(kept) if kept else ""
    if not (relation or when or how_many or months or years or asks):
        subject = query  # nothing recognised: search the text exactly as typed
    return Question(query, subject, relation, when, how_many, years, months, cost)
