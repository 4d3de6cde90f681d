"""Forgiving search over the catalogue: accents, case, plurals, acronyms, typos.

Query words are folded and stemmed, then searched as FTS5 prefixes; a word that matches
nothing in the vocabulary is corrected through the one-deletion index (search_delete).
Ranking: exact id/acronym/name first, then name matches, then bm25 with column weights
(name > keys > summary > body); active before closed at equal level, then score.
Any input string is accepted: it is reduced to alphanumeric words before reaching SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text

from qpvdesk.catalogue import Catalogue
from qpvdesk.questions import Question, parse
from qpvdesk.snippets import SNIPPET_CHARS, make_snippet  # noqa: F401 (re-exported for callers)
from qpvdesk.textfold import fold, light_stem, meaningful, words
from qpvdesk.views import GROUP_ORDER, SearchHit, SearchResult  # noqa: F401 (re-exported for callers)
from qpvdesk.vocabulary import KINDS, OPEN_DATA_KINDS

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
QUERY_MIN_TYPO_WORD = 5  # shorter query words are never corrected (too many look-alikes)
BM25_WEIGHTS = (10.0, 8.0, 3.0, 1.0)  # name, keys (acronyms, aliases, past names), summary, body
ARTICLES = frozenset(("l", "le", "la", "les", "d", "du", "des"))
NAMES_ENOUGH = 20  # name/acronym matches that make the full-text pass unnecessary
PREFIX_PLACES_SHOWN = 3  # places matched only by the start of a word, shown before « n autres lieux »
_TERRITORY_SQL = ", ".join(f"'{k}'" for k in OPEN_DATA_KINDS)  # constant kinds, not user input
_WORD_SPAN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class _Term:
    word: str
    prefixes: tuple[str, ...]  # folded prefixes searched for this word


def osa_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (Levenshtein + adjacent transposition)."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) >= limit:
            return limit
        prev2, prev = prev, cur
    return prev[-1]


def _fts_term(prefix: str) -> str:
    return f'"{prefix}"*'  # prefixes are [0-9a-z]+ only: quoting is belt and braces


class Searcher:
    """Runs queries on one catalogue; safe to call from a worker thread."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def _has_prefix(self, conn, prefix: str) -> bool:
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return (
            conn.execute(
                text("SELECT 1 FROM search_term WHERE term >= :a AND term < :b LIMIT 1"), {"a": prefix, "b": upper}
            ).first()
            is not None
        )

    def _corrections(self, conn, word: str) -> list[str]:
        variants = {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}
        placeholders = ",".join(f":v{i}" for i in range(len(variants)))
        params = {f"v{i}": v for i, v in enumerate(sorted(variants))}
        rows = conn.execute(
            text(
                f"SELECT term FROM search_delete WHERE variant IN ({placeholders}) "  # noqa: S608 (placeholders only)
                f"UNION SELECT term FROM search_term WHERE term IN ({placeholders})"
            ),
            params,
        ).scalars()
        allowed = 1 if len(word) < 7 else 2
        scored = sorted((osa_distance(word, t), t) for t in set(rows) if t != word)
        best = [(d, t) for d, t in scored if d <= allowed]
        if not best and allowed == 2:
            # two edits that the one-deletion index cannot pair (e.g. a missing letter plus a wrong one):
            # compare with the words sharing the first two letters and a close length
            first = word[:2]
            nearby = conn.execute(
                text(
                    "SELECT term FROM search_term WHERE term >= :a AND term < :b AND length(term) BETWEEN :lo AND :hi LIMIT 3000"
                ),
                {"a": first, "b": first[:-1] + chr(ord(first[-1]) + 1), "lo": len(word) - 2, "hi": len(word) + 2},
            ).scalars()
            best = sorted((d, t) for t in nearby if (d := osa_distance(word, t)) <= allowed)
        if not best:
            return []
        top = best[0][0]
        return [t for d, t in best if d == top][:3]

    def _terms(self, conn, query: str, corrections: dict[str, str]) -> list[_Term]:
        # « Régie des Izards »: a lone « des » would match half the catalogue when the other words miss
        tokens = meaningful(words(query)[:MAX_WORDS])
        terms = []
        for word in tokens:
            stem = light_stem(word)
            # a code (QN03107M, QP001003, 27285) is never "corrected" into another place's code
            if self._has_prefix(conn, stem) or len(word) < QUERY_MIN_TYPO_WORD or any(c.isdigit() for c in word):
                terms.append(_Term(word, (stem,)))
                continue
            fixes = self._corrections(conn, stem) or self._corrections(conn, word)
            if fixes:
                corrections[word] = fixes[0]
                terms.append(_Term(word, tuple(fixes)))
            else:
                terms.append(_Term(word, (stem,)))
        return terms

    def search(self, query: str, limit: int = 50) -> SearchResult:
        query = (query or "").replace("\x00", " ")[:MAX_QUERY_CHARS]
        result = SearchResult(query)
        limit = max(1, min(int(limit), 500))
        question = parse(query)
        result.question = question
        # « qui finance le PIC »: the subject is searched, the question words never match on their own
        if question.asks_nothing:
            return result  # « qui », « c'est quoi » alone: the question words never match on their own
        searched = question.subject or query
        with self.catalogue.engine.connect() as conn:
            terms = self._terms(conn, searched, result.corrections)
            if not terms:
                return result
            # « CIV janvier 2021 »: the whole phrase may be a name; « civ » alone is not the answer
            phrase = " ".join(words(query if question.has_dates else searched)[:MAX_WORDS])
            if len(terms) == 1 and len(terms[0].word) <= 2:
                # one or two letters while typing: names and acronyms starting with them, no ranking pass
                rows = self._starting_with(conn, terms[0].word, limit)
                exact_rows = {r.rowid for r in rows if r.exact_key == phrase}
            else:
                # « l'ANRU », « le NPNRU »: a written fiche's name after an article is as exact as alone
                # (not territories: « la ville » must not open the commune of Villé)
                article, _, rest = phrase.partition(" ")
                short = rest if rest and article in ARTICLES else phrase
                exact_rows = set(
                    conn.execute(
                        text(
                            "SELECT doc FROM search_exact WHERE (territory IN (0, 1) AND key = :k) "
                            "OR (territory = 0 AND key = :s)"
                        ),
                        {"k": phrase, "s": short},
                    ).scalars()
                )
                clauses = ["(" + " OR ".join(_fts_term(p) for p in t.prefixes) + ")" for t in terms]
                rows = self._match_names_first(conn, " AND ".join(clauses), limit)
                if not rows and len(clauses) > 1:
                    rows = self._match_names_first(conn, " OR ".join(clauses), limit)
                    result.partial = bool(rows)
                missing = exact_rows - {r.rowid for r in rows}
                if missing:
                    rows += self._docs(conn, missing)
            dated = self._date_ranks(conn, rows, question) if question.has_dates else {}
        prefixes = [p for t in terms for p in t.prefixes]
        # each title folded once: the ranking reads its words three ways (tier, prefix-only places, name order)
        folded_titles = {r.rowid: fold(r.title) for r in rows}
        title_words = {rowid: words(title) for rowid, title in folded_titles.items()}
        prefix_only = self._prefix_only_places(rows, terms, title_words) - exact_rows
        # entities before their glossary entry at the same level: the fiche is what people want
        ranked = sorted(
            rows,
            key=lambda r: (
                r.rowid not in exact_rows,
                # the 5,500 funded structures (adultes-relais, FONJEP) after every other fiche unless typed exactly:
                # « jeunesse » or « insertion » are in hundreds of their names, and must still open the written fiches
                r.kind == "organisation" and r.rowid not in exact_rows,
                0 if r.rowid in exact_rows else self._tier(title_words[r.rowid], r.exact_keys, prefixes, question.has_dates),
                dated.get(r.ref, 2),  # a fiche dated as typed (« CIV janvier 2021 ») before one that only mentions it
                r.rowid in prefix_only,  # « PIC » typed whole: Picauville after what holds the word itself
                r.kind in OPEN_DATA_KINDS,  # at equal level, the written fiche before the 3,000 sites and 5,500 structures
                r.doc_type == "glossary",
                r.status != "active",  # at equal level, what still runs before what has closed
                r.score,
                folded_titles[r.rowid],
            ),
        )
        if prefix_only and len(prefix_only) < len(ranked):
            # places that only start like a typed word never crowd out what matches it: a few, then a count
            shown = [r for r in ranked if r.rowid in prefix_only][:PREFIX_PLACES_SHOWN]
            result.more_places = len(prefix_only) - len(shown)
            ranked = [r for r in ranked if r.rowid not in prefix_only or r in shown]
        result.truncated = len(ranked) > limit
        result.hits = [self._hit(r, prefixes, r.rowid in exact_rows) for r in ranked[:limit]]
        return result

    @staticmethod
    def _prefix_only_places(rows, terms: list[_Term], title_words: dict[int, list[str]]) -> set[int]:
        """Territory rows whose name holds a typed word only as the start of a longer word
        (« pic » in Picauville), when the word was typed whole (three letters or more)."""
        whole = [t.word for t in terms if len(t.word) >= 3 and not any(c.isdigit() for c in t.word)]
        if not whole:
            return set()
        found = set()
        for r in rows:
            if r.kind not in OPEN_DATA_KINDS:
                continue
            found_words = title_words[r.rowid]
            title = set(found_words) | {light_stem(w) for w in found_words}
            if not all(w in title or light_stem(w) in title for w in whole):
                found.add(r.rowid)
        return found

    def _starting_with(self, conn, start: str, limit: int):
        """Docs with a name or acronym starting with these letters: written content by shortest key,
        then territories in key order (the index stops early instead of sorting thousands of codes)."""
        upper = start[:-1] + chr(ord(start[-1]) + 1)
        columns = (
            "d.rowid AS rowid, d.doc_type, d.ref, d.kind, d.title, d.status, d.exact_keys, d.summary, d.body, "
            "0.0 AS score, e.key AS exact_key"
        )
        rows, seen = [], set()
        for territory, order in ((0, "length(e.key), e.key"), (1, "e.key")):
            found = conn.execute(
                text(
                    f"SELECT {columns} FROM search_exact e JOIN search_doc d ON d.rowid = e.doc "
                    f"WHERE e.territory = :t AND e.key >= :a AND e.key < :b ORDER BY {order} LIMIT :n"
                ),
                {"t": territory, "a": start, "b": upper, "n": limit * 2},
            )
            for row in found:
                if row.rowid not in seen:
                    seen.add(row.rowid)
                    rows.append(row)
            if len(rows) >= limit:
                break
        return rows

    def _match_names_first(self, conn, fts_query: str, limit: int):
        """Names, acronyms and aliases first; the whole text only when they give few answers.
        A common word ("quartier") matches most of the 8,000 territory summaries: ranking them
        all would cost far more than the answer is worth while typing."""
        named = self._match(conn, "{name keys} : (" + fts_query + ")", limit)
        # structures' names do not count: hundreds of them hold « jeunesse », no written fiche would be fetched
        if sum(1 for r in named if r.kind != "organisation") >= min(limit, NAMES_ENOUGH):
            return named
        return self._match(conn, fts_query, limit)

    def _match(self, conn, fts_query: str, limit: int):
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        return list(
            conn.execute(
                text(
                    "SELECT d.rowid AS rowid, d.doc_type, d.ref, d.kind, d.title, d.status, d.exact_keys, d.summary, d.body, "
                    f"bm25(search_fts, {weights}) AS score "
                    "FROM search_fts JOIN search_doc d ON d.rowid = search_fts.rowid "
                    # written content first, then the thousands of territories: a common word
                    # ("emploi") must not push the programme out of the fetched rows
                    f"WHERE search_fts MATCH :q ORDER BY d.kind IN ({_TERRITORY_SQL}), score LIMIT :n"
                ),
                {"q": fts_query, "n": max(limit * 2, 60)},
            )
        )

    def _docs(self, conn, rowids: set[int]):
        ids = ",".join(str(int(r)) for r in rowids)
        return list(
            conn.execute(
                text(
                    "SELECT rowid, doc_type, ref, kind, title, status, exact_keys, summary, body, -1000.0 AS score "
                    f"FROM search_doc WHERE rowid IN ({ids})"  # noqa: S608 (integers only)
                )
            )
        )

    @staticmethod
    def _tier(title_words: list[str], exact_keys: str, prefixes: list[str], dated: bool = False) -> int:
        """0 when the name holds every word typed, 1 when the name with the acronym and aliases do,
        2 for fiches that only mention them. With a date typed, 0 and 1 are one level: the date then
        tells them apart (« CIV janvier 2021 »: civ-2021, also named « CIV 2021 », before the CIV)."""
        if all(any(w.startswith(p) for w in title_words) for p in prefixes):
            return 0
        key_words = title_words + words(exact_keys)
        if all(any(w.startswith(p) for w in key_words) for p in prefixes):
            return 0 if dated else 1
        return 2

    @staticmethod
    def _date_ranks(conn, rows, question: Question) -> dict[str, int]:
        """entity id -> 0 when its own date (start, end) matches the typed month/year, 1 when one of its
        facts does; entities with neither are left out (rank 2)."""
        # the written fiches: a place or a funded structure has no date a question is about
        ids = sorted({r.ref for r in rows if r.doc_type == "entity" and r.kind not in OPEN_DATA_KINDS})
        if not ids:
            return {}
        marks = ",".join(f":i{n}" for n in range(len(ids)))
        params = {f"i{n}": i for n, i in enumerate(ids)}

        def matches(date: str | None) -> bool:
            if not date or not date[:4].isdigit():
                return False
            year, month = int(date[:4]), int(date[5:7]) if date[5:7].isdigit() else None
            return (not question.years or year in question.years) and (not question.months or month in question.months)

        ranks: dict[str, int] = {}
        for entity_id, start, end in conn.execute(
            text(f"SELECT id, start_date, end_date FROM entity WHERE id IN ({marks})"),
            params,  # noqa: S608
        ):
            if matches(start) or matches(end):
                ranks[entity_id] = 0
        for entity_id, dates in conn.execute(
            text(f"SELECT entity_id, dates FROM fact WHERE entity_id IN ({marks})"),
            params,  # noqa: S608
        ):
            if entity_id not in ranks and any(matches(d.strip()) for d in re.split(r"[|,;\s]+", dates or "")):
                ranks[entity_id] = 1
        return ranks

    @staticmethod
    def _hit(row, prefixes: list[str], exact: bool) -> SearchHit:
        group = "Glossaire" if row.doc_type == "glossary" else KINDS.get(row.kind, ("", "Acteurs"))[1]
        snippet, spans = make_snippet(row.summary or "", prefixes)
        if not spans and row.body:
            body_snippet, body_spans = make_snippet(row.body, prefixes)
            if body_spans:
                snippet, spans = body_snippet, body_spans
        return SearchHit(row.doc_type, row.ref, row.kind, group, row.title, row.status, float(row.score), exact, snippet, spans)
