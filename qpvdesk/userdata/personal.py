"""Favourites, personal notes and settings: the part of UserData that issue 6's UI builds on.

Favourites and notes are keyed by stable entity ids (catalogue ids, or "local:<uuid>" for a
local partner), never by row numbers, so they survive catalogue updates. An id the catalogue no
longer knows is kept and reported, never dropped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import cast

from sqlalchemy import ColumnElement, Table, delete, func, insert, select, true, update

from qpvdesk import __version__
from qpvdesk.userdata.exchange import write_json
from qpvdesk.userdata.folding import note_search_text, query_words
from qpvdesk.userdata.messages import Msg, UserDataError
from qpvdesk.userdata.personal_import import PersonalImporter, checked_entity_id
from qpvdesk.userdata.schema import FavouriteRecord, NoteRecord, SettingRecord
from qpvdesk.userdata.text import clean_block, now_iso
from qpvdesk.userdata.views import MAX_NOTES, Favourite, Note, local_uid

F = cast(Table, FavouriteRecord.__table__)
N = cast(Table, NoteRecord.__table__)
S = cast(Table, SettingRecord.__table__)
_entity_id = checked_entity_id


def _json_name(path: Path) -> None:
    """Notes and favourites files are JSON: a « .csv » name would hold JSON that import then refuses."""
    if path.suffix.lower() != ".json":
        raise UserDataError(Msg.EXPORT_JSON_ONLY.format(suffix=path.suffix or "sans extension"))


class PersonalStore(PersonalImporter):
    """Mixed into UserData (which provides _read, _write and refs)."""

    # --- which ids exist ------------------------------------------------------------------

    def entity_known(self, entity_id: str) -> bool:
        uid = local_uid(entity_id)
        if uid is not None:
            return self.get_partner(uid) is not None  # type: ignore[attr-defined]
        return self.refs.entity_exists(entity_id)  # type: ignore[attr-defined]

    # --- favourites -----------------------------------------------------------------------

    def list_favourites(self) -> list[Favourite]:
        with self._read() as s:  # type: ignore[attr-defined]
            return [
                Favourite(r.entity_id, r.position, r.added_at) for r in s.execute(select(F).order_by(F.c.position, F.c.added_at))
            ]

    def is_favourite(self, entity_id: str) -> bool:
        with self._read() as s:  # type: ignore[attr-defined]
            return s.scalar(select(func.count()).select_from(F).where(F.c.entity_id == entity_id)) > 0

    def add_favourite(self, entity_id: str) -> Favourite:
        """Append at the end; adding an existing favourite changes nothing."""
        checked = _entity_id(entity_id)
        if checked is None:
            raise UserDataError(f"Identifiant de fiche invalide : « {entity_id[:80]} ».")
        with self._write() as s:  # type: ignore[attr-defined]
            row = s.execute(select(F).where(F.c.entity_id == checked)).first()
            if row is not None:
                return Favourite(row.entity_id, row.position, row.added_at)
            last = s.scalar(select(func.max(F.c.position)))
            position = 0 if last is None else last + 1
            stamp = now_iso()
            s.execute(insert(F).values(entity_id=checked, position=position, added_at=stamp))
        return Favourite(checked, position, stamp)

    def remove_favourite(self, entity_id: str) -> bool:
        with self._write() as s:  # type: ignore[attr-defined]
            removed = s.execute(delete(F).where(F.c.entity_id == entity_id)).rowcount > 0
        if removed:
            self._renumber_favourites()
        return removed

    def reorder_favourites(self, entity_ids: list[str]) -> list[Favourite]:
        """Put the given ids first, in this order; favourites not listed follow in their old order."""
        current = [f.entity_id for f in self.list_favourites()]
        wanted = [i for i in dict.fromkeys(entity_ids) if i in current]
        order = wanted + [i for i in current if i not in wanted]
        with self._write() as s:  # type: ignore[attr-defined]
            for position, entity_id in enumerate(order):
                s.execute(update(F).where(F.c.entity_id == entity_id).values(position=position))
        return self.list_favourites()

    def move_favourite(self, entity_id: str, new_index: int) -> list[Favourite]:
        order = [f.entity_id for f in self.list_favourites() if f.entity_id != entity_id]
        if len(order) == len(self.list_favourites()):
            return self.list_favourites()
        order.insert(max(0, min(new_index, len(order))), entity_id)
        return self.reorder_favourites(order)

    def _renumber_favourites(self) -> None:
        self.reorder_favourites([f.entity_id for f in self.list_favourites()])

    def export_favourites(self, path: Path | str, names: Mapping[str, str] | None = None) -> int:
        """A small JSON file for a colleague; `names` (id -> title) makes it readable, it is not needed to import."""
        _json_name(Path(path))
        favourites = self.list_favourites()
        write_json(
            Path(path),
            {
                "format": "qpvdesk-favoris",
                "version": 1,
                "app_version": __version__,
                "exported_at": now_iso(),
                "favourites": [
                    {
                        "id": f.entity_id,
                        **({"name": names[f.entity_id]} if names and f.entity_id in names else {}),
                        "added_at": f.added_at,
                    }
                    for f in favourites
                ],
            },
        )
        return len(favourites)

    # --- notes ----------------------------------------------------------------------------

    def get_note(self, entity_id: str) -> Note | None:
        with self._read() as s:  # type: ignore[attr-defined]
            row = s.execute(select(N).where(N.c.entity_id == entity_id)).first()
        return Note(row.entity_id, row.text, row.updated_at) if row else None

    def set_note(self, entity_id: str, text: str) -> Note | None:
        """Save (debounced by the UI as you type). An empty text removes the note of that entity."""
        checked = _entity_id(entity_id)
        if checked is None:
            raise UserDataError(f"Identifiant de fiche invalide : « {entity_id[:80]} ».")
        text = clean_block(text)
        if len(text) > MAX_NOTES:
            raise UserDataError(f"Note trop longue ({len(text)} caractères ; maximum {MAX_NOTES}).")
        stamp = now_iso()
        with self._write() as s:  # type: ignore[attr-defined]
            if not text:
                s.execute(delete(N).where(N.c.entity_id == checked))
                return None
            values = {"text": text, "updated_at": stamp, "search_text": note_search_text(text)}
            if s.execute(update(N).where(N.c.entity_id == checked).values(**values)).rowcount == 0:
                s.execute(insert(N).values(entity_id=checked, **values))
        return Note(checked, text, stamp)

    def list_notes(self) -> list[Note]:
        with self._read() as s:  # type: ignore[attr-defined]
            return [Note(r.entity_id, r.text, r.updated_at) for r in s.execute(select(N).order_by(N.c.updated_at.desc()))]

    def search_notes(self, text: str, limit: int = 50) -> list[Note]:
        """Notes holding every word of `text`, accents and case forgiven, most recent first."""
        words = query_words(text)
        if not words:
            return []
        condition: ColumnElement[bool] = true()
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            term = N.c.search_text.like(f"%{escaped}%", escape="\\")
            condition = condition & term
        with self._read() as s:  # type: ignore[attr-defined]
            rows = s.execute(select(N).where(condition).order_by(N.c.updated_at.desc()).limit(limit))
            return [Note(r.entity_id, r.text, r.updated_at) for r in rows]

    def export_notes(self, path: Path | str) -> int:
        _json_name(Path(path))
        notes = self.list_notes()
        write_json(
            Path(path),
            {
                "format": "qpvdesk-notes",
                "version": 1,
                "app_version": __version__,
                "exported_at": now_iso(),
                "notes": [{"entity_id": n.entity_id, "text": n.text, "updated_at": n.updated_at} for n in notes],
            },
        )
        return len(notes)

    # --- settings (session restore, preferences kept with the data) ------------------------

    def get_setting(self, key: str, default: object = None) -> object:
        with self._read() as s:  # type: ignore[attr-defined]
            value = s.scalar(select(S.c.value).where(S.c.key == key))
        if value is None:
            return default
        try:
            return json.loads(value)
        except ValueError:
            return default

    def set_setting(self, key: str, value: object) -> None:
        encoded = json.dumps(value, ensure_ascii=False)
        with self._write() as s:  # type: ignore[attr-defined]
            if s.execute(update(S).where(S.c.key == key).values(value=encoded)).rowcount == 0:
                s.execute(insert(S).values(key=key, value=encoded))
