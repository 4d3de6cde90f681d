"""The user database's models and Alembic migrations on both back ends they run on: the local SQLite file (every
user) and PostgreSQL (the team server, through `qpvdesk team init`), each test on a fresh database (a new file, or a
new database on the session's throwaway cluster, tests/pg_cluster.py).

Covered on both: the migration chain from empty, one revision at a time up to head (read from the migrations folder,
so a new revision is covered without changing this file), and a first-schema database with data upgraded in place;
at every revision, the two schemas agree (tables, columns, types, nullability, primary, unique and foreign keys,
indexes, read by SQLAlchemy's inspector), and at head both match the ORM classes; downgrade is not supported (NotImplementedError,
nothing changed); hostile text (quotes, backslashes, SQL, <script>, 20,000 characters, emoji and combining marks,
right-to-left) round-trips identically through every table and through the code the sync reads and writes with;
unique and foreign keys hold on both.

NUL characters and lone UTF-16 surrogates cannot round-trip: SQLite stores NUL, PostgreSQL refuses it, and neither
driver can encode a lone surrogate. Every qpvdesk entry point (typing, CSV/JSON import, notes import) removes or
refuses them before they reach the local file, and `team sync` reports a record that holds one anyway (written by
another program) instead of failing the server transaction at every sync: tested here.

The rest of tests/test_userdata_*.py goes through UserData (the window's and the command line's API), which opens
the local file only: on the server, the code that runs is the sync's reads and writes, tested here on both. Not run
on PostgreSQL, because they belong to the local copy only: the WAL journal and SQLite pragmas, the backups
and the restore of the local file, the damaged-file recovery, the file permissions and read-only media, two windows
writing the same file, the queue triggers (SQLite only; the server has row-level security instead, tested in
tests/test_team_server.py), and the folded-text search (the app searches its local copy, never the server).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session
from userdata_fixtures import REFS

from qpvdesk.team.server import engine_for, init_server
from qpvdesk.userdata import PartnerFields, open_user_data
from qpvdesk.userdata.database import HEAD_REVISION, alembic_config, make_engine, migrate
from qpvdesk.userdata.folding import match_key, partner_search_text
from qpvdesk.userdata.partners import load_partners, normalise, record_values, write_programmes
from qpvdesk.userdata.schema import UserBase

BACKENDS = ("sqlite", "postgresql")
_numbers = itertools.count(1)


def revisions() -> list[str]:
    """Every revision of the migrations folder, oldest first."""
    from alembic.script import ScriptDirectory

    return [s.revision for s in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))]


@dataclass
class Backend:
    name: str
    engine: Engine
    url: str = ""  # PostgreSQL: the administrator's URL of this test's database

    def upgrade(self, target: str = "head") -> None:
        if self.name == "sqlite":
            migrate(self.engine, target=target)  # what the app runs at start-up
            return
        from alembic import command

        with self.engine.begin() as conn:  # what `team init` runs, one transaction
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, target)

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(tmp_path / "utilisateur.sqlite", writer=True)
        yield Backend("sqlite", engine)
    else:
        cluster = request.getfixturevalue("pg_cluster")
        url = cluster.new_database(f"dorsale{next(_numbers)}")
        engine = engine_for(url)
        yield Backend("postgresql", engine, url)
    engine.dispose()


@pytest.fixture()
def at_head(backend):
    backend.upgrade()
    return backend


# --- the migration chain ----------------------------------------------------------------------------------------


def test_every_revision_applies_in_order_from_empty_to_head(backend):
    chain = revisions()
    assert chain[0] == "0001" and chain[-1] == HEAD_REVISION
    assert backend.revision() is None
    for revision in chain:
        backend.upgrade(revision)
        assert backend.revision() == revision
    if backend.name == "postgresql":  # `team init` then finds the server up to date and only sets the member role
        assert init_server(backend.url) == (HEAD_REVISION, HEAD_REVISION)


def test_a_first_schema_database_with_data_upgrades_in_place(backend):
    backend.upgrade("0001")
    with backend.engine.begin() as conn:
        partner_id = conn.execute(text(
            "INSERT INTO local_partner (uid, name, kind, commune, qpv_code, contact_name, phone, email, address, notes,"
            " created_at, updated_at) VALUES ('0b9f7c8e-3c1d-4a7e-9a57-2f1c0d7e5a10', 'Régie de quartier Élan',"
            " 'association', 'Évry-Courcouronnes', 'QN09301M', 'Mme Durand', '01 60 00 00 00', 'regie@example.org',"
            " '1 place des Droits', 'Réunion mensuelle', '2025-01-05T10:00:00+00:00', '2025-02-01T09:30:00+00:00')"
            " RETURNING id")).scalar_one()
        conn.execute(text("INSERT INTO local_partner_programme (partner_id, programme_id, position) VALUES (:p, 'npnru', 0)"),
                     {"p": partner_id})
        conn.execute(text("INSERT INTO note (entity_id, text, updated_at) VALUES ('npnru', 'Comité d''engagement',"
                          " '2025-01-06T08:00:00+00:00')"))
    backend.upgrade()
    assert backend.revision() == HEAD_REVISION
    with Session(backend.engine) as s:
        [partner] = load_partners(s)
        row = s.execute(text("SELECT website, search_text, match_key, created_by, version FROM local_partner")).one()
        note = s.execute(text("SELECT text, search_text, shared FROM note")).one()
    assert (partner.name, partner.commune, partner.programme_ids) == ("Régie de quartier Élan", "Évry-Courcouronnes",
                                                                      ("npnru",))
    assert partner.updated_at == "2025-02-01T09:30:00+00:00"
    # the revisions' backfills computed what the app computes (so duplicates of old rows are found on both)
    assert row.match_key == match_key(partner.name, partner.commune)
    assert row.search_text == partner_search_text({**partner.editable().__dict__, "programme_ids": ("npnru",)})
    assert (row.website, row.created_by, row.version) == ("", "", 0)
    assert (note.text, note.shared) == ("Comité d'engagement", 0) and "comite" in note.search_text


def test_downgrade_is_not_supported_and_changes_nothing(at_head):
    from alembic import command

    with pytest.raises(NotImplementedError):
        with at_head.engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "-1")
    assert at_head.revision() == HEAD_REVISION
    assert {"local_partner", "team_note"} <= set(inspect(at_head.engine).get_table_names())


# --- after head, the two schemas agree ----------------------------------------------------------------------------


def _type_key(column_type: sa.types.TypeEngine) -> tuple:
    """What must agree between the back ends: the kind of value and, for text, the length limit (PostgreSQL
    enforces VARCHAR(n); SQLite does not, so a longer value would work locally and fail on the server)."""
    if isinstance(column_type, sa.BigInteger):
        return ("bigint",)
    if isinstance(column_type, sa.Integer):
        return ("integer",)
    if isinstance(column_type, sa.String):
        return ("text", column_type.length)
    return (column_type._type_affinity.__name__,)


def schema(engine: Engine) -> dict[str, dict]:
    found = inspect(engine)
    described = {}
    for table in sorted(found.get_table_names()):
        described[table] = {
            "columns": {c["name"]: (_type_key(c["type"]), c["nullable"]) for c in found.get_columns(table)},
            "primary key": tuple(found.get_pk_constraint(table)["constrained_columns"]),
            "unique": sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in found.get_indexes(table) if not i.get("duplicates_constraint")),
            "foreign keys": sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]),
                                    (f.get("options") or {}).get("ondelete")) for f in found.get_foreign_keys(table)),
        }
    return described


@pytest.fixture()
def both(pg_cluster, tmp_path):
    local = Backend("sqlite", make_engine(tmp_path / "utilisateur.sqlite", writer=True))
    server = Backend("postgresql", engine_for(pg_cluster.new_database(f"dorsale{next(_numbers)}")))
    yield local, server
    local.engine.dispose()
    server.engine.dispose()


def test_sqlite_and_postgresql_have_the_same_schema_at_every_revision(both):
    local, server = both
    for revision in revisions():
        local.upgrade(revision)
        server.upgrade(revision)
        on_file, on_server = schema(local.engine), schema(server.engine)
        assert set(on_file) == set(on_server), revision
        for table in on_file:
            assert on_file[table] == on_server[table], (revision, table)
    assert {"local_partner", "local_partner_programme", "team_note", "team_clock"} <= set(on_file)


def test_the_orm_classes_match_what_the_migrations_built(at_head):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with at_head.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), UserBase.metadata) == []


# --- hostile values ---------------------------------------------------------------------------------------------

HOSTILE = {
    "quotes": "L'« Atelier » \"du\" quartier ''' \"\"\" `backtick`",
    "backslashes": "C:\\Users\\agent\\n\\t\\\\x00 \\' \\\" fin\\",
    "sql": "Robert'); DROP TABLE local_partner;-- %s %(name)s {name} $$ $1 ? :param /* */ ; COMMIT;",
    "script": "<script>alert('x')</script><img src=x onerror=alert(1)>&amp; &lt;b&gt;",
    "long": ("Compte rendu du comité de pilotage. " * 600)[:20_000],
    "emoji and combining": "Cité 🏘️ des 👩🏽‍🤝‍👩🏻 Lilas — e\u0301 a\u0300 n\u0303 Å\u030a 🇫🇷 \ufeff zéro\u200bespace",
    "right to left": "جمعية الحي \u202eédrocca\u202c שלום עליכם — Maison \u200fمرحبا",
    "controls kept": "tab\there\r\nCRLF\x1b[31m rouge\x7f\x85",
}


def _value_for(column: sa.Column, value: str) -> object:
    if isinstance(column.type, sa.Integer):
        return 2  # team_clock already holds id 1
    if isinstance(column.type, sa.String):
        return value if column.type.length is None else value[: column.type.length]  # VARCHAR(n) holds n characters
    pytest.fail(f"colonne d'un type non prévu par ce test : {column}")


@pytest.mark.parametrize("label", list(HOSTILE))
def test_hostile_text_round_trips_identically_through_every_table(at_head, label):
    value = HOSTILE[label]
    written: dict[str, dict] = {}
    with at_head.engine.begin() as conn:
        if at_head.name == "postgresql":  # the storage itself, without the server's authorship triggers (revision
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # 0006, tests/test_team_server.py)
        for table in UserBase.metadata.sorted_tables:  # parents first: a foreign key points at the row just written
            row = {}
            for column in table.columns:
                if column.foreign_keys:
                    parent = next(iter(column.foreign_keys)).column
                    row[column.name] = written[parent.table.name][parent.name]
                elif not (column.primary_key and len(table.primary_key) == 1 and isinstance(column.type, sa.Integer)
                          and column.autoincrement is not False):  # else the database numbers the row
                    row[column.name] = _value_for(column, value)
            keys = conn.execute(sa.insert(table).values(row).returning(*table.primary_key)).one()
            written[table.name] = {**row, **keys._asdict()}
    with at_head.engine.connect() as conn:
        for table in UserBase.metadata.sorted_tables:
            where = sa.and_(*(c == written[table.name][c.name] for c in table.primary_key))
            read = dict(conn.execute(select(table).where(where)).one()._mapping)
            assert read == written[table.name], table.name


def test_a_partner_written_and_read_by_the_sync_code_is_identical_on_both(at_head):
    """What a partner IS (sync.CONTENT) comes back as written; who wrote it, and when, may be the server's to say."""
    from qpvdesk.team.sync import CONTENT, _write_partner, read_partners

    fields = normalise(PartnerFields(name=HOSTILE["sql"], kind="association", commune=HOSTILE["right to left"],
                                     contact_name=HOSTILE["quotes"], email=HOSTILE["script"],
                                     address=HOSTILE["backslashes"], notes=HOSTILE["long"],
                                     website=HOSTILE["emoji and combining"], programme_ids=("npnru", HOSTILE["sql"][:120])))
    partner = {"uid": "7d4f1c2e-0000-4000-8000-000000000001", "created_at": "2025-03-12T09:32:00+00:00",
               "updated_at": "2025-03-12T09:32:00+00:00", "deleted_at": None, **record_values(fields),
               "programme_ids": list(fields.programme_ids),
               "link": {"organisation_id": "org-12345678900011", "siret": "12345678900011",
                        "organisation_name": HOSTILE["quotes"]}}  # the funded structure it is linked to
    with Session(at_head.engine) as s, s.begin():
        _write_partner(s, partner, None, version=3)
    with Session(at_head.engine) as s:
        [read] = read_partners(s, sa.true()).values()
        [loaded] = load_partners(s)
    assert {k: read[k] for k in ("uid", "search_text", "match_key", *CONTENT)} == {
        k: partner[k] for k in ("uid", "search_text", "match_key", *CONTENT)}
    assert read["version"] == 3
    assert loaded.editable() == fields  # what the window shows


