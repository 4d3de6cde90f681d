"""Website of a local partner; folded search text for partners and notes; duplicate-matching key.

Existing rows are backfilled here, so a database made by revision 0001 is searchable (accents and
case forgiven) and its duplicates are found on import, right after the upgrade.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from qpvdesk.userdata.folding import match_key, partner_search_text, note_search_text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("local_partner", sa.Column("website", sa.Text(), nullable=False, server_default=""))
    op.add_column("local_partner", sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    op.add_column("local_partner", sa.Column("match_key", sa.Text(), nullable=False, server_default=""))
    op.add_column("note", sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_local_partner_match_key", "local_partner", ["match_key"])

    conn = op.get_bind()
    programmes: dict[int, list[str]] = {}
    for partner_id, programme_id in conn.execute(sa.text("SELECT partner_id, programme_id FROM local_partner_programme")):
        programmes.setdefault(partner_id, []).append(programme_id)
    rows = conn.execute(sa.text(
        "SELECT id, name, kind, commune, qpv_code, contact_name, phone, email, address, notes FROM local_partner"
    )).mappings().all()
    updates = [
        {
            "id": row["id"],
            "search": partner_search_text({**row, "website": "", "programme_ids": programmes.get(row["id"], [])}),
            "key": match_key(row["name"], row["commune"]),
        }
        for row in rows
    ]
    if updates:
        conn.execute(sa.text("UPDATE local_partner SET search_text = :search, match_key = :key WHERE id = :id"), updates)
    notes = [{"id": entity_id, "search": note_search_text(text)} for entity_id, text in conn.execute(sa.text("SELECT entity_id, text FROM note"))]
    if notes:
        conn.execute(sa.text("UPDATE note SET search_text = :search WHERE entity_id = :id"), notes)


def downgrade() -> None:
    raise NotImplementedError
