"""The team database: partners and shared notes on the team's PostgreSQL server, the local SQLite user database
staying the working copy (offline first). No Qt here.

- server.py: connecting (TLS when the URL asks), French errors, schema version checks, `team init` (same Alembic
  migrations as the local file, member role with least privilege);
- settings.py: what `team join` records locally (never the password) and where the password comes from;
- sync.py: send the queued changes (conflicts keep both versions), then receive the others';
- conflicts.py: settle a conflict (a whole version, or field by field), the result checked like a typed edit and
  queued; conflict_choices.py: the French names and the display of both versions (no SQL: the window uses it).
"""
