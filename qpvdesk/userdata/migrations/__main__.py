"""Developer helper: create a new, empty revision file (python -m qpvdesk.userdata.migrations "message")."""

from __future__ import annotations

import sys

from alembic import command
from alembic.script import ScriptDirectory

from qpvdesk.userdata.database import alembic_config


def main() -> int:
    if len(sys.argv) != 2:
        print('usage : python -m qpvdesk.userdata.migrations "message"', file=sys.stderr)
        return 2
    config = alembic_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    number = len(list(ScriptDirectory.from_config(config).walk_revisions())) + 1
    command.revision(config, message=sys.argv[1], rev_id=f"{number:04d}", head=heads[0] if heads else "base")
    return 0


if __name__ == "__main__":
    sys.exit(main())
