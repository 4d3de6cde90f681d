"""Catalogue updates by file (issue 16 §3): signed .qpvcat packages installed in the user's folder.

keys: Ed25519 key pairs and the trusted publishers; package: writing and verifying a .qpvcat;
install: the installed catalogue (install, status, rollback, which one is used at start); diff: what changed.
No Qt here; every refusal is an UpdateRefused with a French message meant for the user.
"""

from __future__ import annotations


class UpdateRefused(Exception):
    """The update cannot be used; the message is French and says why. Nothing was changed."""
