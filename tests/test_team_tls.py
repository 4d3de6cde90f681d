"""TLS to the team server, for real: a server on 127.0.0.1 that accepts only encrypted connections (`hostssl`
scram, `hostnossl` reject), with a certificate for « localhost » signed by a throwaway CA (tests/pg_cluster.py).
A member connects with `sslmode=verify-full&sslrootcert=…` as the README tells IT to set up; a wrong CA, a host name
that is not the certificate's, or no encryption at all are refused with a French message, and nothing is written on
either side. The password shows nowhere."""

from __future__ import annotations

import io
import json
import logging
import sqlite3

import pytest
from team_support import PASSWORDS, member_data, new_team, server_partners

from qpvdesk.cli import main
from qpvdesk.errors import TeamError
from qpvdesk.team import settings as team_settings
from qpvdesk.team.membership import join, status
from qpvdesk.team.sync import sync
from qpvdesk.userdata import PartnerFields, location


@pytest.fixture()
def team(pg_tls_cluster):
    return new_team(pg_tls_cluster)


def tls_url(team, login: str, **options) -> str:  # noqa: ANN003
    return team.cluster.tcp_url(login, database=team.database, **options)


def a_partner(data, name: str = "Maison des projets") -> str:
    return data.create_partner(PartnerFields(name=name, kind="association", commune="Toulouse")).uid


def test_verify_full_with_the_teams_ca_connects_and_syncs_between_two_members(team, tmp_path):
    alice = member_data(tmp_path / "alice")
    bob = member_data(tmp_path / "bob")
    join(alice, tls_url(team, "alice"), "Alice Martin", password=PASSWORDS["alice"])
    join(bob, tls_url(team, "bob"), "Bob Diallo", password=PASSWORDS["bob"])
    a_partner(alice)
    assert sync(alice, PASSWORDS["alice"]).sent_partners == 1
    assert sync(bob, PASSWORDS["bob"]).received_partners == 1
    assert [p.name for p in bob.list_partners()] == ["Maison des projets"]
    # the server refuses every unencrypted network connection (hostnossl reject): reaching it means TLS was used
    shown = status(alice, PASSWORDS["alice"])
    assert shown.connected and shown.url.endswith(f"sslmode=verify-full&sslrootcert={team.cluster.ca}")
    alice.close()
    bob.close()


def test_a_certificate_from_another_ca_is_refused_in_french_and_nothing_is_written(team, tmp_path):
    data = member_data(tmp_path / "alice")
    a_partner(data)
    with pytest.raises(TeamError) as caught:
        join(data, tls_url(team, "alice", ca=team.cluster.other_ca), "Alice Martin", password=PASSWORDS["alice"],
             share_existing=True)
    assert "certificat du serveur non vérifié" in str(caught.value) and "sslrootcert" in str(caught.value)
    assert "Rien n'a été envoyé ni reçu" in str(caught.value)
    assert team_settings.load(data) is None  # not joined
    # joined with the right CA, then the CA file given to the member is the wrong one: the sync sends nothing
    join(data, tls_url(team, "alice"), "Alice Martin", password=PASSWORDS["alice"], share_existing=True)
    setup = team_settings.load(data)
    setup.url = tls_url(team, "alice", ca=team.cluster.other_ca)
    team_settings.save(data, setup)
    with pytest.raises(TeamError, match="certificat du serveur non vérifié"):
        sync(data, PASSWORDS["alice"])
    assert server_partners(team) == {}
    assert status(data, probe=False).pending == 1
    assert "certificat du serveur non vérifié" in status(data, probe=False).last_error
    data.close()


def test_a_missing_ca_file_is_named_as_such(team, tmp_path):
    data = member_data(tmp_path / "alice")
    with pytest.raises(TeamError) as caught:
        join(data, tls_url(team, "alice", ca=tmp_path / "absent.pem"), "Alice Martin", password=PASSWORDS["alice"])
    assert "fichier du certificat de l'autorité introuvable ou illisible (sslrootcert)" in str(caught.value)
    assert team_settings.load(data) is None
    data.close()


