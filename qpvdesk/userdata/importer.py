"""Importing a file of local partners: a dry-run report first, then everything in ONE transaction.

Matching, in this order:
1. a stable id (uid) carried by the line and known to the database: identical -> "doublon",
   different -> "modifié" (unless the database's copy is more recent: then it is kept, "doublon";
   and a line whose modification date is missing, unreadable or too vague to compare is never allowed
   to replace a different local copy: it is rejected as a conflict, naming the reason),
   deleted earlier -> restored;
2. else the same name and commune (folded) as an existing partner -> "doublon" (inside the file,
   two lines are duplicates when they carry the same uid, or have no uid and the same name and commune);
3. else "nouveau" (keeping the file's uid and dates, so export -> import gives identical partners).
A rejected line never stops the others; a rejected file changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from qpvdesk.userdata.exchange import FileRejected, RawRecord, read_partner_file
from qpvdesk.userdata.folding import match_key
from qpvdesk.userdata.messages import Msg
from qpvdesk.userdata.partners import P, check, load_partners, normalise, record_values, write_programmes
from qpvdesk.userdata.refs import CatalogueRefs
from qpvdesk.userdata.text import MINUTE, clean_line, lone_surrogate, now_iso, parse_iso, parse_timestamp
from qpvdesk.userdata.views import ImportReport, LineIssue, LocalPartner, PartnerFields

CHUNK = 2000
Progress = Callable[[int, int], object]  # (done, total); returning False cancels (nothing is written)


class ImportCancelled(Exception):
    pass


@dataclass
class _Line:
    line: int
    fields: PartnerFields
    uid: str | None
    created_at: str | None
    updated_at: str | None
    updated_raw: str = ""  # the file's text, for the report
    updated_span: tuple[datetime, timedelta] | None = None  # (start, precision) of what the file's date can mean


@dataclass
class _Plan:
    inserts: list[_Line] = field(default_factory=list)
    updates: list[tuple[_Line, int, bool]] = field(default_factory=list)  # (line, row id, was deleted)
    duplicates: int = 0
    rejected: int = 0
    issues: list[LineIssue] = field(default_factory=list)


def _text(values: dict, name: str, issues: list[str]) -> str:
    value = values.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        issues.append(Msg.JSON_NOT_TEXT.format(field=name))
        return ""
    if isinstance(value, str) and (code := lone_surrogate(value)) is not None:
        issues.append(Msg.BAD_CHARACTER.format(field=name, code=code))
        return value.encode("utf-8", "replace").decode("utf-8")  # the line is rejected; the rest stays checkable
    return str(value)


def _programmes(value: object, issues: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) and lone_surrogate(value) is None:
        return tuple(p.strip() for p in value.replace(";", ",").replace("|", ",").split(","))
    if isinstance(value, list) and all(isinstance(p, str) and lone_surrogate(p) is None for p in value):
        return tuple(value)
    issues.append(Msg.JSON_NOT_TEXT.format(field="programme_ids"))
    return ()


def read_line(record: RawRecord, refs: CatalogueRefs) -> tuple[_Line | None, list[LineIssue]]:
    if record.error:
        return None, [LineIssue(record.line, record.error, True)]
    type_issues: list[str] = []
    values = record.values
    raw = PartnerFields(
        name=_text(values, "name", type_issues),
        kind=_text(values, "kind", type_issues),
        commune=_text(values, "commune", type_issues),
        qpv_code=_text(values, "qpv_code", type_issues),
        programme_ids=_programmes(values.get("programme_ids"), type_issues),
        contact_name=_text(values, "contact_name", type_issues),
        phone=_text(values, "phone", type_issues),
        email=_text(values, "email", type_issues),
        address=_text(values, "address", type_issues),
        website=_text(values, "website", type_issues),
        notes=_text(values, "notes", type_issues),
    )
    fields = normalise(raw)
    errors, warnings = check(fields, refs)
    errors = type_issues + errors
    if errors:
        return None, [LineIssue(record.line, " ; ".join(errors), True)]
    issues = [LineIssue(record.line, w, False) for w in warnings]
    uid_text = _text(values, "uid", []).strip()
    uid = None
    if uid_text:
        try:
            uid = str(uuid.UUID(uid_text))
        except ValueError:
            issues.append(LineIssue(record.line, Msg.BAD_UID.format(value=uid_text[:60]), False))
    created = parse_iso(_text(values, "created_at", [])) if uid else None
    updated_raw = _text(values, "updated_at", []).strip() if uid else ""
    span = parse_timestamp(updated_raw) if updated_raw else None
    updated = span[0].isoformat(timespec="seconds") if span else None
    return _Line(record.line, fields, uid, created, updated, updated_raw, span), issues


def _newer(line: _Line, local_updated_at: str) -> tuple[str, str | None]:
    """For a line that differs from the local copy, which one is newer: ("file", None), ("local", None),
    or ("conflict", French reason) when the line's date cannot tell (then the local copy is kept)."""
    if line.updated_span is None:
        reason = (
            Msg.CONFLICT_BAD_DATE.format(value=clean_line(line.updated_raw)[:40]) if line.updated_raw else Msg.CONFLICT_NO_DATE
        )
        return "conflict", reason
    start, precision = line.updated_span
    local = parse_timestamp(local_updated_at)
    if local is None:  # the app always dates its rows; an undated local copy is not "newer"
        return "file", None
    if local[0] >= start + precision:  # newer than any instant the file's date can mean
        return "local", None
    if precision > MINUTE and local[0] >= start:  # « 12/03/2026 » and a local edit that same day: undecidable
        return "conflict", Msg.CONFLICT_VAGUE_DATE.format(value=clean_line(line.updated_raw)[:40])
    # older, or within the minute a spreadsheet's « 12/03/2026 09:32 » rounds the exported time to:
    # the file's line wins, as it always did on an identical ISO date
    return "file", None