def test_keys_hold_on_both(at_head):
    from qpvdesk.team.sync import PP, P

    partner = {"uid": "u-1", "name": "A", "kind": "association", "created_at": "x", "updated_at": "x"}
    with at_head.engine.begin() as conn:
        partner_id = conn.execute(sa.insert(P).values(partner).returning(P.c.id)).scalar_one()
        write_programmes(conn, [(partner_id, ("npnru", "cites-educatives"))])
    with pytest.raises(sa.exc.IntegrityError):  # a uid is the partner's identity across the team
        with at_head.engine.begin() as conn:
            conn.execute(sa.insert(P).values({**partner, "name": "B"}))
    with pytest.raises(sa.exc.IntegrityError):  # a programme link needs its partner
        with at_head.engine.begin() as conn:
            conn.execute(sa.insert(PP).values(partner_id=partner_id + 1000, programme_id="npnru"))
    with at_head.engine.begin() as conn:  # deleting a partner row takes its links with it
        conn.execute(sa.delete(P).where(P.c.id == partner_id))
        assert conn.execute(select(sa.func.count()).select_from(PP)).scalar() == 0


# --- NUL and lone surrogates ------------------------------------------------------------------------------------


def test_the_two_back_ends_disagree_on_nul_so_it_must_never_reach_them(at_head):
    """Why the entry points clean text: SQLite would keep a NUL that PostgreSQL then refuses at every sync."""
    from qpvdesk.team.sync import TN

    row = {"owner": "alice", "entity_id": "npnru", "text": "avant\x00après", "created_at": "x", "updated_at": "x"}
    if at_head.name == "sqlite":
        with at_head.engine.begin() as conn:
            conn.execute(sa.insert(TN).values(row))
            assert conn.execute(select(TN.c.text)).scalar() == "avant\x00après"
    else:
        with pytest.raises(sa.exc.DataError, match="NUL"), at_head.engine.begin() as conn:
            conn.execute(sa.insert(TN).values(row))
    with pytest.raises(UnicodeEncodeError), at_head.engine.begin() as conn:  # neither driver can encode it
        conn.execute(sa.insert(TN).values({**row, "entity_id": "anru", "text": "moitié \ud83d d'émoji"}))