def test_verify_full_to_an_address_the_certificate_does_not_name_is_refused_in_french(team, tmp_path):
    data = member_data(tmp_path / "alice")
    with pytest.raises(TeamError) as caught:
        join(data, tls_url(team, "alice", host="127.0.0.1"), "Alice Martin", password=PASSWORDS["alice"])
    message = str(caught.value)
    assert "établi pour un autre nom que « 127.0.0.1 »" in message and "Rien n'a été envoyé ni reçu" in message
    assert not caught.value.offline and team_settings.load(data) is None
    data.close()


def test_an_unencrypted_connection_is_refused_by_the_server_with_what_to_add_to_the_address(team, tmp_path):
    data = member_data(tmp_path / "alice")
    with pytest.raises(TeamError) as caught:
        join(data, tls_url(team, "alice", sslmode="disable"), "Alice Martin", password=PASSWORDS["alice"])
    assert "exige une connexion chiffrée" in str(caught.value) and "sslmode=verify-full" in str(caught.value)
    assert not caught.value.offline and team_settings.load(data) is None
    data.close()


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["team", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_over_tls_never_shows_or_keeps_the_password(team, tmp_path, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "alice"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    secret = PASSWORDS["alice"]
    # the password in the URL once, as a member may paste it: used to join, then forgotten
    code, out, err = run(capsys, "join", team.cluster.tcp_url("alice", secret, database=team.database),
                         "--name", "Alice Martin")
    assert code == 0 and "Base d'équipe rejointe" in out, err
    with member_data(tmp_path / "alice") as data:
        a_partner(data)
    monkeypatch.setenv("PGPASSWORD", secret)  # how IT may provide it (or the system keyring)
    code, out, err = run(capsys, "sync")
    assert code == 0 and "Envoyés : 1 partenaire" in out, err
    code, out, _ = run(capsys, "status", "--json")
    shown = json.loads(out)
    assert shown["état"] == "connecté" and "sslmode=verify-full" in shown["url"]
    # the wrong CA through the CLI: a French message, no traceback
    monkeypatch.setenv("PGSSLROOTCERT", str(team.cluster.other_ca))  # what the URL does not say, libpq takes here
    with member_data(tmp_path / "alice") as data:
        setup = team_settings.load(data)
        setup.url = setup.url.split("&sslrootcert=")[0]
        team_settings.save(data, setup)
    code, out, err = run(capsys, "sync")
    assert code == 1 and "certificat du serveur non vérifié" in err and "Traceback" not in err
    settings = sqlite3.connect(tmp_path / "alice" / location.DB_NAME).execute(
        "SELECT value FROM setting WHERE key = 'team'").fetchone()[0]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for text in (settings, logged, out, err, json.dumps(shown, ensure_ascii=False)):
        assert secret not in text and "***" not in text
    assert "synchronisation : 1 envoyés" in logged  # the log was written, without the secret


def test_the_server_stopped_mid_sync_over_tls_is_offline_not_a_certificate_problem(team, tmp_path, monkeypatch):
    from qpvdesk.team import sync as sync_module

    data = member_data(tmp_path / "alice")
    join(data, tls_url(team, "alice"), "Alice Martin", password=PASSWORDS["alice"])
    for n in range(5):
        a_partner(data, f"Association {n}")
    real_write, calls = sync_module._write_partner, []

    def write_then_stop(target, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        calls.append(1)
        if len(calls) == 2:
            team.cluster.stop("immediate")  # the TLS session dies without a word from the server
        return real_write(target, *args, **kwargs)

    monkeypatch.setattr(sync_module, "_write_partner", write_then_stop)
    try:
        with pytest.raises(TeamError) as caught:
            sync(data, PASSWORDS["alice"])
    finally:
        team.cluster.start()
    monkeypatch.setattr(sync_module, "_write_partner", real_write)
    assert caught.value.offline and "connexion coupée pendant l'échange" in str(caught.value)
    assert server_partners(team) == {} and status(data, probe=False).pending == 5
    assert sync(data, PASSWORDS["alice"]).sent_partners == 5
    data.close()