def plan_import(session: Session, lines: list[_Line], plan: _Plan) -> None:
    existing: dict[str, tuple[int, LocalPartner, bool]] = {}
    deleted_uids = set(session.scalars(select(P.c.uid).where(P.c.deleted_at.is_not(None))))
    ids = dict(session.execute(select(P.c.uid, P.c.id)).all())
    by_key: dict[str, LocalPartner] = {}
    for partner in load_partners(session, order=False):
        existing[partner.uid] = (ids[partner.uid], partner, partner.uid in deleted_uids)
        if partner.uid not in deleted_uids:
            by_key.setdefault(match_key(partner.name, partner.commune), partner)
    seen_uid: dict[str, int] = {}
    seen_key: dict[str, int] = {}
    for line in lines:
        key = match_key(line.fields.name, line.fields.commune)
        # inside the file: the same uid twice, or (for lines without uid) the same name and commune
        earlier = seen_uid.get(line.uid) if line.uid else seen_key.get(key)
        if earlier is not None:
            plan.duplicates += 1
            plan.issues.append(LineIssue(line.line, Msg.DUP_IN_FILE.format(line=earlier), False))
            continue
        if line.uid:
            seen_uid[line.uid] = line.line
        seen_key.setdefault(key, line.line)
        if line.uid and line.uid in existing:
            row_id, current, was_deleted = existing[line.uid]
            if was_deleted:
                plan.updates.append((line, row_id, True))
                plan.issues.append(LineIssue(line.line, Msg.RESTORED_PARTNER, False))
            elif current.editable() == line.fields:
                plan.duplicates += 1
                plan.issues.append(LineIssue(line.line, Msg.DUP_SAME, False))
            elif (newer := _newer(line, current.updated_at))[0] == "local":
                plan.duplicates += 1
                plan.issues.append(LineIssue(line.line, Msg.DUP_LOCAL_NEWER, False))
            elif newer[0] == "conflict":
                plan.rejected += 1
                plan.issues.append(LineIssue(line.line, newer[1] or Msg.CONFLICT_NO_DATE, True))
            else:
                plan.updates.append((line, row_id, False))
                plan.issues.append(LineIssue(line.line, Msg.MODIFIED, False))
            continue
        twin = by_key.get(key)
        if twin is not None:
            plan.duplicates += 1
            plan.issues.append(
                LineIssue(
                    line.line, Msg.DUP_NAME_COMMUNE.format(name=twin.name[:80], commune=twin.commune or "sans commune"), False
                )
            )
            continue
        plan.inserts.append(line)


