"""Build the full-text index inside the catalogue (run by the content build).

search_doc holds what a result shows; search_fts indexes folded text (contentless FTS5,
bm25-ranked); search_term/search_delete hold the vocabulary and its one-letter deletions,
so typo correction is an indexed lookup instead of a scan of all rows.

A fact or a glossary expansion that is not confirmed carries the detail panel's words
(« [⚠ non-confirmé] », « [⚠ sources divergentes] ») at the start of its line in search_doc, so a
snippet that shows its text from the start shows the mark too; the marks are left out of
search_fts and of the vocabulary, so « confirmé » or « sources » rank exactly as without them.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict

from qpvdesk.textfold import fold, light_stem, words
from qpvdesk.vocabulary import OPEN_DATA_KINDS, TRUST_MARKS

SCHEMA = """
CREATE TABLE search_doc (
    rowid INTEGER PRIMARY KEY,
    doc_type TEXT NOT NULL,      -- 'entity' or 'glossary'
    ref TEXT NOT NULL,           -- entity id, or glossary term id
    kind TEXT NOT NULL,          -- entity kind, or 'glossary'
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    exact_keys TEXT NOT NULL,    -- folded exact-match keys, '|'-separated: id, acronym, name, aliases
    summary TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE VIRTUAL TABLE search_fts USING fts5(
    name, keys, summary, body, content='', tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
-- exact keys, territories apart: a one-letter prefix must not scan thousands of QPV codes
CREATE TABLE search_exact (
    territory INTEGER NOT NULL, key TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (territory, key, doc)
) WITHOUT ROWID;
CREATE TABLE search_term (term TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE search_delete (variant TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (variant, term)) WITHOUT ROWID;
"""

INDEX_MIN_TYPO_TERM = 4  # vocabulary terms this long or longer get their one-letter deletions indexed

# a mark at the start of a line of shown text, removed from what is indexed
_TRUST_MARK = re.compile("^(?:" + "|".join(re.escape(m) for m in TRUST_MARKS.values()) + ")(?: |$)", re.MULTILINE)


def trust_marked(text: str, confidence: str) -> str:
    """The text as a result shows it: the mark first when it is not confirmed."""
    mark = TRUST_MARKS.get(confidence)
    return f"{mark} {text}".strip() if mark else text


def unmarked(text: str) -> str:
    """What is indexed and ranked: the shown text without its trust marks."""
    return _TRUST_MARK.sub("", text)


def _deletions(term: str) -> set[str]:
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


def _everyday_keys(conn: sqlite3.Connection) -> dict[str, tuple[list[str], list[str]]]:
    """entity id -> (« mots courants » that lead to it, those it answers exactly), when the catalogue has them."""
    keys: dict[str, tuple[list[str], list[str]]] = {}
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'everyday_word'").fetchone():
        for word, entity_id, exact in conn.execute("SELECT word, entity_id, exact FROM everyday_word ORDER BY word, entity_id"):
            leading, exact_words = keys.setdefault(entity_id, ([], []))
            leading.append(word)
            if exact:
                exact_words.append(word)
    return keys


def _entity_docs(conn: sqlite3.Connection):
    everyday_keys = _everyday_keys(conn)
    aliases = defaultdict(list)
    for entity_id, alias in conn.execute("SELECT entity_id, alias FROM entity_alias ORDER BY entity_id, position"):
        aliases[entity_id].append(alias)
    for entity_id, label in conn.execute("SELECT entity_id, label FROM fact WHERE category = 'name' ORDER BY id"):
        aliases[entity_id].append(label)
    for entity_id, acronym, variants, expansion in conn.execute(
        "SELECT entity_id, acronym, variants, expansion FROM glossary_term WHERE entity_id IS NOT NULL ORDER BY id"
    ):
        aliases[entity_id].extend([acronym, *filter(None, variants.split(" / ")), expansion])
    bodies = defaultdict(list)
    for entity_id, label, value, note, confidence in conn.execute(
        "SELECT entity_id, label, value, coalesce(note, ''), confidence FROM fact "
        "WHERE category = 'fact' ORDER BY entity_id, position"
    ):
        bodies[entity_id].append(trust_marked(f"{label} : {value} {note}".strip(), confidence))
    for entity_id, kind, name, acronym, status, summary in conn.execute(
        "SELECT id, kind, name, coalesce(acronym, ''), status, summary FROM entity ORDER BY id"
    ):
        leading, exact_words = everyday_keys.get(entity_id, ([], []))
        keys = [entity_id.replace("-", " "), acronym, *aliases[entity_id], *leading]
        # an organisation's id (org-<SIRET>) is no key anyone types: its SIRET is an alias
        own_id = entity_id if kind != "organisation" else ""
        exact = {fold(k).strip() for k in [own_id, acronym, name, *aliases[entity_id], *exact_words] if k}
        yield (
            "entity",
            entity_id,
            kind,
            name,
            status,
            exact,
            " ".join(k for k in keys if k),
            summary,
            "\n".join(bodies[entity_id]),
        )


def _glossary_docs(conn: sqlite3.Connection):
    for term_id, acronym, variants, expansion, gloss, confidence in conn.execute(
        "SELECT id, acronym, variants, expansion, gloss, confidence FROM glossary_term ORDER BY id"
    ):
        forms = [acronym, *filter(None, variants.split(" / "))]
        exact = {fold(f) for f in forms}
        # the mark goes in the summary (the snippet), not the title: title words take part in the ranking
        summary = trust_marked(gloss, confidence)
        yield (
            "glossary",
            acronym,
            "glossary",
            f"{acronym} — {expansion}",
            "active",
            exact,
            " ".join(forms) + " " + expansion,
            summary,
            "",
        )


def build_search_index(conn: sqlite3.Connection, extra_docs=()) -> None:
    """(Re)create the search tables from the catalogue tables already in conn (« mots courants » included)."""
    conn.executescript(SCHEMA)
    vocabulary: set[str] = set()
    rowid = 0
    for doc in [*_entity_docs(conn), *_glossary_docs(conn), *extra_docs]:
        rowid += 1
        doc_type, ref, kind, title, status, exact, keys, summary, body = doc
        conn.execute(
            "INSERT INTO search_doc VALUES (?,?,?,?,?,?,?,?,?)",
            (rowid, doc_type, ref, kind, title, status, "|".join(sorted(exact)), summary, body),
        )
        territory = int(kind in OPEN_DATA_KINDS)
        conn.executemany(
            "INSERT OR IGNORE INTO search_exact VALUES (?, ?, ?)",
            ((territory, " ".join(words(k)), rowid) for k in exact if words(k)),
        )
        folded = [fold(t) for t in (title, keys, unmarked(summary), unmarked(body))]
        conn.execute("INSERT INTO search_fts (rowid, name, keys, summary, body) VALUES (?,?,?,?,?)", (rowid, *folded))
        for text in folded:
            # stems too, so a corrected word can be searched as a prefix of its plural
            vocabulary.update(w for word in words(text) for w in (word, light_stem(word)))
    conn.executemany("INSERT INTO search_term VALUES (?)", ((t,) for t in sorted(vocabulary)))
    conn.executemany(
        "INSERT OR IGNORE INTO search_delete VALUES (?, ?)",
        (
            (variant, term)
            for term in sorted(vocabulary)
            if len(term) >= INDEX_MIN_TYPO_TERM
            for variant in sorted(_deletions(term))
        ),
    )
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    conn.commit()
