"""Plain, immutable views of the user's data, handed to the UI and the CLI (no ORM object leaves the core).

This module imports neither SQLAlchemy nor Qt, so the UI can import it before the first paint.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from qpvdesk.french import plural

LOCAL_PREFIX = "local:"  # entity id of a local partner: "local:<uuid>" (favourites, notes, history)

# partner type key -> French label (keys are stable, stored in the database and in JSON exports)
PARTNER_TYPES: dict[str, str] = {
    "association": "Association",
    "social-centre": "Centre social",
    "social-landlord": "Bailleur social",
    "local-authority": "Collectivité",
    "state-service": "Service de l'État",
    "public-body": "Établissement public",
    "company": "Entreprise",
    "other": "Autre",
}

# maximum lengths, in characters
MAX_NAME = 300
MAX_FIELD = 500
MAX_NOTES = 20_000


def local_entity_id(uid: str) -> str:
    return LOCAL_PREFIX + uid


def local_uid(entity_id: str) -> str | None:
    return entity_id[len(LOCAL_PREFIX):] if entity_id.startswith(LOCAL_PREFIX) else None


@dataclass(frozen=True)
class PartnerFields:
    """What a person edits about a local partner (the dialog's content, one import line)."""

    name: str
    kind: str = "other"
    commune: str = ""  # commune name or INSEE code
    qpv_code: str = ""  # e.g. QN09301M
    programme_ids: tuple[str, ...] = ()  # catalogue ids (npnru, cites-educatives…)
    contact_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    website: str = ""
    notes: str = ""


EDITABLE_FIELDS = tuple(f.name for f in fields(PartnerFields))


@dataclass(frozen=True)
class LocalPartner(PartnerFields):
    uid: str = ""
    created_at: str = ""  # UTC ISO 8601
    updated_at: str = ""

    @property
    def entity_id(self) -> str:
        return local_entity_id(self.uid)

    @property
    def kind_label(self) -> str:
        return PARTNER_TYPES.get(self.kind, self.kind)

    def editable(self) -> PartnerFields:
        return PartnerFields(**{name: getattr(self, name) for name in EDITABLE_FIELDS})

    def with_fields(self, data: PartnerFields) -> LocalPartner:
        return replace(self, **{name: getattr(data, name) for name in EDITABLE_FIELDS})

    def to_json(self) -> dict:
        out = asdict(self)
        out["programme_ids"] = list(self.programme_ids)
        return out


@dataclass(frozen=True)
class Favourite:
    entity_id: str
    position: int
    added_at: str


@dataclass(frozen=True)
class Note:
    entity_id: str
    text: str
    updated_at: str


@dataclass(frozen=True)
class LineIssue:
    line: int  # CSV: physical line of the record's start; JSON: position in the list (1-based)
    message: str  # French
    rejected: bool  # True: the line is not imported; False: imported with a remark


@dataclass(frozen=True)
class ImportReport:
    """The dry-run (or applied) outcome of importing a file of local partners."""

    path: str
    file_format: str  # csv / json
    dry_run: bool
    applied: bool = False
    file_error: str | None = None  # set when the whole file is rejected (nothing imported)
    new: int = 0
    modified: int = 0
    duplicates: int = 0
    rejected: int = 0
    rows: int = 0
    issues: tuple[LineIssue, ...] = ()
    warnings: tuple[str, ...] = ()  # about the whole file (encoding, separator, ignored columns)

    @property
    def ok(self) -> bool:
        return self.file_error is None

    @property
    def importable(self) -> int:
        return self.new + self.modified

    def summary(self, max_details: int = 3) -> str:
        """'12 nouveaux, 3 modifiés, 2 doublons, 1 ligne rejetée : ligne 7, commune inconnue « Xyz »'."""
        if self.file_error:
            return f"Fichier refusé : {self.file_error}"
        json_file = self.file_format == "json"
        unit, units = ("élément rejeté", "éléments rejetés") if json_file else ("ligne rejetée", "lignes rejetées")
        parts = [
            plural(self.new, "nouveau", "nouveaux"),
            plural(self.modified, "modifié", "modifiés"),
            plural(self.duplicates, "doublon", "doublons"),
            plural(self.rejected, unit, units),
        ]
        text = ", ".join(parts)
        rejected = [i for i in self.issues if i.rejected]
        if rejected:
            details = " ; ".join(f"{self._place(i.line)}, {i.message}" for i in rejected[:max_details])
            more = f" ; et {plural(len(rejected) - max_details, 'autre')}" if len(rejected) > max_details else ""
            text += f" : {details}{more}"
        return text

    def details(self) -> list[str]:
        """Every remark, line by line, in French (for the dialog and the CLI)."""
        lines = [f"Attention : {w}" for w in self.warnings]
        if self.file_error:
            lines.append(f"Fichier refusé : {self.file_error}")
        for issue in self.issues:
            prefix = "rejetée" if issue.rejected else "remarque"
            place = self._place(issue.line)
            lines.append(f"{place[0].upper()}{place[1:]} ({prefix}) : {issue.message}")
        return lines

    def _place(self, number: int) -> str:
        """Where in the file: a CSV line, or the n-th partner of a JSON list (JSON has no useful lines)."""
        return f"élément n° {number}" if self.file_format == "json" else f"ligne {number}"


@dataclass(frozen=True)
class FavouritesImportReport:
    added: tuple[str, ...] = ()
    already: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()  # ids the catalogue does not know: imported anyway, and listed here
    file_error: str | None = None

    def summary(self) -> str:
        if self.file_error:
            return f"Fichier refusé : {self.file_error}"
        added = plural(len(self.added), "favori ajouté", "favoris ajoutés")
        text = f"{added}, {plural(len(self.already), 'déjà présent', 'déjà présents')}"
        if self.unknown:
            text += (
                f" ; {plural(len(self.unknown), 'identifiant inconnu', 'identifiants inconnus')} du catalogue "
                f"(gardés quand même) : {', '.join(self.unknown[:10])}" + (" …" if len(self.unknown) > 10 else "")
            )
        return text


def _number(value: int) -> str:
    """12345 -> '12 345' (French thousands, narrow no-break space)."""
    return f"{value:,}".replace(",", "\u202f")


@dataclass(frozen=True)
class NotesImportReport:
    added: int = 0
    merged: int = 0  # an existing different note got the imported text appended (nothing is overwritten)
    unchanged: int = 0
    unknown: tuple[str, ...] = ()
    file_error: str | None = None
    shortened: tuple[tuple[str, int], ...] = ()  # (entity id, imported characters left out) over MAX_NOTES

    def summary(self) -> str:
        if self.file_error:
            return f"Fichier refusé : {self.file_error}"
        text = (
            f"{plural(self.added, 'note ajoutée', 'notes ajoutées')}, {plural(self.merged, 'complétée')}, "
            f"{plural(self.unchanged, 'identique')}"
        )
        if self.unknown:
            text += f" ; {len(self.unknown)} sur des fiches inconnues du catalogue (gardées) : {', '.join(self.unknown[:10])}"
        if self.shortened:
            details = " ; ".join(f"« {entity_id} » : {_number(dropped)} caractère(s) importé(s) non gardé(s)"
                                 for entity_id, dropped in self.shortened[:10])
            more = f" ; et {len(self.shortened) - 10} autre(s)" if len(self.shortened) > 10 else ""
            text += (f" ; {plural(len(self.shortened), 'note raccourcie', 'notes raccourcies')} à la longueur maximale "
                     f"({_number(MAX_NOTES)} caractères) : {details}{more}")
        return text


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: str  # local time, French ("12/03/2025 à 10:32")
    kind: str  # "automatique", "avant mise à jour", "avant restauration", "manuelle"
    size: int
    partners: int | None = None  # None when the file cannot be read

    @property
    def label(self) -> str:
        count = "illisible" if self.partners is None else plural(self.partners, "partenaire local", "partenaires locaux")
        return f"{self.created_at} — {self.kind} — {count}"


@dataclass
class StartupReport:
    """What happened while opening the user database; messages are French, for a message box."""

    messages: list[str] = field(default_factory=list)
    recovered: bool = False  # something damaged was set aside (the database, a backup restored; or its -wal journal)
    set_aside: list[Path] = field(default_factory=list)
    restored_from: Path | None = None
    upgraded_from: str | None = None  # schema revision before the automatic upgrade
    backup: Path | None = None
    read_only: str | None = None  # French notice: opened read-only (full disk, read-only folder), nothing can be saved


