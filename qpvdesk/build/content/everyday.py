"""« Mots courants »: the words field staff type (« subvention », « renouvellement urbain ») and the
fiches they should lead to. Search keys only: they are indexed with the fiches, never shown as names.
The list lives in the content (resources/content/mots-courants.yaml), not in code."""

from __future__ import annotations

from qpvdesk.build.content.records import Content, ContentError, Where
from qpvdesk.build.content.yaml_lines import LocatedDict, LocatedList

FILE = "mots-courants.yaml"


def read_everyday_words(content: Content, root: object) -> None:
    """Fill content.everyday (word -> fiche ids, the first being the exact answer); errors name the line."""
    if not isinstance(root, LocatedList):
        content.errors.append(ContentError(Where(FILE, 1), "une liste d'entrées « mots » / « fiches » est attendue"))
        return
    for item, line in zip(root, root.item_lines):
        if not isinstance(item, LocatedDict):
            content.errors.append(ContentError(Where(FILE, line), "une entrée avec « mots » et « fiches » est attendue"))
            continue
        found_words, ids = item.get("mots"), item.get("fiches")
        if not isinstance(found_words, list) or not found_words or not all(isinstance(w, str) and w.strip() for w in found_words):
            content.errors.append(ContentError(Where(FILE, item.line_of("mots"), "mots"),
                                               "une liste de mots non vides est attendue"))
            continue
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            content.errors.append(ContentError(Where(FILE, item.line_of("fiches"), "fiches"),
                                               "une liste d'identifiants de fiches est attendue"))
            continue
        for word in found_words:
            content.everyday.setdefault(word.strip(), [])
            content.everyday[word.strip()] += [i for i in ids if i not in content.everyday[word.strip()]]
        content.everyday_lines.extend((i, item.line_of("fiches")) for i in ids)


def check_everyday_words(content: Content, known_ids: set[str]) -> list[ContentError]:
    return [
        ContentError(Where(FILE, line, "fiches"), f"identifiant de fiche inconnu : « {entity_id} »")
        for entity_id, line in content.everyday_lines
        if entity_id not in known_ids
    ]


TABLE = """CREATE TABLE everyday_word (
    word TEXT NOT NULL, entity_id TEXT NOT NULL, exact INTEGER NOT NULL, PRIMARY KEY (word, entity_id)
) WITHOUT ROWID"""


def store_everyday_words(conn, content: Content) -> None:
    """Write the words into the catalogue, where the search-index builder reads them (first fiche: exact)."""
    conn.execute(TABLE)
    conn.executemany(
        "INSERT OR IGNORE INTO everyday_word VALUES (?, ?, ?)",
        (
            (word, entity_id, int(position == 0))
            for word, ids in sorted(content.everyday.items())
            for position, entity_id in enumerate(ids)
        ),
    )
