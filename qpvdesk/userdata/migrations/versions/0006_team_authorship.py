"""Team database: the server, not the app, decides who created and last changed a shared record.

- `team_member` (both dialects, same schema): each member's server login and the name the team sees
  (« Prénom Nom »), written by `qpvdesk team join`. On SQLite it stays empty (the local copy needs no list).
- On PostgreSQL, row-level security on team_member: everyone reads it, a member inserts or changes only the row of
  the login they connected with (session_user: a member who `SET ROLE`s to the team role is still themselves).
- On PostgreSQL, BEFORE INSERT/UPDATE triggers on local_partner and team_note stamp the authors from that list
  (the login itself when the member has no row yet), whatever the client sent, even in direct SQL:
  created_by is set on insert and never changes; updated_by is the member whose write changed the partner's
  content, and is kept when only bookkeeping (the team `version`, set by the sync) changed.

The times. The moment of an offline edit is what the team wants to read (« modifié le 3 à 14 h », not « le 5,
when the laptop came back to the office »), so the client's time is kept when it is plausible: not in the
future of the server's clock, and for a change not before the record's previous change. Otherwise the server's
own time is taken. created_at is kept on every update, so a member cannot back-date another member's record
(nor make it look newer than it is); only the author's own first write says when it was created.
The functions run with the member's rights (no SECURITY DEFINER: team_member is readable by every member) and a
fixed search_path, so a member cannot slip their own function or table in front of ours.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# what a partner IS: a change to any of these (or to its programmes, which move updated_at) names its author
CONTENT_COLUMNS = ("name", "kind", "commune", "qpv_code", "contact_name", "phone", "email", "address", "website",
                   "notes", "deleted_at", "updated_at")


def upgrade() -> None:
    op.create_table(
        "team_member",
        sa.Column("login", sa.String(63), primary_key=True),  # the member's server role (session_user)
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("joined_at", sa.String(32), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_authorship()


def _postgresql_authorship() -> None:
    schema = op.get_bind().execute(sa.text("SELECT quote_ident(current_schema())")).scalar_one()
    settings = f"LANGUAGE plpgsql SET search_path = pg_catalog, {schema}, pg_temp"
    op.execute("ALTER TABLE team_member ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY team_member_read ON team_member FOR SELECT USING (true)")
    op.execute("CREATE POLICY team_member_insert ON team_member FOR INSERT WITH CHECK (login = session_user)")
    op.execute("CREATE POLICY team_member_update ON team_member FOR UPDATE USING (login = session_user) "
               "WITH CHECK (login = session_user)")
    # the name the team sees for whoever is connected
    op.execute(f"""CREATE FUNCTION qpvdesk_member_name() RETURNS text STABLE {settings} AS $$
        BEGIN
            RETURN coalesce((SELECT name FROM team_member WHERE login = session_user), session_user::text);
        END $$""")
    # a time as qpvdesk writes it (ISO 8601, UTC), or NULL when the text is not one
    op.execute(f"""CREATE FUNCTION qpvdesk_stamp(value text) RETURNS timestamptz IMMUTABLE {settings} AS $$
        BEGIN
            IF value ~ '^\\d{{4}}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?([+-]\\d\\d:\\d\\d|Z)$' THEN
                RETURN value::timestamptz;
            END IF;
            RETURN NULL;
        END $$""")
    op.execute(f"""CREATE FUNCTION qpvdesk_now() RETURNS text STABLE {settings} AS $$
        BEGIN
            RETURN to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"');
        END $$""")
    # the client's time when plausible (after `floor`, not in the server's future), else the server's
    op.execute(f"""CREATE FUNCTION qpvdesk_plausible(claimed text, floor text) RETURNS text STABLE {settings} AS $$
        DECLARE
            at timestamptz := qpvdesk_stamp(claimed);
        BEGIN
            IF at IS NULL OR at > now() OR (floor IS NOT NULL AND at < qpvdesk_stamp(floor)) THEN
                RETURN qpvdesk_now();
            END IF;
            RETURN claimed;
        END $$""")
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in CONTENT_COLUMNS)
    op.execute(f"""CREATE FUNCTION qpvdesk_partner_authors() RETURNS trigger {settings} AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                NEW.created_by := qpvdesk_member_name();
                NEW.updated_by := NEW.created_by;
                NEW.created_at := qpvdesk_plausible(NEW.created_at, NULL);
                NEW.updated_at := qpvdesk_plausible(NEW.updated_at, NEW.created_at);
                RETURN NEW;
            END IF;
            NEW.created_by := OLD.created_by;
            NEW.created_at := OLD.created_at;
            IF {changed} THEN
                NEW.updated_by := qpvdesk_member_name();
                NEW.updated_at := qpvdesk_plausible(NEW.updated_at, OLD.updated_at);
            ELSE
                NEW.updated_by := OLD.updated_by;
            END IF;
            RETURN NEW;
        END $$""")
    op.execute("CREATE TRIGGER team_partner_authors BEFORE INSERT OR UPDATE ON local_partner "
               "FOR EACH ROW EXECUTE FUNCTION qpvdesk_partner_authors()")
    op.execute(f"""CREATE FUNCTION qpvdesk_note_author() RETURNS trigger {settings} AS $$
        BEGIN
            NEW.author := qpvdesk_member_name();
            IF TG_OP = 'UPDATE' THEN
                NEW.created_at := OLD.created_at;
            END IF;
            RETURN NEW;
        END $$""")
    op.execute("CREATE TRIGGER team_note_author BEFORE INSERT OR UPDATE ON team_note "
               "FOR EACH ROW EXECUTE FUNCTION qpvdesk_note_author()")


def downgrade() -> None:
    raise NotImplementedError
