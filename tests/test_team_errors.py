"""The team server's refusals give their French message whatever language the server speaks.

The server here (tests/pg_cluster.py start_tls_cluster) answers in French (`lc_messages = 'fr_FR.UTF-8'`) when a
French locale can be built on this machine: the tests check that its own text really was French, so the mapping is
shown not to depend on English wording. Errors during the exchange are recognised by SQLSTATE; refusals while
connecting (libpq hands psycopg no SQLSTATE for those) by the server's wording in English or French."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from team_support import PASSWORDS, member_data, new_team, server_partners

from qpvdesk.errors import TeamError
from qpvdesk.team import sync as sync_module
from qpvdesk.team.membership import join, status
from qpvdesk.team.server import describe, engine_for
from qpvdesk.team.settings import load as load_settings
from qpvdesk.team.sync import sync
from qpvdesk.userdata import PartnerFields

REPO = Path(__file__).resolve().parent.parent
FRENCH_WORDS = ("authentification", "autorisé", "lecture seule", "administrateur", "arrêt")


@pytest.fixture()
def team(pg_tls_cluster):
    return new_team(pg_tls_cluster)


def joined(team, folder, login: str = "alice"):  # noqa: ANN001
    data = member_data(folder)
    join(data, team.cluster.tcp_url(login, database=team.database), login.title(), password=PASSWORDS[login])
    for n in range(3):
        data.create_partner(PartnerFields(name=f"Association {n}", kind="association", commune="Toulouse"))
    return data


def server_said(caught: pytest.ExceptionInfo, team) -> str:  # noqa: ANN001
    """The driver's own text behind our message; French when the test server speaks French."""
    said = str(caught.value.__cause__)
    if team.cluster.messages_language == "fr":
        assert any(word in said for word in FRENCH_WORDS), said
    return said


def test_the_test_server_speaks_french_when_a_french_locale_can_be_built(pg_tls_cluster):
    if pg_tls_cluster.messages_language != "fr":
        pytest.skip("localedef fr_FR ou le catalogue français de PostgreSQL absent : serveur en anglais")
    engine = engine_for(pg_tls_cluster.url())
    with engine.connect() as conn:
        assert conn.execute(text("SHOW lc_messages")).scalar() == "fr_FR.UTF-8"
    engine.dispose()


def test_wrong_password_is_named_and_nothing_is_written(team, tmp_path):
    data = member_data(tmp_path / "alice")
    with pytest.raises(TeamError) as caught:
        join(data, team.cluster.tcp_url("alice", database=team.database), "Alice", password="pas le bon")
    assert str(caught.value) == "Mot de passe refusé par le serveur pour « alice » : rien n'a été envoyé ni reçu."
    assert "authentification" in server_said(caught, team) or "password" in server_said(caught, team)
    assert load_settings(data) is None
    data = joined(team, tmp_path / "alice2")
    with pytest.raises(TeamError, match="Mot de passe refusé par le serveur pour « alice »"):
        sync(data, "pas le bon")
    assert status(data, probe=False).pending == 3 and server_partners(team) == {}
    data.close()


def test_a_role_without_login_is_told_to_see_the_administrator(team, tmp_path):
    team.admin_sql("CREATE ROLE carole NOLOGIN PASSWORD 'mot-de-passe-carole' IN ROLE qpvdesk_membre")
    data = member_data(tmp_path / "carole")
    with pytest.raises(TeamError) as caught:
        join(data, team.cluster.tcp_url("carole", database=team.database), "Carole", password="mot-de-passe-carole")
    message = str(caught.value)
    assert "n'autorise pas « carole » à se connecter" in message and "sans droit de connexion" in message
    assert "mot de passe" not in message.lower()  # the CLI would ask for another password: useless here
    server_said(caught, team)
    assert load_settings(data) is None
    data.close()


def test_a_read_only_server_says_so_and_the_changes_wait(team, tmp_path):
    data = joined(team, tmp_path / "alice")
    team.cluster.sql(f'ALTER DATABASE "{team.database}" SET default_transaction_read_only = on')
    try:
        with pytest.raises(TeamError) as caught:
            sync(data, PASSWORDS["alice"])
    finally:
        team.cluster.sql(f'ALTER DATABASE "{team.database}" SET default_transaction_read_only = off')
    assert str(caught.value) == ("Le serveur de la base d'équipe n'accepte pas d'écriture pour l'instant (serveur en "
                                 "lecture seule) : vos modifications restent sur ce poste et partiront à une prochaine "
                                 "synchronisation.")
    assert caught.value.offline
    server_said(caught, team)
    assert status(data, probe=False).pending == 3
    assert sync(data, PASSWORDS["alice"]).sent_partners == 3
    data.close()


