"""The local side of the team database, without a server: what the triggers of migration 0004 queue (every change
the user makes, from any path; never the sync's own writes; never favourites), and URLs whose password is never
kept while their TLS settings are."""

from __future__ import annotations

import sqlite3

from team_support import member_data
from userdata_fixtures import row, write_csv

from qpvdesk.team.server import engine_for, public_url_text
from qpvdesk.userdata import PartnerFields, location


def queue(folder) -> list[tuple[str, str]]:
    conn = sqlite3.connect(folder / location.DB_NAME)
    try:
        return sorted(conn.execute("SELECT kind, key FROM team_outbox").fetchall())
    finally:
        conn.close()


def test_every_user_change_is_queued_once_per_record_and_the_syncs_own_writes_are_not(tmp_path):
    folder = tmp_path / "ud"
    with member_data(folder) as data:
        partner = data.create_partner(PartnerFields(name="Centre social Élan", kind="social-centre", commune="Toulouse"))
        data.update_partner(partner.uid, PartnerFields(name="Centre social Élan", kind="social-centre",
                                                       commune="Toulouse", phone="05 00 00 00 00"))
        data.set_note("npnru", "À relire")
        data.add_favourite("anru")  # favourites stay private: never queued
        data.import_partners(write_csv(tmp_path / "p.csv", [row("Régie de quartier Sud")]), dry_run=False)
        imported = [p.uid for p in data.list_partners() if p.name == "Régie de quartier Sud"]
        assert queue(folder) == sorted([("partner", partner.uid), ("partner", imported[0]), ("note", "npnru")])
        conn = sqlite3.connect(folder / location.DB_NAME)
        conn.execute("DELETE FROM team_outbox")
        # what a sync writes moves `version`: not queued (else every received partner would be sent back)
        conn.execute("UPDATE local_partner SET version = 7, updated_by = 'Bob' WHERE uid = ?", (partner.uid,))
        conn.execute("INSERT INTO local_partner (uid, name, kind, created_at, updated_at, version) "
                     "VALUES ('recu', 'Reçu', 'association', 'x', 'x', 7)")
        conn.commit()
        conn.close()
        assert queue(folder) == []
        data.delete_partner(partner.uid)  # a soft delete is a change like any other
        data.set_note("npnru", "")  # so is removing a note
        assert queue(folder) == sorted([("partner", partner.uid), ("note", "npnru")])


def test_the_password_is_never_kept_in_a_url_and_tls_settings_are():
    url = "postgresql://mdurand:s3cr%C3%A8t@pg.agglo.local:5433/qpvdesk?sslmode=verify-full&sslrootcert=/etc/ca.pem"
    shown = public_url_text(url)
    assert "s3cr" not in shown and "***" not in shown
    assert shown == "postgresql://mdurand@pg.agglo.local:5433/qpvdesk?sslmode=verify-full&sslrootcert=/etc/ca.pem"
    engine = engine_for(shown, password="autre")
    assert engine.url.query["sslmode"] == "verify-full" and engine.url.query["sslrootcert"] == "/etc/ca.pem"
    assert engine.url.drivername == "postgresql+psycopg" and "autre" not in repr(engine.url)
    engine.dispose()
