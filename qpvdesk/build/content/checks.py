"""Cross-file checks: ids, references, conflicts, acronyms. Each problem names file, line, field."""

from __future__ import annotations

import re
from collections.abc import Iterator

from qpvdesk.build.content.everyday import check_everyday_words
from qpvdesk.build.content.records import Content, ContentError, SourceRef, Where
from qpvdesk.vocabulary import REFERENCE_SHEET_REF

# A run of 2+ capitals/digits starting with a capital: ANRU, NPNRU, P147, QPV…
ACRONYM_TOKEN = re.compile(r"(?<![\w])[A-Z][A-Z0-9]+(?![\w])")
ROMAN = re.compile(r"^[IVXLCDM]+$")
CODE = re.compile(r"\d.*\d.*\d")  # three digits or more: a code (QP031007, QN03107M), not an acronym


def _glossary_tokens(content: Content) -> set[str]:
    tokens: set[str] = set()
    for term in content.glossary:
        for form in [term.acronym, *term.variants]:
            tokens.update(ACRONYM_TOKEN.findall(form))
    return tokens


def _texts(content: Content) -> Iterator[tuple[Where, str]]:
    for e in content.entities:
        yield Where(e.where.file, e.where.line, "name"), e.name
        yield Where(e.where.file, e.where.line, "summary"), e.summary
        for f in e.facts:
            for field, text in (("label", f.label), ("value", f.value), ("note", f.note or ""), ("date_note", f.date_note or "")):
                yield Where(f.where.file, f.where.line, field), text
    for rel in content.relations:
        yield Where(rel.where.file, rel.where.line, "note"), rel.note or ""
    for term in content.glossary:
        yield Where(term.where.file, term.where.line, "gloss"), term.gloss


def _check_sources(sources: list[SourceRef], confidence: str, where: Where, errors: list[ContentError]) -> None:
    for s in sources:
        if s.ref == REFERENCE_SHEET_REF and confidence != "unconfirmed":
            errors.append(ContentError(s.where or where, "la fiche de référence ne peut sourcer qu'un fait non confirmé"))
    if confidence == "conflict":
        claims = [s for s in sources if s.claim]
        if len(claims) < 2:
            errors.append(
                ContentError(where, "un fait en conflit doit donner au moins deux sources avec leur valeur (« claim »)")
            )


def check_content(content: Content) -> list[ContentError]:
    """Return every cross-reference error; reading errors are already in content.errors."""
    errors: list[ContentError] = []
    ids: dict[str, Where] = {}
    for e in content.entities:
        if e.id in ids:
            errors.append(
                ContentError(
                    Where(e.where.file, e.where.line, "id"), f"identifiant en double « {e.id} » (déjà défini : {ids[e.id]})"
                )
            )
        else:
            ids[e.id] = e.where
        for f in e.facts:
            _check_sources(f.sources, f.confidence, Where(f.where.file, f.where.line, "sources"), errors)

    for rel in content.relations:
        for field, ref in (("from", rel.source), ("to", rel.target)):
            if ref not in ids:
                errors.append(ContentError(rel.at(field), f"relation vers un identifiant inconnu « {ref} »"))
        _check_sources(rel.sources, "confirmed", Where(rel.where.file, rel.where.line, "sources"), errors)

    seen_acronyms: dict[str, Where] = {}
    for term in content.glossary:
        key = term.acronym.casefold()
        if key in seen_acronyms:
            errors.append(ContentError(Where(term.where.file, term.where.line, "acronym"), f"sigle en double « {term.acronym} »"))
        seen_acronyms[key] = term.where
        if term.entity and term.entity not in ids:
            errors.append(
                ContentError(
                    Where(term.where.file, term.where.line, "entity"), f"sigle lié à un identifiant inconnu « {term.entity} »"
                )
            )
        _check_sources(term.sources, term.confidence, Where(term.where.file, term.where.line, "sources"), errors)

    reliabilities: dict[str, tuple[str, Where]] = {}
    for sources in all_source_lists(content):
        for s in sources:
            known = reliabilities.setdefault(s.ref, (s.reliability, s.where or Where("?", 0)))
            if known[0] != s.reliability:
                errors.append(
                    ContentError(
                        s.where or known[1],
                        f"fiabilité « {s.reliability} » différente de celle déjà donnée pour cette source "
                        f"(« {known[0]} », {known[1]})",
                    )
                )

    errors += check_everyday_words(content, set(ids))
    if content.glossary:  # the acronym check needs the glossary to exist
        known_tokens = _glossary_tokens(content) | content.not_acronyms
        for where, text in _texts(content):
            for token in ACRONYM_TOKEN.findall(text):
                if token not in known_tokens and not ROMAN.match(token) and not CODE.search(token):
                    errors.append(
                        ContentError(
                            where,
                            f"sigle « {token} » absent du glossaire (ajoutez-le à glossaire.yaml ou écrivez les mots en entier)",
                        )
                    )
    return errors


def all_source_lists(content: Content) -> Iterator[list[SourceRef]]:
    """Every list of sources in the content: facts, relations, glossary entries."""
    for e in content.entities:
        for f in e.facts:
            yield f.sources
    for rel in content.relations:
        yield rel.sources
    for term in content.glossary:
        yield term.sources
