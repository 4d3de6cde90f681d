"""French texts of an update, shared by the command line and the window: the manifest, the status,
and the « Quoi de neuf » (fiches and facts that changed, notes and favourites left without their fiche)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qpvdesk.updates.diff import CatalogueDiff, diff_catalogues, orphaned


@dataclass
class WhatsNew:
    diff: CatalogueDiff
    orphan_notes: list[str]
    orphan_favourites: list[str]

    def lines(self, limit: int = 8) -> list[str]:
        lines = self.diff.summary_lines(limit)
        if self.orphan_notes:
            lines.append(f"{len(self.orphan_notes)} de vos notes portent sur des fiches absentes du nouveau catalogue "
                         f"({', '.join(self.orphan_notes[:limit])}) : elles sont conservées et restent dans « Mes notes », "
                         "marquées « fiche absente du catalogue ».")
        if self.orphan_favourites:
            lines.append(f"{len(self.orphan_favourites)} de vos favoris portent sur des fiches absentes du nouveau catalogue : "
                         "ils sont conservés.")
        return lines

    def to_json(self) -> dict:
        return {**self.diff.to_json(), "orphan_notes": self.orphan_notes, "orphan_favourites": self.orphan_favourites}


def inspector(note_ids=(), favourite_ids=()):
    """The `inspect` callback of install(): the diff old → new and what the user's notes and favourites lose."""
    note_ids, favourite_ids = list(note_ids), list(favourite_ids)

    def inspect(previous: Path, new: Path) -> WhatsNew:
        return WhatsNew(diff_catalogues(previous, new), orphaned(note_ids, new), orphaned(favourite_ids, new))

    return inspect


def _date(value: str) -> str:
    from qpvdesk.dates import format_partial_date_fr

    try:
        return format_partial_date_fr(value) if value else "inconnue"
    except Exception:  # noqa: BLE001 - an odd date in a manifest is shown as written
        return value


def _stamp(value: str) -> str:
    """'2026-12-04T20:40:34Z' → '2026-12-04 à 20:40:34 (UTC)'."""
    return value.replace("T", " à ").removesuffix("Z") + " (UTC)" if value.endswith("Z") else value


def manifest_lines(manifest: dict, signer_name: str, signer_origin: str) -> list[str]:
    counts = manifest.get("counts", {})
    return [
        f"Version : {manifest.get('version')}",
        f"Construit le : {_stamp(manifest.get('built_at', '?'))}",
        f"Information la plus récente : {_date(manifest.get('newest_information_date', ''))}",
        f"Schéma : {manifest.get('schema_version')}",
        f"Contenu : {counts.get('entities', '?')} fiches, {counts.get('facts', '?')} faits, {counts.get('sources', '?')} sources",
        f"Signé par : {signer_name} (clé {manifest.get('signer')}, {signer_origin})",
        f"Empreinte SHA-256 du catalogue : {manifest.get('data', {}).get('sha256', '?')}",
    ]


def status_lines(status: dict) -> list[str]:
    lines = list(status.get("notices", []))
    if status["in_use"] == "installed":
        signer = status["signer"]
        lines += [
            "Catalogue utilisé : mise à jour installée",
            f"  version : {status['version']} ; construit le {_stamp(status['built_at'])} ; "
            f"installé le {_stamp(status['installed_at'])}",
            f"  information la plus récente : {_date(status['newest_information_date'])}",
            f"  signé par : {signer['name']} (clé {signer['id']}, {signer['origin']})",
            f"  fichier : {status['path']}",
        ]
    else:
        what = "choisi par la variable QPVDESK_CATALOGUE" if status["in_use"] == "override" else "livré avec l'application"
        lines += [
            f"Catalogue utilisé : {what}",
            f"  information la plus récente : {_date(status['newest_information_date'])}",
            f"  fichier : {status['path']}",
        ]
    return lines
