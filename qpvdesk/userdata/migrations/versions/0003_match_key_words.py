"""Duplicate-matching key made of words only: « Évry-Courcouronnes » and « Evry Courcouronnes », or a
name typed with a stray « ; », now match the partner already saved.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from qpvdesk.userdata.folding import match_key

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name, commune FROM local_partner")).all()
    updates = [{"id": row_id, "key": match_key(name, commune)} for row_id, name, commune in rows]
    if updates:
        conn.execute(sa.text("UPDATE local_partner SET match_key = :key WHERE id = :id"), updates)


def downgrade() -> None:
    raise NotImplementedError
