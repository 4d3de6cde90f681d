"""A local partner can be linked to a structure of the catalogue (adultes-relais or FONJEP employer), so that
the contacts the user adds sit beside what the State funds. Nothing existing changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "local_partner_link",
        sa.Column("partner_id", sa.Integer(), sa.ForeignKey("local_partner.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("organisation_id", sa.String(200), nullable=False),
        sa.Column("siret", sa.String(14), nullable=False, server_default=""),
        sa.Column("organisation_name", sa.Text(), nullable=False, server_default=""),
        sa.Column("linked_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError
