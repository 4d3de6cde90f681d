"""The team operations on one open user database, as the window reaches them (`user_data.team`): the window
imports no SQL module, so it gets this object from the UserData it was given. (The modules are imported under
other names: the methods `sync` and `conflicts` would hide them in the annotations.)"""

from __future__ import annotations

from qpvdesk.team import conflicts as _conflicts
from qpvdesk.team import membership, solo_data
from qpvdesk.team import sync as _sync
from qpvdesk.team.conflicts import Preview
from qpvdesk.team.sync import Conflict, SyncReport


class TeamAccess:
    def __init__(self, data) -> None:  # noqa: ANN001 - qpvdesk.userdata.store.UserData
        self.data = data

    def status(self, password: str | None = None, probe: bool = True) -> membership.TeamStatus:
        return membership.status(self.data, password, probe)

    def join(self, url: str, name: str, password: str | None, share_existing: bool,
             dry_run: bool = False) -> membership.JoinReport:
        return membership.join(self.data, url, name, password, share_existing, dry_run)

    def share_existing(self, password: str | None = None, dry_run: bool = False) -> solo_data.SoloSurvey:
        """What was typed before joining: the report (dry run), or queue it for the next sync."""
        return solo_data.share_existing(self.data, password, dry_run)

    def sync(self, password: str | None = None) -> SyncReport:
        return _sync.sync(self.data, password)

    def leave(self) -> int | None:
        return membership.leave(self.data)

    def conflicts(self) -> list[Conflict]:
        return _sync.list_conflicts(self.data)

    def resolve(self, conflict_id: int, keep_mine: bool) -> Conflict:
        return _sync.resolve(self.data, conflict_id, keep_mine)

    def preview_resolution(self, conflict: Conflict, choices: dict[str, str]) -> Preview:
        """What settling with these choices (field -> "mine", "theirs", "both") would write, and its problems."""
        return _conflicts.preview(self.data, conflict, choices)

    def resolve_fields(self, conflict_id: int, choices: dict[str, str]) -> Conflict:
        return _sync.resolve(self.data, conflict_id, choices=choices)

    def share_note(self, entity_id: str, shared: bool = True) -> None:
        membership.share_note(self.data, entity_id, shared)

    # --- notes in the window (issue 21: « partagée avec l'équipe ») ------------------------------------------

    def note_shared(self, entity_id: str) -> bool:
        """Your note on this fiche is marked « partagée avec l'équipe »."""
        return membership.note_shared(self.data, entity_id)

    def save_note(self, entity_id: str, text: str, shared: bool):  # noqa: ANN201 - userdata.views.Note | None
        """Save your note and whether the team may read it; the change is queued for the next sync (triggers).
        Made private first, or shared last: a text you keep private is never marked shared, even for a moment."""
        if not shared and self.note_shared(entity_id):
            membership.share_note(self.data, entity_id, False)
        note = self.data.set_note(entity_id, text)
        if note is not None and shared:
            membership.share_note(self.data, entity_id, True)
        return note

    def shared_notes(self, entity_id: str | None = None) -> list[dict]:
        """The other members' shared notes received at the last sync (on one fiche, or all)."""
        return membership.team_notes(self.data, entity_id)
