"""Team database: a local partner's link to a funded structure of the catalogue (local_partner_link, 0004) is
shared with the partner, like its programmes.

No table changes: the link table exists on both back ends since 0004. What changes is what a team server must
allow: members now write local_partner_link, a right `qpvdesk team init` grants (server.MEMBER_GRANTS) when it
upgrades a server to this revision. A client at this revision meeting a server still at 0007 is told, in French,
that the administrator must run `team init`, and writes nothing, rather than meeting a refusal at every sync.
On the local file, linking or unlinking moves the partner's updated_at (userdata/links.py): the partner triggers
of 0005 queue it, so no trigger is needed here.

Revision ID: 0008 (after 0007, conflict choices)
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # see the docstring: the version itself is the change (members' rights granted by `team init`)


def downgrade() -> None:
    raise NotImplementedError
