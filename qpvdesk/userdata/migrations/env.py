"""Alembic environment: always online, on the connection handed over by qpvdesk.userdata.database.

The caller opened that connection inside a `BEGIN IMMEDIATE` transaction, so the whole upgrade is one
SQLite transaction (SQLite has transactional DDL): a crash or a second instance never sees half a schema.
"""

from __future__ import annotations

from alembic import context

from qpvdesk.userdata.schema import UserBase

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable through the alembic command line
    raise RuntimeError("Les migrations de qpvdesk se lancent depuis l'application (qpvdesk.userdata.database.migrate).")

context.configure(connection=connection, target_metadata=UserBase.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
