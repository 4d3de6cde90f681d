"""Importing favourites and notes files: streamed, limited, written in batches inside ONE transaction,
with progress and cancellation between batches (a cancelled import changes nothing).

Notes obey the same length limit as typing (MAX_NOTES), for a new note as for a merged one; a note
that must be shortened is named in the report (dry run and real) with how many characters were left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

from sqlalchemy import Table, bindparam, func, insert, select, update

from qpvdesk.userdata.exchange import FileRejected, json_document_items
from qpvdesk.userdata.folding import note_search_text
from qpvdesk.userdata.messages import Msg
from qpvdesk.userdata.partners import P
from qpvdesk.userdata.schema import FavouriteRecord, NoteRecord
from qpvdesk.userdata.text import clean_block, clean_line, french_datetime, lone_surrogate, now_iso
from qpvdesk.userdata.views import MAX_NOTES, FavouritesImportReport, NotesImportReport, local_uid

F = cast(Table, FavouriteRecord.__table__)
N = cast(Table, NoteRecord.__table__)
MAX_ID = 200
MAX_FAVOURITES_IMPORT = 10_000  # far more than anyone pins; a bigger file is not a favourites export
MAX_NOTES_IMPORT = 500_000  # a note on every fiche and on far more local partners than one file holds
BATCH = 2000
Progress = Callable[[int, int], object]  # (done, total); returning False cancels (nothing is written)


class ImportCancelled(Exception):
    pass


def checked_entity_id(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = clean_line(value)
    return value if 0 < len(value) <= MAX_ID else None


def _element_error(path: Path, index: int, problem: str) -> FileRejected:
    return FileRejected(Msg.ELEMENT_PROBLEM.format(file=path.name, index=index, problem=problem))


def _check_text(path: Path, index: int, field: str, value: object) -> None:
    if isinstance(value, str) and (code := lone_surrogate(value)) is not None:
        raise _element_error(path, index, Msg.BAD_CHARACTER.format(field=field, code=code))


def _batches(items: list, progress: Progress | None, done: int, total: int) -> Iterable[list]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]
        done += len(items[start : start + BATCH])
        if progress is not None and progress(done, total) is False:
            raise ImportCancelled


class PersonalImporter:
    """Mixed into UserData (which provides _read, _write and refs)."""

    def _unknown_ids(self, session, ids: Iterable[str]) -> tuple[str, ...]:
        ids = list(ids)
        locals_ = {i: uid for i in ids if (uid := local_uid(i)) is not None}
        alive: set[str] = set()
        uids = list(locals_.values())
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            alive.update(session.scalars(select(P.c.uid).where(P.c.uid.in_(chunk) & P.c.deleted_at.is_(None))))
        return tuple(i for i in ids if (locals_[i] not in alive if i in locals_ else not self.refs.entity_exists(i)))  # type: ignore[attr-defined]

    def import_favourites(self, path: Path | str, dry_run: bool = False,
                          progress: Progress | None = None) -> FavouritesImportReport:
        """Add the file's favourites after the current ones. Unknown ids are imported too, and listed."""
        path = Path(path)
        try:
            ids = []
            items = list(json_document_items(path, "favourites", Msg.FAV_SHAPE, MAX_FAVOURITES_IMPORT, top_list=True))
            for index, item in enumerate(items, 1):  # the whole file's syntax is checked first
                raw = item.get("id") if isinstance(item, dict) else item
                _check_text(path, index, "id", raw)
                entity_id = checked_entity_id(raw)
                if entity_id is None:
                    raise _element_error(path, index, Msg.FAV_SHAPE)
                ids.append(entity_id)
        except FileRejected as exc:
            return FavouritesImportReport(file_error=str(exc))
        ids = list(dict.fromkeys(ids))
        try:
            with self._read() if dry_run else self._write() as s:  # type: ignore[attr-defined]
                current = set(s.scalars(select(F.c.entity_id)))
                added = tuple(i for i in ids if i not in current)
                already = tuple(i for i in ids if i in current)
                unknown = self._unknown_ids(s, ids)
                if not dry_run and added:
                    last = s.scalar(select(func.max(F.c.position)))
                    start = 0 if last is None else last + 1
                    stamp = now_iso()
                    rows = [{"entity_id": i, "position": start + n, "added_at": stamp} for n, i in enumerate(added)]
                    for batch in _batches(rows, progress, 0, len(rows)):
                        s.execute(insert(F), batch)
        except ImportCancelled:
            return FavouritesImportReport(file_error=Msg.CANCELLED)
        return FavouritesImportReport(added, already, unknown)

    def _incoming_notes(self, path: Path) -> dict[str, str]:
        incoming: dict[str, str] = {}
        items = list(json_document_items(path, "notes", Msg.NOTES_SHAPE, MAX_NOTES_IMPORT))
        for index, item in enumerate(items, 1):  # the whole file's syntax is checked first
            raw_id = item.get("entity_id") if isinstance(item, dict) else None
            text = item.get("text") if isinstance(item, dict) else None
            _check_text(path, index, "entity_id", raw_id)
            _check_text(path, index, "text", text)
            entity_id = checked_entity_id(raw_id)
            if entity_id is None or not isinstance(text, str):
                raise _element_error(path, index, Msg.NOTES_SHAPE)
            if cleaned := clean_block(text):
                incoming[entity_id] = cleaned
        return incoming

    def import_notes(self, path: Path | str, dry_run: bool = False, progress: Progress | None = None) -> NotesImportReport:
        """New notes are added; a different existing note gets the imported text appended below a
        dated line (nothing is overwritten); identical notes are left alone. Any note longer than
        MAX_NOTES is shortened to it, and reported."""
        path = Path(path)
        try:
            incoming = self._incoming_notes(path)
        except FileRejected as exc:
            return NotesImportReport(file_error=str(exc))
        header = Msg.NOTE_MERGE_HEADER.format(date=french_datetime(now_iso()))
        inserts: dict[str, str] = {}
        updates: dict[str, str] = {}
        shortened: list[tuple[str, int]] = []
        unchanged = 0
        try:
            with self._read() if dry_run else self._write() as s:  # type: ignore[attr-defined]
                ids = list(incoming)
                current: dict[str, str] = {}
                for start in range(0, len(ids), 500):
                    chunk = ids[start : start + 500]
                    rows = s.execute(select(N.c.entity_id, N.c.text).where(N.c.entity_id.in_(chunk)))
                    current.update((r.entity_id, r.text) for r in rows)
                for entity_id, text in incoming.items():
                    existing = current.get(entity_id)
                    if existing is not None and text in existing:
                        unchanged += 1
                        continue
                    full = text if existing is None else f"{existing}\n\n{header}\n{text}"
                    if len(full) > MAX_NOTES:
                        kept = full[:MAX_NOTES]
                        shortened.append((entity_id, min(len(text), len(full) - MAX_NOTES)))
                        if existing is not None and len(existing) + len(header) + 3 >= MAX_NOTES:
                            continue  # none of the imported text would fit: the note is left as it is
                        full = kept
                    (inserts if existing is None else updates)[entity_id] = full
                unknown = self._unknown_ids(s, incoming)
                if not dry_run:
                    self._write_notes(s, inserts, updates, progress)
        except ImportCancelled:
            return NotesImportReport(file_error=Msg.CANCELLED)
        return NotesImportReport(len(inserts), len(updates), unchanged, unknown, shortened=tuple(shortened))

    @staticmethod
    def _write_notes(session, inserts: dict[str, str], updates: dict[str, str], progress: Progress | None) -> None:
        stamp = now_iso()
        total = len(inserts) + len(updates)
        new_rows = [{"entity_id": i, "text": t, "updated_at": stamp, "search_text": note_search_text(t)}
                    for i, t in inserts.items()]
        for batch in _batches(new_rows, progress, 0, total):
            session.execute(insert(N), batch)
        changed = [{"eid": i, "text": t, "updated_at": stamp, "search_text": note_search_text(t)} for i, t in updates.items()]
        statement = update(N).where(N.c.entity_id == bindparam("eid"))
        for batch in _batches(changed, progress, len(new_rows), total):
            session.connection().execute(statement, batch)
