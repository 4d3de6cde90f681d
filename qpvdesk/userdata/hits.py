"""Local partners and personal notes turned into search hits, so the window lists them with the catalogue's results."""

from __future__ import annotations

from collections.abc import Callable

from qpvdesk.snippets import make_snippet
from qpvdesk.textfold import fold, fold_same_length, light_stem, query_terms, words
from qpvdesk.updates.removed import orphan_title
from qpvdesk.userdata.folding import query_words
from qpvdesk.userdata.views import LocalPartner
from qpvdesk.views import SearchHit

GROUP = "Partenaires locaux"
KIND = "local-partner"
NOTES_GROUP = "Mes notes"


def _spans(text: str, words: list[str]) -> tuple[tuple[int, int], ...]:
    folded = fold_same_length(text)
    spans = []
    for word in words:
        start = folded.find(word)
        if start >= 0:
            spans.append((start, start + len(word)))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def partner_hits(partners: list[LocalPartner], query: str) -> list[SearchHit]:
    words = query_words(query)
    hits = []
    for rank, p in enumerate(partners):
        details = [p.kind_label, "ajouté localement"]
        details += [v for v in (p.commune, p.qpv_code, p.contact_name) if v]
        snippet = " — ".join(details)
        if p.notes and not all(w in fold(" ".join([p.name, snippet])) for w in words):
            snippet += " — " + p.notes.replace("\n", " ")[:120]
        hits.append(SearchHit(
            doc_type="entity", id=p.entity_id, kind=KIND, group=GROUP, title=p.name, status="active",
            score=float(rank), exact=fold(p.name).strip() == fold(query).strip(), snippet=snippet,
            highlights=_spans(snippet, words),
        ))
    return hits


def note_hits(notes, names: dict[str, str], query: str) -> list[SearchHit]:
    """Personal notes as search hits (the note's fiche opens, titled by the catalogue's name), matched words spanned."""
    prefixes = words(query)
    hits = []
    for note in notes:
        snippet, spans = make_snippet(note.text, prefixes)
        title = f"Note — {names.get(note.entity_id) or orphan_title(note.entity_id)}"
        hits.append(SearchHit("entity", note.entity_id, "note", NOTES_GROUP, title, "active", 0.0, False, snippet, spans))
    return hits


def _names_every_word(title: str, terms: list[str]) -> bool:
    title_words = words(title)
    return bool(terms) and all(any(t.startswith(light_stem(term)) for t in title_words) for term in terms)


def merge_hits(catalogue: list[SearchHit], personal: list[SearchHit], query: str) -> list[SearchHit]:
    """The user's own partners and notes among the catalogue's results, where their name deserves.

    The catalogue's order is kept. After the catalogue's exact answers come the local partners named
    exactly as typed, then those whose name holds every word (« solidarité » is more likely the user's
    own « Pontoise Solidarité Quartiers » than the DSU's glossary entry: Enter opens it), then the
    catalogue's other hits; the other partners, then the notes, come last.
    """
    terms = query_terms(query)
    partners = [h for h in personal if h.kind == KIND]
    others = [h for h in personal if h.kind != KIND]
    n_exact = next((i for i, h in enumerate(catalogue) if not h.exact), len(catalogue))
    exact = [h for h in partners if h.exact]
    named = [h for h in partners if not h.exact and _names_every_word(h.title, terms)]
    rest = [h for h in partners if h not in exact and h not in named]
    return catalogue[:n_exact] + exact + named + catalogue[n_exact:] + rest + others


TEAM_NOTES_GROUP = "Notes de l'équipe"
_folded_notes: dict[tuple, str] = {}  # (author, text) -> folded: a keystroke does not fold every team note again


def _folded(author: str, text: str) -> str:
    key = (author, text)
    found = _folded_notes.get(key)
    if found is None:
        if len(_folded_notes) > 20_000:  # notes changed many times in a long session: start afresh
            _folded_notes.clear()
        found = _folded_notes[key] = fold(f"{author} {text}")  # query words hold no space: no need to squash
    return found


def team_note_hits(notes, name_of: Callable[[str], str], query: str, limit: int = 20) -> list[SearchHit]:
    """The other members' shared notes holding every word of the query (in the text or the author's name, accents
    and case forgiven, as for your own notes), most recent first, titled « Note de l'équipe · Auteur — fiche »."""
    wanted = query_words(query)
    if not wanted:
        return []
    prefixes = words(query)
    hits = []
    for note in sorted(notes, key=lambda n: n.get("updated_at") or "", reverse=True):
        author = note.get("author") or "un membre"
        haystack = _folded(author, note["text"])
        if not all(w in haystack for w in wanted):
            continue
        snippet, spans = make_snippet(note["text"], prefixes)
        name = name_of(note["entity_id"])
        hits.append(SearchHit("entity", note["entity_id"], "team-note", TEAM_NOTES_GROUP,
                              f"Note de l'équipe · {author} — {name}", "active", 0.0, False, snippet, spans))
        if len(hits) == limit:
            break
    return hits
