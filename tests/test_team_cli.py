"""`qpvdesk team …` end to end on a real PostgreSQL server: init, add-member, join, sync, status, conflicts, leave;
French messages and nothing lost on a wrong password or a schema of another version; no password kept in clear."""

from __future__ import annotations

import io
import json
import logging
import sqlite3

import pytest
from team_support import PASSWORDS, member_data

from qpvdesk.cli import main
from qpvdesk.userdata import PartnerFields, location
from qpvdesk.userdata.database import HEAD_REVISION


@pytest.fixture()
def server(pg_cluster, monkeypatch):
    url = pg_cluster.new_database("cli") + "&sslmode=disable"
    assert main(["team", "init", url]) == 0
    for login, password in PASSWORDS.items():
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        assert main(["team", "add-member", url, login]) == 0
    return pg_cluster


def as_member(monkeypatch, tmp_path, login: str):
    """The next commands run as this member: their own user folder, their password from libpq's PGPASSWORD."""
    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / login))
    monkeypatch.setenv("PGPASSWORD", PASSWORDS[login])


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["team", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_two_members_share_a_partner_and_a_conflict_is_reported_with_both_versions(server, monkeypatch, tmp_path,
                                                                                    capsys, caplog):
    caplog.set_level(logging.DEBUG)
    url = {login: server.url(user=login, password=None, database="cli") for login in PASSWORDS}
    for login, name in (("alice", "Alice Martin"), ("bob", "Bob Diallo")):
        as_member(monkeypatch, tmp_path, login)
        code, out, _ = run(capsys, "join", url[login], "--name", name)
        assert code == 0 and "Base d'équipe rejointe" in out and "demandé à chaque synchronisation" in out
    with member_data(tmp_path / "alice") as data:
        uid = data.create_partner(PartnerFields(name="Maison des projets", kind="association", commune="Toulouse")).uid
    as_member(monkeypatch, tmp_path, "alice")
    assert run(capsys, "status", "--offline")[1].count("1 modification en attente") == 1
    code, out, _ = run(capsys, "sync")
    assert code == 0 and "Envoyés : 1 partenaire" in out
    as_member(monkeypatch, tmp_path, "bob")
    assert "Reçus : 1 partenaire" in run(capsys, "sync")[1]
    status = json.loads(run(capsys, "status", "--json")[1])
    assert (status["état"], status["pending"], status["name"]) == ("connecté", 0, "Bob Diallo")

    for login, phone in (("alice", "01 01 01 01 01"), ("bob", "02 02 02 02 02")):
        with member_data(tmp_path / login) as data:
            data.update_partner(uid, PartnerFields(name="Maison des projets", kind="association", commune="Toulouse",
                                                   phone=phone))
    as_member(monkeypatch, tmp_path, "alice")
    run(capsys, "sync")
    as_member(monkeypatch, tmp_path, "bob")
    code, out, _ = run(capsys, "sync")
    assert code == 0 and "Conflit n° 1 : « Maison des projets » modifié aussi par Alice Martin" in out
    [line] = [ln for ln in out.splitlines() if ln.strip().startswith("telephone")]  # the two versions side by side
    assert line.index("02 02 02 02 02") < line.index("01 01 01 01 01")
    [conflict] = json.loads(run(capsys, "conflicts", "--json")[1])
    assert conflict["votre_version"]["phone"] == "02 02 02 02 02"

    # the password is in no setting, no file of the user folder, no log line
    for login in PASSWORDS:
        database = tmp_path / login / location.DB_NAME
        settings = sqlite3.connect(database).execute("SELECT value FROM setting WHERE key = 'team'").fetchone()[0]
        assert PASSWORDS[login] not in settings and json.loads(settings)["login"] == login
        assert all(PASSWORDS[login].encode() not in f.read_bytes() for f in (tmp_path / login).rglob("*") if f.is_file())
    assert not any(password in caplog.text for password in PASSWORDS.values())

    code, out, _ = run(capsys, "leave")
    assert code == 0 and "restent sur ce poste" in out
    with member_data(tmp_path / "bob") as data:
        assert [p.name for p in data.list_partners()] == ["Maison des projets"]


def test_wrong_password_is_a_french_message_and_the_change_stays_queued(server, monkeypatch, tmp_path, capsys):
    as_member(monkeypatch, tmp_path, "alice")
    run(capsys, "join", server.url(user="alice", password=None, database="cli"), "--name", "Alice Martin")
    with member_data(tmp_path / "alice") as data:
        data.create_partner(PartnerFields(name="Atelier santé ville", kind="association", commune="Toulouse"))
    monkeypatch.setenv("PGPASSWORD", "pas le bon")
    code, _, err = run(capsys, "sync")
    assert code == 1 and "Mot de passe refusé par le serveur pour « alice »" in err and "1 modification en attente" in err
    assert "Traceback" not in err
    monkeypatch.setenv("PGPASSWORD", PASSWORDS["alice"])
    assert "Envoyés : 1 partenaire" in run(capsys, "sync")[1]


@pytest.mark.parametrize(("revision", "expected"), [("0003", "plus ancienne"), ("0099", "plus récente")])
def test_a_team_schema_of_another_version_is_refused_before_any_write(server, monkeypatch, tmp_path, capsys,
                                                                      revision, expected):
    as_member(monkeypatch, tmp_path, "alice")
    run(capsys, "join", server.url(user="alice", password=None, database="cli"), "--name", "Alice Martin")
    with member_data(tmp_path / "alice") as data:
        data.create_partner(PartnerFields(name="Atelier santé ville", kind="association", commune="Toulouse"))
    server.sql(f"UPDATE alembic_version SET version_num = '{revision}'", "cli")
    code, _, err = run(capsys, "sync")
    assert code == 1 and expected in err and "Rien n'a été écrit" in err and "1 modification en attente" in err
    server.sql(f"UPDATE alembic_version SET version_num = '{HEAD_REVISION}'", "cli")
    assert "Envoyés : 1 partenaire" in run(capsys, "sync")[1]


def test_joining_reports_existing_partners_and_sends_them_only_when_asked(server, monkeypatch, tmp_path, capsys):
    with member_data(tmp_path / "alice") as data:
        data.create_partner(PartnerFields(name="Centre social Nord", kind="social-centre", commune="Toulouse"))
    as_member(monkeypatch, tmp_path, "alice")
    url = server.url(user="alice", password=None, database="cli")
    code, out, _ = run(capsys, "join", url, "--name", "Alice Martin", "--dry-run")
    assert code == 0 and "rien n'a été écrit" in out and "1 partenaire, 0 note" in out
    assert "Pas de base d'équipe" in run(capsys, "status", "--offline")[1]  # the dry run joined nothing
    code, out, _ = run(capsys, "join", url, "--name", "Alice Martin")
    assert "1 partenaire" in out and "team share-existing" in out
    code, _, err = run(capsys, "join", url, "--name", "Alice Martin", "--share-existing")
    assert code == 1 and "déjà membre" in err  # joining twice would drop or misdirect the queue: refused
    assert "Envoyés : 0 partenaire" in run(capsys, "sync")[1]
    assert "1 partenaire saisi avant de rejoindre" in run(capsys, "status", "--offline")[1]
    code, out, _ = run(capsys, "share-existing", "--dry-run")
    assert code == 0 and "1 partenaire" in out and "rien n'a été mis en attente" in out
    assert "Envoyés : 0 partenaire" in run(capsys, "sync")[1]
    code, out, _ = run(capsys, "share-existing")
    assert "1 élément mis en attente" in out
    assert "Envoyés : 1 partenaire" in run(capsys, "sync")[1]
    assert "Rien à partager" in run(capsys, "share-existing")[1]  # sent once: not offered again
    assert "avant de rejoindre" not in run(capsys, "status", "--offline")[1]
    run(capsys, "leave")
    code, out, _ = run(capsys, "join", url, "--name", "Alice Martin", "--share-existing")
    assert "0 élément mis en attente" in out  # what the team has is not queued again after a leave and re-join
    # bob's own copy of the same partner is recognised as a duplicate when he joins: nothing overwritten
    with member_data(tmp_path / "bob") as data:
        data.create_partner(PartnerFields(name="CENTRE SOCIAL - Nord", kind="social-centre", commune="toulouse"))
    as_member(monkeypatch, tmp_path, "bob")
    code, out, _ = run(capsys, "join", server.url(user="bob", password=None, database="cli"), "--name", "Bob Diallo")
    assert "Déjà dans la base d'équipe (même nom et commune, rien n'est écrasé) : CENTRE SOCIAL - Nord" in out


def test_a_password_given_in_the_join_url_is_used_once_and_never_saved(server, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "alice"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = server.url(user="alice", password=PASSWORDS["alice"], database="cli")
    code, out, _ = run(capsys, "join", url, "--name", "Alice Martin")
    assert code == 0 and "Base d'équipe rejointe" in out and PASSWORDS["alice"] not in out
    settings = sqlite3.connect(tmp_path / "alice" / location.DB_NAME).execute(
        "SELECT value FROM setting WHERE key = 'team'").fetchone()[0]
    assert PASSWORDS["alice"] not in settings and "***" not in settings
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # nobody at the keyboard: no prompt, a French message
    code, _, err = run(capsys, "sync")
    assert code == 1 and "demande un mot de passe" in err
