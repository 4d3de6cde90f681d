"""What `team join` records in the local user database, and where the password comes from.

The settings hold the server URL WITHOUT its password, the member's display name and login, and the sync
bookmarks. The password is kept in the operating system's keyring when the `keyring` package and a real backend
are available (Windows Credential Manager, macOS Keychain, Secret Service); otherwise it is asked each time (or
taken by libpq from PGPASSWORD / ~/.pgpass, as IT may set up). It is never written in the settings or the logs.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import cast

from sqlalchemy import CursorResult, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from qpvdesk.userdata.schema import SettingRecord

KEY = "team"
KEYRING_SERVICE = "qpvdesk-base-equipe"
S = cast(Table, SettingRecord.__table__)


@dataclass
class TeamSettings:
    url: str  # without password (server.public_url_text)
    name: str  # « Prénom Nom », shown as who created or changed a record
    login: str  # the server login (PostgreSQL role): owner of the member's notes
    joined_at: str
    last_version: int = 0  # the newest team version received
    last_sync: str | None = None  # when the last sync ended well (UTC ISO)
    last_error: str | None = None  # the last sync's French error, None when it went well


def read(session: Session) -> TeamSettings | None:
    value = session.scalar(select(S.c.value).where(S.c.key == KEY))
    if not value:
        return None
    try:
        return TeamSettings(**json.loads(value))
    except (ValueError, TypeError):
        return None


def write(session: Session, settings: TeamSettings | None) -> None:
    if settings is None:
        session.execute(delete(S).where(S.c.key == KEY))
        return
    encoded = json.dumps(asdict(settings), ensure_ascii=False)
    if cast(CursorResult, session.execute(update(S).where(S.c.key == KEY).values(value=encoded))).rowcount == 0:
        session.execute(insert(S).values(key=KEY, value=encoded))


def load(data) -> TeamSettings | None:  # noqa: ANN001 - qpvdesk.userdata.store.UserData
    with data._read() as session:
        return read(session)


def save(data, settings: TeamSettings | None) -> None:  # noqa: ANN001
    with data._write() as session:
        write(session, settings)


# --- the password ---------------------------------------------------------------------------------------------


def _keyring():
    """The keyring module when a real backend works here (not the « fail » or plain-file ones), else None."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken backend configuration: ask each time
        return None
    if isinstance(backend, fail.Keyring) or "plaintext" in type(backend).__name__.lower():
        return None
    return keyring


def keyring_available() -> bool:
    return _keyring() is not None


def stored_password(url: str, login: str) -> str | None:
    ring = _keyring()
    if ring is None:
        return None
    try:
        return ring.get_password(KEYRING_SERVICE, f"{login}@{url}")
    except Exception:  # noqa: BLE001 - locked or unreachable keyring: ask instead
        return None


def store_password(url: str, login: str, password: str) -> bool:
    """True when kept in the keyring; False: it will be asked each time."""
    ring = _keyring()
    if ring is None:
        return False
    try:
        ring.set_password(KEYRING_SERVICE, f"{login}@{url}", password)
    except Exception:  # noqa: BLE001
        return False
    return True


def forget_password(url: str, login: str) -> None:
    ring = _keyring()
    if ring is not None:
        try:
            ring.delete_password(KEYRING_SERVICE, f"{login}@{url}")
        except Exception:  # noqa: BLE001 - nothing stored
            pass
