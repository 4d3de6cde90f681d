"""UserData: the user's own database (local partners, favourites, notes, settings), opened once.

Opening it (open_user_data) runs, in order: integrity check -> recovery of a damaged file ->
rotating backup -> Alembic upgrade (after a copy) -> ready. Writes go through one lock per
process and `BEGIN IMMEDIATE` across processes, so they are serialized; reads never block.
All methods return plain dataclasses (qpvdesk/userdata/views.py).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from qpvdesk.errors import french_reason
from qpvdesk.userdata import backups, location
from qpvdesk.userdata.database import ForeignDatabase, make_engine, migrate, quick_check
from qpvdesk.userdata.exchange import partners_document, write_json, write_partners_csv
from qpvdesk.userdata.importer import PartnerImporter
from qpvdesk.userdata.messages import Msg, UserDataError
from qpvdesk.userdata.partners import PartnerStore
from qpvdesk.userdata.personal import PersonalStore
from qpvdesk.userdata.refs import NO_REFS, CatalogueRefs
from qpvdesk.userdata.views import BackupInfo, StartupReport, local_uid
from qpvdesk.views import SearchHit

LOCK_NAME = ".ouverture.lock"  # hidden on Linux; left in place (removing it would race)
OPEN_LOCK_TIMEOUT_S = 60  # a long upgrade of a big database by the other window

log = logging.getLogger(__name__)


class UserData(PartnerStore, PartnerImporter, PersonalStore):
    def __init__(self, folder: Path, refs: CatalogueRefs | None = None, startup: StartupReport | None = None) -> None:
        self.folder = Path(folder)
        self.path = self.folder / location.DB_NAME
        self.backups_dir = self.folder / location.BACKUP_DIR
        self.refs = refs or NO_REFS
        self.startup = startup or StartupReport()
        self._lock = threading.RLock()
        self._open_engines()

    def _open_engines(self) -> None:
        self._reader = make_engine(self.path, writer=False)
        self._writer = make_engine(self.path, writer=True)
        self._read_sessions = sessionmaker(self._reader)
        self._write_sessions = sessionmaker(self._writer)

    def close(self) -> None:
        with self._lock:
            self._reader.dispose()
            self._writer.dispose()

    def __enter__(self) -> UserData:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- transactions ---------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._read_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE), committed at the end, rolled back on any error."""
        with self._lock, self._write_sessions() as session:
            try:
                with session.begin():
                    yield session
            except OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise UserDataError(Msg.BUSY) from exc
                raise

    # --- for the window: fiche and search -------------------------------------------------

    def fiche_html(self, entity_id: str, for_print: bool = False) -> str | None:
        """The fiche of a local partner ("local:<uuid>"), None for any other id."""
        from qpvdesk.userdata.fiche import local_partner_html

        uid = local_uid(entity_id)
        partner = self.get_partner(uid) if uid else None
        return local_partner_html(partner, self.refs, for_print) if partner else None

    def territory_partners_html(self, territories, entity_id: str) -> str:
        """The « Vos partenaires locaux » section of a QPV or commune fiche ("" elsewhere, or when none).
        `territories`: the catalogue's TerritoryRepository (it knows the place's communes and QPV codes)."""
        from qpvdesk.userdata.fiche import territory_partners_html

        places = territories.places(entity_id)
        if places is None:
            return ""
        return territory_partners_html(self.partners_in_territory(places.communes, places.qpv_codes), places)

    def search_hits(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Local partners as search hits (group « Partenaires locaux », id "local:<uuid>"), to merge into
        the catalogue's SearchResult.hits: open_entity() knows these ids."""
        from qpvdesk.userdata.hits import partner_hits

        return partner_hits(self.search_partners(text, limit), text)

    # --- file exchange --------------------------------------------------------------------

    def export_partners(self, path: Path | str, file_format: str | None = None) -> int:
        """Write the local partners (deleted ones excepted) to CSV or JSON; returns how many."""
        path = Path(path)
        file_format = (file_format or path.suffix.lstrip(".") or "csv").lower()
        partners = self.list_partners()
        if file_format == "csv":
            write_partners_csv(path, partners)
        elif file_format == "json":
            write_json(path, partners_document(partners))
        else:
            raise UserDataError(Msg.UNKNOWN_FORMAT.format(suffix=file_format))
        return len(partners)

    # --- backups --------------------------------------------------------------------------

    def list_backups(self) -> list[BackupInfo]:
        return backups.list_backups(self.backups_dir)

    def backup_now(self, target: Path | str | None = None) -> Path:
        """A copy made on request: in the backups folder, or at `target` (USB stick…)."""
        if target is None:
            made = backups.make_backup(self.path, self.backups_dir, kind="manuelle")
            assert made is not None
            return made
        backups.copy_database(self.path, Path(target))
        return Path(target)

    def restore_backup(self, path: Path | str) -> str:
        """Replace the current data by a backup's, after copying the current data aside.
        Returns a French message for the user; raises UserDataError (nothing changed) on a bad file."""
        path = Path(path)
        reason = backups.is_sound_user_db(path) if path.is_file() else Msg.FILE_MISSING.format(path=path)
        if reason:
            raise UserDataError(Msg.BACKUP_UNREADABLE.format(reason=reason))
        info = backups.inspect(path)
        with self._lock:
            safety = backups.make_backup(self.path, self.backups_dir, kind="avant-restauration")
            self._reader.dispose()
            self._writer.dispose()
            try:
                backups.restore_into(path, self.path)
            finally:
                self._open_engines()
            migrate(self._writer, lambda rev: self._backup_before_upgrade(rev))
        return Msg.RESTORED.format(date=info.created_at, safety=safety.name if safety else "")

    def _backup_before_upgrade(self, revision: str) -> None:
        made = backups.make_backup(self.path, self.backups_dir, kind="avant-mise-a-jour", label=revision)
        self.startup.upgraded_from = revision
        self.startup.backup = made

    def integrity_problem(self) -> str | None:
        return quick_check(self.path)


def _recover(path: Path, folder: Path, reason: str, report: StartupReport) -> None:
    aside = backups.set_aside(path)
    report.set_aside.append(aside)
    report.recovered = True
    source = backups.newest_sound_backup(folder)
    if source is None:
        report.messages.append(Msg.RECOVERED_EMPTY.format(reason=reason, aside=aside.name))
        return
    backups.copy_database(source, path)
    report.restored_from = source
    report.messages.append(Msg.RECOVERED.format(reason=reason, aside=aside.name, backup=backups.inspect(source).created_at))


def _foreign_reason(path: Path) -> str | None:
    """A sound SQLite file holding other tables and no Alembic version is not ours."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")}
    finally:
        conn.close()
    return Msg.FOREIGN_DB if tables and "alembic_version" not in tables else None


def open_user_data(folder: Path | str | None = None, refs: CatalogueRefs | None = None, backup: bool = True) -> UserData:
    """Open (create, check, back up, upgrade) the user database. Raises UserDataError (French) only
    when nothing can be done (folder not writable, data from a newer qpvdesk)."""
    report = StartupReport()
    if folder is None:  # a portable folder nobody can write: the data goes to the user's folder, said once
        report.messages.extend(filter(None, [location.take_fallback_notice()]))
    folder = Path(folder) if folder is not None else location.user_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / location.BACKUP_DIR).mkdir(exist_ok=True)
    except OSError as exc:
        raise UserDataError(Msg.NOT_WRITABLE.format(folder=folder, error=french_reason(exc))) from exc
    path = folder / location.DB_NAME
    backups_dir = folder / location.BACKUP_DIR
    with _opening_lock(folder):
        return _open_locked(folder, path, backups_dir, refs, backup, report)


@contextmanager
def _opening_lock(folder: Path) -> Iterator[None]:
    """One instance at a time checks, repairs and upgrades the database.

    Two windows started together on a new folder could otherwise see the other's half-created file
    as empty and "recover" it from under it (SQLite then reports a disk I/O error).
    """
    lock = FileLock(folder / LOCK_NAME)
    try:
        lock.acquire(timeout=OPEN_LOCK_TIMEOUT_S)
    except Timeout as exc:
        raise UserDataError(Msg.BUSY) from exc
    except (OSError, NotImplementedError):  # a file system without locks (some network shares): go on, as before
        yield
        return
    try:
        yield
    finally:
        lock.release()


def _open_locked(folder: Path, path: Path, backups_dir: Path, refs: CatalogueRefs | None, backup: bool,
                 report: StartupReport) -> UserData:
    try:
        if path.exists():
            reason = quick_check(path) or _foreign_reason(path)
            if reason:
                _recover(path, backups_dir, reason, report)
            elif backup:
                backups.make_backup(path, backups_dir)
        data = UserData(folder, refs, report)
        try:
            migrate(data._writer, data._backup_before_upgrade)
        except ForeignDatabase:  # pragma: no cover - caught above by _foreign_reason
            data.close()
            raise
        except BaseException:
            data.close()
            raise
    except OSError as exc:
        raise UserDataError(Msg.NOT_WRITABLE.format(folder=folder, error=french_reason(exc))) from exc
    except sqlite3.OperationalError as exc:
        raise UserDataError(Msg.NOT_WRITABLE.format(folder=folder, error=french_reason(exc))) from exc
    except OperationalError as exc:
        if "locked" in str(exc):
            raise UserDataError(Msg.BUSY) from exc
        raise UserDataError(Msg.NOT_WRITABLE.format(folder=folder, error=french_reason(exc))) from exc
    if report.upgraded_from and report.backup:
        report.messages.append(Msg.UPGRADED.format(backup=report.backup.name))
    return data
