"""Alembic migrations of the user database, shipped as a package.

They run programmatically at start (qpvdesk/userdata/database.py): no alembic.ini is needed on
users' machines. `script_location` is this folder, so a PyInstaller build must ship the .py files
of this folder and of versions/ as data (see qpvdesk/userdata/_pyinstaller).

Adding a revision (developers):
    .venv/bin/python -m qpvdesk.userdata.migrations "ce qui change"
writes versions/NNNN_<slug>.py from script.py.mako; write upgrade() by hand (no autogenerate at run time).
"""

from __future__ import annotations

from pathlib import Path

LOCATION = Path(__file__).resolve().parent
