"""Team database: who created and last changed a shared partner, and at which team version; notes that can be
shared; the other members' shared notes; the queue of changes waiting to be sent; conflicts kept with both versions.

The same revision runs on the local SQLite file and on the team's PostgreSQL server (`qpvdesk team init`):
- on SQLite, triggers queue every change a user makes to a partner or a note (team_outbox), in the same transaction
  as the change, whichever code path made it (window, import, restore); a change made by the sync itself moves
  `version` and is not queued;
- on PostgreSQL, row-level security lets a member read the shared notes and their own, and change or delete only
  their own: enforced by the server, whatever the client sends.

Revision ID: 0005 (after 0004, the links of local partners to funded structures)
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NOW_SQLITE = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


def upgrade() -> None:
    op.add_column("local_partner", sa.Column("created_by", sa.Text(), nullable=False, server_default=""))
    op.add_column("local_partner", sa.Column("updated_by", sa.Text(), nullable=False, server_default=""))
    op.add_column("local_partner", sa.Column("version", sa.BigInteger(), nullable=False, server_default="0"))
    op.add_column("note", sa.Column("shared", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "team_note",
        sa.Column("owner", sa.String(63), primary_key=True),  # the member's server login (current_user)
        sa.Column("entity_id", sa.String(200), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("shared", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("author", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "team_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("queued_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("kind", "key", name="uq_team_outbox_kind_key"),
    )
    op.create_table(
        "team_conflict",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("partner_uid", sa.String(64), nullable=False),
        sa.Column("mine", sa.Text(), nullable=False),  # JSON of both versions: neither is ever dropped
        sa.Column("theirs", sa.Text(), nullable=False),
        sa.Column("detected_at", sa.String(32), nullable=False),
        sa.Column("resolved_at", sa.String(32), nullable=True),
    )
    clock = op.create_table(
        "team_clock",  # one row: every sync that sends changes takes its lock, so versions follow commit order
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
    )
    op.bulk_insert(clock, [{"id": 1, "seq": 0}])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_triggers()
    elif dialect == "postgresql":
        _postgresql_security()


def _sqlite_triggers() -> None:
    queue = "INSERT OR REPLACE INTO team_outbox (kind, key, queued_at) VALUES ('{kind}', {key}, " + NOW_SQLITE + ");"
    partner, note = queue.format(kind="partner", key="NEW.uid"), queue.format(kind="note", key="{row}.entity_id")
    op.execute(f"CREATE TRIGGER team_queue_partner_insert AFTER INSERT ON local_partner WHEN NEW.version = 0 "
               f"BEGIN {partner} END")
    op.execute(f"CREATE TRIGGER team_queue_partner_update AFTER UPDATE ON local_partner WHEN NEW.version = OLD.version "
               f"BEGIN {partner} END")
    op.execute(f"CREATE TRIGGER team_queue_note_insert AFTER INSERT ON note BEGIN {note.format(row='NEW')} END")
    op.execute(f"CREATE TRIGGER team_queue_note_update AFTER UPDATE ON note BEGIN {note.format(row='NEW')} END")
    op.execute(f"CREATE TRIGGER team_queue_note_delete AFTER DELETE ON note BEGIN {note.format(row='OLD')} END")


def _postgresql_security() -> None:
    op.execute("ALTER TABLE team_note ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY team_note_read ON team_note FOR SELECT USING (shared = 1 OR owner = current_user)")
    op.execute("CREATE POLICY team_note_insert ON team_note FOR INSERT WITH CHECK (owner = current_user)")
    op.execute("CREATE POLICY team_note_update ON team_note FOR UPDATE USING (owner = current_user) "
               "WITH CHECK (owner = current_user)")
    op.execute("CREATE POLICY team_note_delete ON team_note FOR DELETE USING (owner = current_user)")


def downgrade() -> None:
    raise NotImplementedError