def apply_plan(session: Session, plan: _Plan, progress: Progress | None) -> None:
    total = len(plan.inserts) + len(plan.updates)
    done = 0
    stamp = now_iso()
    for start in range(0, len(plan.inserts), CHUNK):
        chunk = plan.inserts[start : start + CHUNK]
        rows = []
        for line in chunk:
            rows.append(
                {
                    "uid": line.uid or str(uuid.uuid4()),
                    "created_at": line.created_at or stamp,
                    "updated_at": line.updated_at or line.created_at or stamp,
                    **record_values(line.fields),
                }
            )
        session.execute(insert(P), rows)
        with_programmes = [(row["uid"], line.fields.programme_ids) for row, line in zip(rows, chunk) if line.fields.programme_ids]
        if with_programmes:
            ids = dict(session.execute(select(P.c.uid, P.c.id).where(P.c.uid.in_([u for u, _ in with_programmes]))).all())
            write_programmes(session, [(ids[u], progs) for u, progs in with_programmes])
        done += len(chunk)
        if progress is not None and progress(done, total) is False:
            raise ImportCancelled
    for line, row_id, _was_deleted in plan.updates:
        session.execute(
            update(P)
            .where(P.c.id == row_id)
            .values(deleted_at=None, updated_at=line.updated_at or stamp, **record_values(line.fields))
        )
        write_programmes(session, [(row_id, line.fields.programme_ids)], replace=True)
        done += 1
        if progress is not None and done % CHUNK == 0 and progress(done, total) is False:
            raise ImportCancelled
    if progress is not None:
        progress(total, total)


class PartnerImporter:
    """Mixed into UserData."""

    def import_partners(self, path: Path | str, dry_run: bool = True, progress: Progress | None = None) -> ImportReport:
        """Read, check and match the file. dry_run=True changes nothing; dry_run=False applies the
        valid lines in ONE transaction (all or nothing, even if the process is killed)."""
        path = Path(path)
        fmt = path.suffix.lower().lstrip(".")
        try:
            parsed = read_partner_file(path)
        except FileRejected as exc:
            return ImportReport(str(path), fmt, dry_run, file_error=str(exc))
        plan = _Plan()
        lines = []
        for record in parsed.records:
            line, issues = read_line(record, self.refs)  # type: ignore[attr-defined]
            plan.issues.extend(issues)
            if line is None:
                plan.rejected += 1
            else:
                lines.append(line)
        session_factory = self._read if dry_run else self._write  # type: ignore[attr-defined]
        applied = False
        try:
            with session_factory() as session:
                plan_import(session, lines, plan)
                if not dry_run and (plan.inserts or plan.updates):
                    apply_plan(session, plan, progress)
                    applied = True
        except ImportCancelled:
            return ImportReport(str(path), parsed.file_format, dry_run, file_error=Msg.CANCELLED)
        plan.issues.sort(key=lambda i: i.line)
        return ImportReport(
            path=str(path),
            file_format=parsed.file_format,
            dry_run=dry_run,
            applied=applied,
            new=len(plan.inserts),
            modified=len(plan.updates),
            duplicates=plan.duplicates,
            rejected=plan.rejected,
            rows=len(parsed.records),
            issues=tuple(plan.issues),
            warnings=tuple(parsed.warnings),
        )
