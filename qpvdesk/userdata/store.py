"""UserData: the user's own database (local partners, favourites, notes, settings), opened once.

Opening it (open_user_data) runs, in order: integrity check -> recovery of a damaged file ->
rotating backup -> Alembic upgrade (after a copy) -> ready. Writes go through one lock per
process and `BEGIN IMMEDIATE` across processes, so they are serialized; reads never block.
All methods return plain dataclasses (qpvdesk/userdata/views.py).
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from qpvdesk.errors import describe_os_error, french_reason, is_busy
from qpvdesk.userdata import backups, location, wal
from qpvdesk.userdata.database import HEAD_REVISION, make_engine, migrate, quick_check, read_only_uri
from qpvdesk.userdata.exchange import write_partners_csv, write_partners_json
from qpvdesk.userdata.importer import PartnerImporter
from qpvdesk.userdata.links import PartnerLinkStore, resolve_link
from qpvdesk.userdata.messages import Msg, UserDataError
from qpvdesk.userdata.partners import PartnerStore
from qpvdesk.userdata.personal import PersonalStore
from qpvdesk.userdata.refs import NO_REFS, CatalogueRefs
from qpvdesk.userdata.views import BackupInfo, StartupReport, local_uid
from qpvdesk.views import SearchHit

LOCK_NAME = ".ouverture.lock"  # hidden on Linux; left in place (removing it would race)
OPEN_LOCK_TIMEOUT_S = 60  # a long upgrade of a big database by the other window
FULL_BELOW_BYTES = 256 * 1024  # less free space than this: a failed write is put down to a full disk

log = logging.getLogger(__name__)


class UserData(PartnerStore, PartnerImporter, PersonalStore, PartnerLinkStore):
    def __init__(
        self, folder: Path, refs: CatalogueRefs | None = None, startup: StartupReport | None = None, read_only: str | None = None
    ) -> None:
        self.folder = Path(folder)
        self.path = self.folder / location.DB_NAME
        self.backups_dir = self.folder / location.BACKUP_DIR
        self.refs = refs or NO_REFS
        self.startup = startup or StartupReport()
        self.read_only = read_only  # None, or why nothing can be saved (French): every write is then refused
        self._lock = threading.RLock()
        self._open_engines()

    def _open_engines(self) -> None:
        uri = read_only_uri(self.path) if self.read_only is not None else None
        self._reader = make_engine(self.path, writer=False, read_only_uri=uri)
        self._writer = make_engine(self.path, writer=True, read_only_uri=uri)
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
        """One write transaction (BEGIN IMMEDIATE), committed at the end, rolled back on any error.
        A disk that is full, or a file that cannot be written, gives a French UserDataError (nothing changed)."""
        if self.read_only is not None:
            raise UserDataError(Msg.READ_ONLY_REFUSED.format(reason=self.read_only))
        with self._lock, self._write_sessions() as session:
            try:
                with session.begin():
                    yield session
            except (OperationalError, sqlite3.OperationalError) as exc:
                if is_busy(exc):
                    raise UserDataError(Msg.BUSY) from exc
                raise UserDataError(Msg.WRITE_FAILED.format(reason=french_reason(exc))) from exc

    # --- for the window: fiche and search -------------------------------------------------

    def fiche_html(self, entity_id: str, for_print: bool = False, closing_sections: Sequence[str] = ()) -> str | None:
        """The fiche of a local partner ("local:<uuid>"), None for any other id."""
        from qpvdesk.userdata.fiche import local_partner_html
        from qpvdesk.userdata.schema import PartnerRecord

        uid = local_uid(entity_id)
        partner = self.get_partner(uid) if uid else None
        if partner is None or uid is None:
            return None
        link = self.partner_link(uid)
        linked = (link, resolve_link(link, self.refs.entity_exists)) if link else None
        table = PartnerRecord.__table__
        with self._read() as session:  # who created and last changed it, once shared with a team
            authors = session.execute(select(table.c.created_by, table.c.updated_by).where(table.c.uid == uid)).first()
        return local_partner_html(partner, self.refs, for_print, closing_sections, linked, tuple(authors or ("", "")))

    def organisation_partners_html(self, entity_id: str) -> str:
        """« Vos partenaires liés » on a structure's fiche (issue 14): "" when none, or for another fiche."""
        from qpvdesk.userdata.fiche import linked_partners_html

        if not entity_id.startswith("org-"):
            return ""
        siret = entity_id[4:] if entity_id[4:].isdigit() and len(entity_id) == 18 else ""
        return linked_partners_html(self.partners_linked_to(entity_id, siret))

    def territory_partners_html(self, territories, entity_id: str) -> str:
        """The « Vos partenaires locaux » section of a QPV or commune fiche ("" elsewhere, or when none).
        `territories`: what knows the place's communes and QPV codes (`places(entity_id)`): the catalogue service."""
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

    def team_joined(self) -> bool:
        """A team database is joined here: one local read, without loading the team code (the window asks this at
        start-up, for every user, most of whom never join one)."""
        from qpvdesk.team import settings

        return settings.load(self) is not None

    @property
    def team(self):  # noqa: ANN201 - qpvdesk.team.access.TeamAccess (imported when first used)
        """The team database (qpvdesk/team) for this data: status, join, sync, conflicts, leave."""
        from qpvdesk.team.access import TeamAccess

        return TeamAccess(self)

    # --- file exchange --------------------------------------------------------------------

    def export_partners(self, path: Path | str, file_format: str | None = None) -> int:
        """Write the local partners (deleted ones excepted) to CSV or JSON; returns how many."""
        path = Path(path)
        file_format = (file_format or path.suffix.lstrip(".") or "csv").lower()
        partners = self.list_partners()
        if file_format == "csv":
            write_partners_csv(path, partners)
        elif file_format == "json":
            write_partners_json(path, partners)
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
        if self.read_only is not None:
            raise UserDataError(Msg.READ_ONLY_REFUSED.format(reason=self.read_only))
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
    try:
        backups.copy_database(source, path)
    except BaseException:
        backups.put_back(aside, path)  # a full disk: the next start tries again, rather than starting empty
        raise
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
    """Open (create, check, back up, upgrade) the user database. When nothing can be written there (full disk,
    read-only folder or file), existing data is opened read-only and `startup.read_only` says so. Raises
    UserDataError (French) only when nothing can be done (no data and no way to create it, data from a newer
    qpvdesk, data to upgrade that cannot be written)."""
    report = StartupReport()
    if folder is None:  # a portable folder nobody can write: the data goes to the user's folder, said once
        report.messages.extend(filter(None, [location.take_fallback_notice()]))
    folder = Path(folder) if folder is not None else location.user_dir()
    path = folder / location.DB_NAME
    backups_dir = folder / location.BACKUP_DIR
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # private: it holds people's names and e-mails
        backups_dir.mkdir(mode=0o700, exist_ok=True)
        problem = _cannot_write(folder, path)
    except OSError as exc:
        problem = describe_os_error(exc, with_path=False)
    if problem is not None:
        if path.is_file():
            return _open_read_only(folder, refs, report, problem)
        raise UserDataError(Msg.NOT_WRITABLE.format(folder=folder, error=problem))
    with _opening_lock(folder):
        return _open_locked(folder, path, backups_dir, refs, backup, report)