NASTY = {  # typed -> stored
    "nul": ("Centre\x00 social", "Centre social"),
    "lone surrogate": ("Centre \ud83d social", "Centre \ufffd social"),
    "both": ("\udce9Centre\x00 social\ud800", "\ufffdCentre social\ufffd"),
}


@pytest.mark.parametrize("label", list(NASTY))
def test_typed_text_reaches_the_file_without_nul_or_lone_surrogate(tmp_path, label):
    """A lone surrogate used to stop the save with a raw UnicodeEncodeError (SQLite refuses it): it is now replaced
    by « \ufffd », visibly, and a NUL removed, as other control characters always were."""
    value, stored = NASTY[label]
    with open_user_data(tmp_path / "ud", refs=REFS, backup=False) as data:
        made = data.create_partner(PartnerFields(name=value, kind="association", contact_name=value, notes=value,
                                                 address=value, programme_ids=(value,)))
        note = data.set_note("npnru", value)
        for text_value in (made.name, made.contact_name, made.notes, made.address, *made.programme_ids, note.text):
            assert text_value == stored
        assert data.get_partner(made.uid) == made and data.get_note("npnru") == note


def test_sync_reports_a_record_the_server_refuses_and_sends_the_rest(pg_cluster, tmp_path):
    """A NUL written into the local file by another program (a SQLite editor, a script): the sync used to fail at
    every try, reported as « serveur injoignable », with the whole queue stuck behind that one record."""
    import sqlite3

    from team_support import PASSWORDS, member_data, new_team, server_partners

    from qpvdesk.team.membership import join, status
    from qpvdesk.team.sync import sync

    team = new_team(pg_cluster)
    alice, bob = member_data(tmp_path / "alice"), member_data(tmp_path / "bob")
    join(alice, team.url("alice"), "Alice Martin", password=PASSWORDS["alice"])
    join(bob, team.url("bob"), "Bob Diallo", password=PASSWORDS["bob"])
    damaged = alice.create_partner(PartnerFields(name="Centre social", kind="social-centre", commune="Toulouse"))
    alice.create_partner(PartnerFields(name="Régie de quartier", kind="association", commune="Toulouse"))
    alice.set_note("npnru", "Comité le 12")
    alice.set_note("anru", "Piste")
    outside = sqlite3.connect(alice.path)  # the other program
    outside.execute("UPDATE local_partner SET notes = 'avant' || char(0) || 'après' WHERE uid = ?", (damaged.uid,))
    outside.execute("UPDATE note SET text = 'Piste' || char(0) WHERE entity_id = 'anru'")
    outside.commit()
    outside.close()
    report = sync(alice, PASSWORDS["alice"])
    assert (report.sent_partners, report.sent_notes) == (1, 1)
    assert report.not_sent == [
        "Partenaire « Centre social » non envoyé : le champ « notes » contient un caractère nul (\\x00) que le serveur "
        "refuse (fichier modifié hors de qpvdesk ?). Il reste sur ce poste ; corrigez-le dans qpvdesk et il partira à "
        "la synchronisation suivante.",
        "Note sur « anru » non envoyée : elle contient un caractère nul (\\x00) que le serveur refuse (fichier modifié "
        "hors de qpvdesk ?). Elle reste sur ce poste ; corrigez-la dans qpvdesk et elle partira à la synchronisation "
        "suivante."]
    assert list(server_partners(team)) == ["Régie de quartier"]
    assert status(alice, probe=False).pending == 0  # the queue is not stuck
    assert alice.get_partner(damaged.uid).notes == "avant\x00après"  # and nothing was changed or lost here
    # corrected in qpvdesk (the entry point cleans it), it goes at the next sync
    alice.update_partner(damaged.uid, PartnerFields(name="Centre social", kind="social-centre", commune="Toulouse",
                                                    notes=alice.get_partner(damaged.uid).notes))
    report = sync(alice, PASSWORDS["alice"])
    assert report.sent_partners == 1 and report.not_sent == []
    sync(bob, PASSWORDS["bob"])
    assert {p.name: p.notes for p in bob.list_partners()} == {"Centre social": "avantaprès", "Régie de quartier": ""}
    alice.close()
    bob.close()