def test_the_administrator_ending_the_connection_mid_sync_is_a_cut_and_nothing_is_lost(team, tmp_path, monkeypatch):
    data = joined(team, tmp_path / "alice")
    real_write, calls = sync_module._write_partner, []

    def write_then_terminate(target, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        calls.append(1)
        if len(calls) == 2:  # IT ends every session of alice's, in the middle of her transaction
            team.admin_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'alice'")
        return real_write(target, *args, **kwargs)

    monkeypatch.setattr(sync_module, "_write_partner", write_then_terminate)
    with pytest.raises(TeamError) as caught:
        sync(data, PASSWORDS["alice"])
    monkeypatch.setattr(sync_module, "_write_partner", real_write)
    assert "connexion coupée par le serveur" in str(caught.value) and "rien n'est perdu" in str(caught.value)
    assert caught.value.offline
    assert caught.value.__cause__.orig.sqlstate == "57P01"  # recognised by its code, not its words
    server_said(caught, team)
    assert server_partners(team) == {} and status(data, probe=False).pending == 3
    assert sync(data, PASSWORDS["alice"]).sent_partners == 3
    data.close()


@pytest.mark.parametrize(("sqlstate", "expected", "offline"), [
    ("53100", "n'accepte pas d'écriture pour l'instant (disque du serveur plein)", True),
    ("53200", "n'accepte pas d'écriture pour l'instant (mémoire du serveur insuffisante)", True),
    ("53300", "est occupé (trop de connexions ouvertes)", True),
    ("25006", "n'accepte pas d'écriture pour l'instant (serveur en lecture seule)", True),
    ("57P01", "(connexion coupée par le serveur", True),
    ("57P03", "(connexion coupée par le serveur", True),
    ("42501", "refusé l'opération (droits insuffisants pour ce membre)", False),
    ("28P01", "Mot de passe refusé par le serveur pour « alice »", False),
    ("28000", "n'autorise pas « alice » à se connecter", False),
    ("23505", "refusé l'opération (donnée refusée par une contrainte du serveur, code 23505)", False),
    ("22021", "refusé l'opération (donnée que le serveur ne peut pas enregistrer, code 22021)", False),
])
def test_each_server_error_code_gives_its_french_message_whatever_the_servers_words(pg_tls_cluster, sqlstate,
                                                                                    expected, offline):
    """Server-raised errors with a French text that names none of the English words the old mapping looked for."""
    engine = engine_for(pg_tls_cluster.url())
    try:
        with engine.connect() as conn, pytest.raises(Exception) as caught:  # noqa: PT011 - the driver's own class
            conn.execute(text(f"DO $$ BEGIN RAISE EXCEPTION 'refus du serveur, en français' "
                              f"USING ERRCODE = '{sqlstate}'; END $$"))
    finally:
        engine.dispose()
    error = describe(caught.value, "alice")
    assert expected in str(error) and error.offline is offline
    assert "français" not in str(error)  # the server's words are not what the user reads


def test_a_value_the_driver_refuses_before_sending_is_a_refusal_not_an_outage(pg_tls_cluster):
    """A NUL in a text (written into the local file by another program): psycopg refuses it itself, with no
    SQLSTATE. Called « injoignable », the sync would retry it for ever; it is a refused record."""
    engine = engine_for(pg_tls_cluster.url())
    try:
        with engine.connect() as conn, pytest.raises(Exception) as caught:  # noqa: PT011 - the driver's own class
            conn.execute(text("SELECT CAST(:v AS text)"), {"v": "Centre\x00social"})
    finally:
        engine.dispose()
    error = describe(caught.value, "alice")
    assert not error.offline and "ne peut pas enregistrer" in str(error)


def test_libpq_frames_the_systems_french_words_in_english_so_a_french_desktop_gets_the_right_reason(pg_tls_cluster):
    """Qt sets the desktop's locale (setlocale): the system's part of libpq's message (« Connexion refusée ») is then
    French, while libpq's own framing stays English (no translations in psycopg's libpq)."""
    if pg_tls_cluster.messages_language != "fr":
        pytest.skip("locale française impossible à construire ici (localedef fr_FR)")
    script = (
        "import locale, psycopg\n"
        "from qpvdesk.team.server import describe\n"
        "locale.setlocale(locale.LC_ALL, '')\n"
        "for conninfo in ('host=127.0.0.1 port=1 user=a dbname=b', 'host=/nulle/part port=5 user=a',"
        " 'host=serveur.invalid user=a'):\n"
        "    try:\n"
        "        psycopg.connect(conninfo, connect_timeout=5)\n"
        "    except psycopg.Error as exc:\n"
        "        print(repr(str(exc)), '=>', describe(exc, 'a'))\n"
    )
    env = {**os.environ, "LOCPATH": str(pg_tls_cluster.folder / "locale"), "LC_ALL": "fr_FR.UTF-8",
           "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60,
                         check=True).stdout.splitlines()
    assert len(out) == 3 and "Connexion refusée" in out[0]  # the system spoke French...
    assert out[0].endswith("(serveur arrêté ou réseau coupé) : vous travaillez hors ligne, rien n'est perdu.")
    assert out[1].endswith("(serveur arrêté ou réseau coupé) : vous travaillez hors ligne, rien n'est perdu.")
    assert out[2].endswith("(nom de serveur inconnu) : vous travaillez hors ligne, rien n'est perdu.")
