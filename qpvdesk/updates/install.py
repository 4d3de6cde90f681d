"""The installed catalogue: install (atomic), which catalogue is used at start, status and rollback.

The user's folder holds catalogue/installe.json (what is installed: manifest, signer, file name, size and
date of the file as checked at install) and the catalogue itself, catalogue-<hash>.sqlite, read-only.
installe.json is replaced in one step (os.replace), so a start sees the old state or the new one, never
half of it; each catalogue gets its own file name, so an open catalogue is never overwritten (Windows).
The shipped data.sqlite is only ever read.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qpvdesk.updates import UpdateRefused
from qpvdesk.updates.package import VerifiedPackage, extract, file_sha256, read_meta, verify_header, version_key
from qpvdesk.updates.removed import REMOVED, folder, orphan_title, removed_names  # noqa: F401 (re-exported)

STATE = "installe.json"
notices: list[str] = []  # French notices of the last active_catalogue() (fallback to the shipped one)


def shipped_catalogue() -> Path:
    from qpvdesk.paths import bundle_dir

    return bundle_dir() / "data.sqlite"


def read_state() -> dict | None:
    try:
        state = json.loads((folder() / STATE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"broken": True}
    return state if isinstance(state, dict) else {"broken": True}


def _problem(state: dict, shipped: Path) -> str | None:
    """Why the installed catalogue cannot be used, or None. Rehashes the file only if its size or date moved."""
    if state.get("broken") or not isinstance(state.get("manifest"), dict):
        return "fiche d'installation illisible"
    path = folder() / str(state.get("file", ""))
    try:
        info = path.stat()
    except OSError:
        return "fichier absent"
    manifest = state["manifest"]
    moved = (info.st_size, info.st_mtime_ns) != (state.get("size"), state.get("mtime_ns"))
    if moved and (info.st_size != manifest["data"]["size"] or file_sha256(path) != manifest["data"]["sha256"]):
        return "fichier modifié ou endommagé"
    try:
        meta, shipped_meta = read_meta(path), read_meta(shipped)
    except UpdateRefused:
        return "fichier illisible"
    if meta.get("schema_version") != shipped_meta.get("schema_version"):
        return "schéma différent de celui de cette version de qpvdesk"
    if meta.get("newest_information_date", "") < shipped_meta.get("newest_information_date", ""):
        return "plus ancien que le catalogue livré avec cette version de qpvdesk"
    return None


def active_catalogue(shipped: Path | None = None) -> Path:
    """The catalogue to open: the installed one if it is sound, else the shipped one (with a French notice)."""
    shipped = shipped or shipped_catalogue()
    notices.clear()
    state = read_state()
    if state is None:
        return shipped
    problem = _problem(state, shipped)
    if problem is None:
        return folder() / state["file"]
    version = state.get("manifest", {}).get("version", "?") if isinstance(state.get("manifest"), dict) else "?"
    notices.append(f"Le catalogue mis à jour (version {version}) n'est pas utilisé ({problem}) : qpvdesk utilise le "
                   "catalogue livré avec l'application. Réinstallez la mise à jour ou revenez au catalogue livré.")
    return shipped


@dataclass
class InstallReport:
    package: VerifiedPackage
    previous: dict  # status() before
    dry_run: bool
    installed_path: Path | None = None
    details: Any = None  # what `inspect` returned (the « Quoi de neuf »: whatsnew.WhatsNew)
    warnings: list[str] = field(default_factory=list)


def _check_newer(package: VerifiedPackage, current: dict) -> None:
    manifest = package.manifest
    name = package.path.name
    if current["in_use"] == "installed" and version_key(manifest["version"]) <= version_key(current["version"]):
        same = manifest["data"]["sha256"] == current.get("sha256") and manifest["version"] == current["version"]
        raise UpdateRefused(
            f"{name} (version {manifest['version']}) est déjà installé : rien n'a été modifié." if same else
            f"{name} (version {manifest['version']}) n'est pas plus récent que le catalogue utilisé (version "
            f"{current['version']}) : rien n'a été installé.")
    if manifest.get("newest_information_date", "") < current.get("newest_information_date", ""):
        raise UpdateRefused(
            f"{name} est plus ancien que le catalogue utilisé (information la plus récente : "
            f"{manifest.get('newest_information_date') or 'inconnue'} contre {current['newest_information_date']}) : "
            "rien n'a été installé.")


def install(path: Path, dry_run: bool = False, inspect=None, cancelled=lambda: False) -> InstallReport:
    """Verify everything, then (unless dry_run) make the package the catalogue used from the next opening.
    On refusal nothing is changed. `inspect(previous catalogue, verified new catalogue)` runs before the switch
    (the « Quoi de neuf »); its result is report.details."""
    package, offset = verify_header(Path(path))
    current = status()
    _check_newer(package, current)
    target_folder = folder()
    created = not target_folder.exists()
    staging = Path(tempfile.gettempdir()) if dry_run else target_folder
    staging.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".catalogue-", suffix=".tmp", dir=staging)
    os.close(fd)
    temporary = Path(name)
    moved = False  # once the verified copy has its final name, there is no temporary file left to remove
    report = InstallReport(package, current, dry_run)
    try:
        extract(package, offset, temporary, cancelled)
        _check_opens(temporary, package.path)
        if inspect is not None:
            report.details = inspect(Path(current["path"]), temporary)
        if dry_run:
            return report
        final = target_folder / f"catalogue-{package.version}-{package.manifest['data']['sha256'][:12]}.sqlite"
        os.chmod(temporary, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        if final.exists():
            os.chmod(final, stat.S_IRUSR | stat.S_IWUSR)
        os.replace(temporary, final)
        moved = True
        info = final.stat()
        _write_state({
            "file": final.name, "size": info.st_size, "mtime_ns": info.st_mtime_ns,
            "installed_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "source_file": package.path.name, "manifest": package.manifest,
            "signer_name": package.signer.name, "signer_origin": package.signer.origin,
        })
        report.installed_path = final
        _remember_removed(getattr(getattr(report.details, "diff", None), "removed", ()))
        report.warnings += _remove_unused()
        return report
    except BaseException:
        if created and not dry_run:
            _remove_tree_if_only_temporary(target_folder, None if moved else temporary)
        raise
    finally:
        if not moved and temporary.exists():
            temporary.unlink()


def _remove_tree_if_only_temporary(target_folder: Path, temporary: Path | None) -> None:
    if temporary is not None and temporary.exists():
        temporary.unlink()
    try:
        target_folder.rmdir()
    except OSError:
        pass


def _check_opens(path: Path, package_path: Path) -> None:
    from qpvdesk.catalogue import Catalogue, CatalogueError

    try:
        catalogue = Catalogue(path)
    except CatalogueError as exc:
        raise UpdateRefused(f"{package_path.name} contient un catalogue inutilisable : {exc}") from None
    try:
        if catalogue.damage() is not None:
            raise UpdateRefused(f"{package_path.name} contient un catalogue endommagé (contrôle SQLite) : rien n'a été installé.")
    finally:
        catalogue.close()


def _write_state(state: dict) -> None:
    target = folder() / STATE
    temporary = target.with_suffix(".tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump(state, out, ensure_ascii=False, indent=1)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, target)


def _remember_removed(removed) -> None:
    if not removed:
        return
    names = removed_names() | {entity_id: name for entity_id, name in removed}
    temporary = folder() / (REMOVED + ".tmp")
    temporary.write_text(json.dumps(names, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, folder() / REMOVED)


def _remove_unused() -> list[str]:
    """Older installed catalogues: removed when possible (one still open elsewhere is left for later)."""
    state = read_state() or {}
    left = []
    for path in folder().glob("catalogue-*.sqlite"):
        if path.name != state.get("file"):
            try:
                os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
                path.unlink()
            except OSError:
                left.append(f"L'ancien catalogue {path.name} sera supprimé plus tard (il est encore ouvert).")
    return left


def rollback() -> dict | None:
    """Back to the shipped catalogue; returns the manifest that was installed (None if there was none)."""
    state = read_state()
    if state is None:
        return None
    (folder() / STATE).unlink()
    _remove_unused()
    return state.get("manifest") if isinstance(state.get("manifest"), dict) else {}


def status() -> dict:
    """Which catalogue is in use, for `catalogue status` and the window."""
    override = os.environ.get("QPVDESK_CATALOGUE")
    shipped = shipped_catalogue()
    path = active_catalogue(shipped)
    state = read_state()
    if override:
        path = Path(override)
    base = {"path": str(path), "notices": list(notices), "override": bool(override)}
    if not override and state is not None and not notices:
        manifest = state["manifest"]
        return base | {
            "in_use": "installed", "version": manifest["version"], "built_at": manifest.get("built_at", ""),
            "newest_information_date": manifest.get("newest_information_date", ""),
            "schema_version": manifest.get("schema_version", ""), "sha256": manifest["data"]["sha256"],
            "counts": manifest.get("counts", {}), "installed_at": state.get("installed_at", ""),
            "signer": {"id": manifest.get("signer", ""), "name": state.get("signer_name", ""),
                       "origin": state.get("signer_origin", "")},
        }
    try:
        meta = read_meta(path)
    except UpdateRefused:
        meta = {}
    return base | {
        "in_use": "override" if override else "shipped", "version": None, "built_at": "",
        "newest_information_date": meta.get("newest_information_date", ""),
        "schema_version": meta.get("schema_version", ""), "builder_version": meta.get("builder_version", ""),
        "signer": None,
    }
