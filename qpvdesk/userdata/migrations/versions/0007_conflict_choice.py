"""A settled team conflict remembers what the member chose (whole version or field by field, and the result);
both original versions stay in the record as before. Local bookkeeping: the column exists on the server too (same
migrations) but is never used there.

Revision ID: 0007 (after 0006, team authorship)
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("team_conflict", sa.Column("choice", sa.Text(), nullable=True))  # JSON, None while open


def downgrade() -> None:
    raise NotImplementedError