def test_a_member_name_typed_in_another_encoding_reaches_the_server_readable(pg_cluster, tmp_path, monkeypatch, capsys):
    """`qpvdesk team join … --name $'Fran\\xe7ois'` from a Windows-1252 script: the name used to stop the join with a
    raw UnicodeEncodeError; it is read as Windows-1252, like the catalogue arguments, and the team sees « François »."""
    from team_support import PASSWORDS, new_team, server_partners

    from qpvdesk.cli import main
    from qpvdesk.team import settings as team_settings
    from qpvdesk.team.membership import join

    team = new_team(pg_cluster)
    monkeypatch.setenv("QPVDESK_USER_DIR", str(tmp_path / "alice"))
    monkeypatch.setenv("PGPASSWORD", PASSWORDS["alice"])
    assert main(["team", "join", team.url("alice"), "--name", "Fran\udce7ois Dupr\udce9"]) == 0
    with open_user_data(tmp_path / "alice", refs=REFS, backup=False) as data:
        assert team_settings.load(data).name == "François Dupré"
        data.create_partner(PartnerFields(name="Centre social", kind="social-centre"))
    assert main(["team", "sync"]) == 0
    assert server_partners(team)["Centre social"][1:3] == ("François Dupré", "François Dupré")
    # through the API (a script, the window): the half pair cannot be guessed, it is shown as « � », never a crash
    with open_user_data(tmp_path / "bob", refs=REFS, backup=False) as data:
        assert join(data, team.url("bob"), "Bob \ud83d", password=PASSWORDS["bob"]).login == "bob"
        assert team_settings.load(data).name == "Bob \ufffd"
    capsys.readouterr()