def _cannot_write(folder: Path, path: Path) -> str | None:
    """Why nothing can be saved in `folder` (French), or None. A real file is created and removed: rights alone
    do not tell about a read-only medium, or a folder protected from its owner's administrator."""
    if path.is_file() and not os.access(path, os.W_OK):
        return "le fichier de vos données est protégé en écriture"
    fd, probe = tempfile.mkstemp(prefix=".qpvdesk-essai-", suffix=".tmp", dir=folder)  # backups.LEFTOVER knows it
    os.close(fd)
    os.unlink(probe)
    return None


def _reason(exc: BaseException, folder: Path | None = None) -> str:
    if folder is not None and _disk_full(folder):
        return "disque plein"  # SQLite often says only "disk I/O error" when it cannot create its -shm file
    return describe_os_error(exc, with_path=False) if isinstance(exc, OSError) else french_reason(exc)


def _disk_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < FULL_BELOW_BYTES
    except OSError:
        return False


def _open_read_only(folder: Path, refs: CatalogueRefs | None, report: StartupReport, reason: str) -> UserData:
    """The data can be read but not written: open it read-only, at the schema this qpvdesk knows."""
    try:
        data = UserData(folder, refs, report, read_only=reason)
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        raise UserDataError(Msg.NOT_WRITABLE.format(folder=folder, error=f"{reason} ; {_reason(exc)}")) from exc
    try:
        with data._read() as session:
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (sqlite3.Error, SQLAlchemyError) as exc:
        data.close()
        raise UserDataError(Msg.NOT_WRITABLE.format(folder=folder, error=f"{reason} ; {_reason(exc)}")) from exc
    if revision != HEAD_REVISION:
        data.close()
        raise UserDataError(Msg.UPGRADE_READ_ONLY.format(reason=reason, folder=folder))
    report.read_only = Msg.READ_ONLY.format(reason=reason, folder=folder)
    log.info("base utilisateur ouverte en lecture seule : %s", reason)
    return data


def _create_private(path: Path) -> bool:
    """An empty database file readable by its owner only (SQLite gives its -wal and -shm the same mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    return True


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


def _open_locked(
    folder: Path, path: Path, backups_dir: Path, refs: CatalogueRefs | None, backup: bool, report: StartupReport
) -> UserData:
    backups.clean_leftovers(folder, backups_dir)
    damaged_wal = wal.check_and_keep(path) if path.is_file() else None
    if damaged_wal:  # before SQLite opens it: it would silently use the valid part only, and then delete it
        report.messages.append(Msg.WAL_DAMAGED.format(reason=damaged_wal[0], aside=damaged_wal[1].name))
        report.set_aside.append(damaged_wal[1])
        report.recovered = True
    readable = path.exists()  # if writing fails, an existing file not found damaged can still be read
    created = False
    try:
        if path.exists():
            reason = quick_check(path, raise_if_not_damage=True) or _foreign_reason(path)
            if reason:
                readable = False
                _recover(path, backups_dir, reason, report)
            else:
                made = backups.make_backup(path, backups_dir) if backup else None
                problem = backups.check_and_rotate(backups_dir, made) if made else None
                if problem:
                    report.messages.append(Msg.INDEX_FAULT.format(reason=problem))
        else:
            created = _create_private(path)
        data = UserData(folder, refs, report)
        try:
            migrate(data._writer, data._backup_before_upgrade)
        except BaseException:
            data.close()
            raise
    except (OSError, sqlite3.OperationalError, OperationalError) as exc:
        if is_busy(exc):
            raise UserDataError(Msg.BUSY) from exc
        if created:  # an empty file of ours: the next start must not take it for a damaged database
            backups.remove_if_empty(path)
        if readable:  # full disk, read-only file: the data is fine, only saving is impossible
            return _open_read_only(folder, refs, report, _reason(exc, folder))
        raise UserDataError(Msg.NOT_WRITABLE.format(folder=folder, error=_reason(exc, folder))) from exc
    if report.upgraded_from and report.backup:
        report.messages.append(Msg.UPGRADED.format(backup=report.backup.name))
    return data
