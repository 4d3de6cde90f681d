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
    # a time as qpvdesk writes it (ISO 8601 with its offset), or NULL when the text is not one. Pure SQL on
    # built-ins only (pg_catalog comes first whatever the search_path), without a SET clause, so that the planner
    # can inline it into the trigger's expressions
    op.execute("""CREATE FUNCTION qpvdesk_stamp(value text) RETURNS timestamptz LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN value ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?([+-]\\d\\d:\\d\\d|Z)$'
                    THEN value::timestamptz END
        $$""")
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in CONTENT_COLUMNS)
    # `who`: the name the team sees for the login connected (session_user), the login itself when not listed;
    # a time is kept when plausible: after `floor` and not in the server's future, else the server's « now »
    op.execute(f"""CREATE FUNCTION qpvdesk_partner_authors() RETURNS trigger {settings} AS $$
        DECLARE
            who text;
            server_now text := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"');
            floor timestamptz;
            at timestamptz;
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                NEW.created_by := OLD.created_by;
                NEW.created_at := OLD.created_at;
                IF NOT ({changed}) THEN  -- bookkeeping only (the sync's version): the authors stay
                    NEW.updated_by := OLD.updated_by;
                    RETURN NEW;
                END IF;
                floor := qpvdesk_stamp(OLD.updated_at);
            END IF;
            who := coalesce((SELECT name FROM team_member WHERE login = session_user), session_user::text);
            IF TG_OP = 'INSERT' THEN
                NEW.created_by := who;
                at := qpvdesk_stamp(NEW.created_at);
                IF at IS NULL OR at > now() THEN
                    NEW.created_at := server_now;
                    at := now();
                END IF;
                floor := at;
            END IF;
            NEW.updated_by := who;
            at := qpvdesk_stamp(NEW.updated_at);
            IF at IS NULL OR at > now() OR at < floor THEN
                NEW.updated_at := server_now;
            END IF;
            RETURN NEW;
        END $$""")
    op.execute("CREATE TRIGGER team_partner_authors BEFORE INSERT OR UPDATE ON local_partner "
               "FOR EACH ROW EXECUTE FUNCTION qpvdesk_partner_authors()")
    op.execute(f"""CREATE FUNCTION qpvdesk_note_author() RETURNS trigger {settings} AS $$
        BEGIN
            NEW.author := coalesce((SELECT name FROM team_member WHERE login = session_user), session_user::text);
            IF TG_OP = 'UPDATE' THEN
                NEW.created_at := OLD.created_at;
            END IF;
            RETURN NEW;
        END $$""")
    op.execute("CREATE TRIGGER team_note_author BEFORE INSERT OR UPDATE ON team_note "
               "FOR EACH ROW EXECUTE FUNCTION qpvdesk_note_author()")


def downgrade() -> None:
    raise NotImplementedError
