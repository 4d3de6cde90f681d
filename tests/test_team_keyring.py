"""The team password lives in the operating system's keyring (Windows Credential Manager, macOS Keychain, Secret
Service), through the `keyring` package qpvdesk ships; never in the settings. Here the keyring API is served by an
in-memory backend (this test machine has no keyring daemon); what is tested is qpvdesk's use of that API."""

from __future__ import annotations

import json

import keyring
import pytest
from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked
from team_support import PASSWORDS, member_data

from qpvdesk.errors import TeamError
from qpvdesk.team import settings as team_settings
from qpvdesk.team.membership import join, leave
from qpvdesk.team.sync import sync
from qpvdesk.userdata import PartnerFields


class MemoryKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:  # keyring picks its default among every subclass it knows, this one included:
        raise RuntimeError("en mémoire : seulement quand un test l'installe")  # never chosen by itself


    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}
        self.locked = False

    def get_password(self, service: str, username: str) -> str | None:
        if self.locked:
            raise KeyringLocked("verrouillé")
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username))


@pytest.fixture
def ring():
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


def test_the_password_is_kept_in_the_keyring_used_at_each_sync_and_forgotten_on_leave(team, ring, tmp_path,
                                                                                       monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    alice = member_data(tmp_path / "alice")
    report = join(alice, team.url("alice"), "Alice Martin", password=PASSWORDS["alice"])
    assert report.password_kept
    assert list(ring.secrets.values()) == [PASSWORDS["alice"]]
    on_disk = b"".join(p.read_bytes() for p in alice.folder.glob("*.sqlite*"))
    assert on_disk and PASSWORDS["alice"].encode() not in on_disk  # neither the file nor its -wal
    with alice._read() as session:
        assert PASSWORDS["alice"] not in json.dumps(team_settings.read(session).__dict__)

    alice.create_partner(PartnerFields(name="Maison de quartier Nord", kind="association", commune="Lille"))
    assert sync(alice).sent_partners == 1  # no password given: the keyring's
    assert leave(alice) == 0
    assert ring.secrets == {}
    alice.close()


def test_a_locked_keyring_means_the_password_is_asked_and_nothing_is_lost(team, ring, tmp_path, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    bob = member_data(tmp_path / "bob")
    join(bob, team.url("bob"), "Bob Diallo", password=PASSWORDS["bob"])
    bob.create_partner(PartnerFields(name="Régie de quartier Ouest", kind="association", commune="Toulouse"))
    ring.locked = True
    with pytest.raises(TeamError, match="demande un mot de passe"):
        sync(bob)
    assert bob.team.status(probe=False).pending == 1
    assert sync(bob, PASSWORDS["bob"]).sent_partners == 1  # typed in the window or at the prompt
    bob.close()


def test_without_a_usable_keyring_nothing_is_stored_and_join_says_so(team, tmp_path, monkeypatch):
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        carol = member_data(tmp_path / "carol")
        report = join(carol, team.url("alice"), "Carol", password=PASSWORDS["alice"])
        assert not report.password_kept and not team_settings.keyring_available()
        carol.close()
    finally:
        keyring.set_keyring(previous)