def test_an_impossible_time_written_by_another_program_does_not_stop_the_partner(team, alice, bob):
    """The server checks the times it is sent (0006); a month 13 would have made it refuse the partner at every
    sync. It is sent without it: the server stamps its own time, and the local copy takes that one back."""
    import sqlite3

    from team_support import PASSWORDS, server_partners

    from qpvdesk.team.sync import sync

    made = alice.create_partner(PartnerFields(name="Centre social", kind="social-centre", commune="Toulouse"))
    outside = sqlite3.connect(alice.path)
    outside.execute("UPDATE local_partner SET created_at = '2026-13-45T10:00:00+00:00', "
                    "updated_at = '2026-02-30T10:00:00Z' WHERE uid = ?", (made.uid,))
    outside.commit()
    outside.close()
    report = sync(alice, PASSWORDS["alice"])
    assert report.sent_partners == 1 and report.not_sent == []
    assert list(server_partners(team)) == ["Centre social"]
    sync(bob, PASSWORDS["bob"])
    assert [p.name for p in bob.list_partners()] == ["Centre social"]
    check = sqlite3.connect(alice.path)
    created, updated = check.execute("SELECT created_at, updated_at FROM local_partner WHERE uid = ?",
                                     (made.uid,)).fetchone()
    check.close()
    assert created[4:8] != "-13-" and updated[4:10] != "-02-30"  # the server's times, taken back
    datetime.fromisoformat(created), datetime.fromisoformat(updated)
