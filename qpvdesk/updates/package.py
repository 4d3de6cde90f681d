"""The .qpvcat file: one catalogue (data.sqlite), its manifest and the publisher's signature.

Layout (every byte is covered, so one changed byte anywhere is refused):
    b"QPVCAT1\\n" | manifest length (4 bytes, big-endian) | manifest (UTF-8 JSON)
    | signature length (2 bytes) | Ed25519 signature of the manifest bytes | data.sqlite, zlib-compressed, to the end.
The manifest holds the size and SHA-256 of the stored (compressed) bytes and of the catalogue itself.
Why not a zip: no member names, so no path tricks; the expanded size is fixed by the signed manifest and
capped, so a compression bomb stops at that size; and no zip field is left unsigned (dates, comments, extras).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import struct
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from qpvdesk import __version__
from qpvdesk.updates import UpdateRefused
from qpvdesk.updates.keys import PublicKey, key_id, load_signing_key, trusted_keys

MAGIC = b"QPVCAT1\n"
FORMAT = "qpvdesk-catalogue"
MAX_MANIFEST = 64 * 1024
MAX_CATALOGUE = 1024 * 1024 * 1024  # 1 GiB expanded: 60 times today's catalogue, and a hard stop for bombs
CHUNK = 1024 * 1024
VERSION = re.compile(r"\d{1,9}(\.\d{1,9}){0,5}")


@dataclass(frozen=True)
class VerifiedPackage:
    path: Path
    manifest: dict
    signer: PublicKey

    @property
    def version(self) -> str:
        return self.manifest["version"]


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def default_version(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y.%m.%d.%H%M")


def read_meta(path: Path) -> dict[str, str]:
    """The catalogue's meta table (schema version, dates), read-only with the standard library only."""
    try:
        conn = sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UpdateRefused(f"{Path(path).name} n'est pas un catalogue qpvdesk lisible ({exc}).") from None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- writing (publisher) ----------------------------------------------------------------------


def pack(out: Path, key_path: Path, catalogue: Path, version: str | None = None) -> dict:
    """Write OUT.qpvcat from a built catalogue; returns the manifest. The catalogue must open cleanly."""
    from qpvdesk.catalogue import Catalogue, CatalogueError

    version = version or default_version()
    if not VERSION.fullmatch(version):
        raise UpdateRefused(f"Version « {version} » invalide : des nombres séparés par des points (ex. 2026.12.1).")
    signing, signer_name = load_signing_key(key_path)
    try:
        opened = Catalogue(catalogue)
    except CatalogueError as exc:
        raise UpdateRefused(str(exc)) from None
    try:
        if opened.damage() is not None:
            raise UpdateRefused(f"{catalogue} est endommagé (contrôle d'intégrité SQLite) : rien n'a été écrit.")
        stats = opened.stats()
    finally:
        opened.close()
    meta = read_meta(catalogue)
    out = Path(out)
    fd, temporary = tempfile.mkstemp(prefix=".qpvcat-", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w+b") as stored:
            compressor, stored_hash, data_hash, size = zlib.compressobj(9), hashlib.sha256(), hashlib.sha256(), 0
            with open(catalogue, "rb") as source:
                while chunk := source.read(CHUNK):
                    data_hash.update(chunk)
                    size += len(chunk)
                    packed = compressor.compress(chunk)
                    stored_hash.update(packed)
                    stored.write(packed)
            packed = compressor.flush()
            stored_hash.update(packed)
            stored.write(packed)
            manifest = {
                "format": FORMAT,
                "format_version": 1,
                "version": version,
                "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "newest_information_date": meta.get("newest_information_date", ""),
                "schema_version": meta.get("schema_version", ""),
                "builder_version": meta.get("builder_version", ""),
                "packed_by": f"qpvdesk {__version__}",
                "content_hash": meta.get("content_hash", ""),
                "counts": stats.counts,
                "signer": key_id(bytes(signing.verify_key)),
                "signer_name": signer_name,
                "data": {"compression": "zlib", "size": size, "sha256": data_hash.hexdigest(),
                         "stored_size": stored.tell(), "stored_sha256": stored_hash.hexdigest()},
            }
            manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            signature = signing.sign(manifest_bytes).signature
            stored.seek(0)
            with open(out, "wb") as target:
                write_header(target, manifest_bytes, signature)
                while chunk := stored.read(CHUNK):
                    target.write(chunk)
    finally:
        os.unlink(temporary)
    return manifest


def write_header(target, manifest_bytes: bytes, signature: bytes) -> None:
    target.write(MAGIC + struct.pack(">I", len(manifest_bytes)) + manifest_bytes + struct.pack(">H", len(signature)) + signature)


# --- reading (user) ---------------------------------------------------------------------------


def _damaged(path: Path, why: str) -> UpdateRefused:
    return UpdateRefused(f"Le fichier {path.name} est endommagé ou modifié ({why}) : il n'a pas été installé. "
                         "Demandez une nouvelle copie à son éditeur.")


def _read_exact(f, count: int, path: Path, what: str) -> bytes:
    data = f.read(count)
    if len(data) != count:
        raise _damaged(path, f"{what} incomplet")
    return data


def verify_header(path: Path) -> tuple[VerifiedPackage, int]:
    """Checks the manifest and its signature (fast: the catalogue itself is not read). Returns the package
    and the offset of the stored catalogue."""
    path = Path(path)
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed by the `with f` below; opening errors are told apart here
    except FileNotFoundError:
        raise UpdateRefused(f"Fichier introuvable : {path}") from None
    except OSError as exc:
        from qpvdesk.errors import french_reason

        raise UpdateRefused(f"Impossible de lire {path} : {french_reason(exc)}") from None
    with f:
        magic = f.read(len(MAGIC))
        if magic != MAGIC:
            if magic[:6] == MAGIC[:6] or len(magic) < len(MAGIC):
                raise _damaged(path, "en-tête")
            raise UpdateRefused(f"{path.name} n'est pas un fichier de catalogue qpvdesk (.qpvcat) : rien n'a été installé.")
        (length,) = struct.unpack(">I", _read_exact(f, 4, path, "en-tête"))
        if length > MAX_MANIFEST:
            raise _damaged(path, "manifeste trop long")
        manifest_bytes = _read_exact(f, length, path, "manifeste")
        (sig_length,) = struct.unpack(">H", _read_exact(f, 2, path, "signature"))
        signature = _read_exact(f, sig_length, path, "signature")
        offset = f.tell()
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _damaged(path, "manifeste illisible") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, "manifeste inattendu")
    if sig_length == 0:
        raise UpdateRefused(f"Le fichier {path.name} n'est pas signé : qpvdesk n'installe que des catalogues signés "
                            "par un éditeur de confiance. Rien n'a été installé.")
    signer = trusted_keys().get(str(manifest.get("signer", "")))
    if signer is None:
        raise UpdateRefused(
            f"Le fichier {path.name} est signé par une clé inconnue ({str(manifest.get('signer', '?'))[:16]}, "
            f"« {str(manifest.get('signer_name', '?'))[:80]} ») : rien n'a été installé. Si vous connaissez cet éditeur, "
            "ajoutez d'abord sa clé publique : qpvdesk catalogue trust FICHIER.pub")
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    try:
        VerifyKey(signer.raw).verify(manifest_bytes, signature)
    except (BadSignatureError, ValueError):
        raise _damaged(path, "signature invalide") from None
    _check_manifest(path, manifest)
    return VerifiedPackage(path, manifest, signer), offset


def _check_manifest(path: Path, manifest: dict) -> None:
    from qpvdesk.model import SCHEMA_VERSION

    data = manifest.get("data")
    version = manifest.get("version")
    if not isinstance(data, dict) or not isinstance(version, str) or not VERSION.fullmatch(version):
        raise _damaged(path, "manifeste incomplet")
    if manifest.get("format_version") != 1 or data.get("compression") != "zlib":
        raise UpdateRefused(f"{path.name} est d'un format de paquet plus récent : mettez qpvdesk à jour. Rien n'a été installé.")
    if str(manifest.get("schema_version")) != SCHEMA_VERSION:
        raise UpdateRefused(
            f"{path.name} est un catalogue du schéma {manifest.get('schema_version')!s:.10} ; cette version de qpvdesk lit "
            f"le schéma {SCHEMA_VERSION}. Demandez à l'éditeur un paquet pour votre version. Rien n'a été installé.")
    for field in ("size", "stored_size"):
        if not isinstance(data.get(field), int) or not 0 < data[field] <= MAX_CATALOGUE:
            raise _damaged(path, "taille annoncée invalide")


def extract(package: VerifiedPackage, offset: int, target: Path, cancelled=lambda: False) -> None:
    """Expand the stored catalogue into `target`, checking sizes and hashes as it streams; the expanded
    size never goes past the signed manifest's. Raises UpdateRefused (target then left for the caller)."""
    data, path = package.manifest["data"], package.path
    stored_hash, data_hash, stored_left, written = hashlib.sha256(), hashlib.sha256(), data["stored_size"], 0
    expander = zlib.decompressobj()
    with open(path, "rb") as f, open(target, "wb") as out:
        f.seek(offset)
        while True:
            if cancelled():
                raise UpdateRefused("Vérification annulée : rien n'a été installé.")
            chunk = f.read(min(CHUNK, stored_left + 1))
            if not chunk:
                break
            stored_left -= len(chunk)
            if stored_left < 0:
                raise _damaged(path, "données en trop")
            stored_hash.update(chunk)
            try:
                expanded = expander.decompress(chunk, data["size"] - written + 1)
                while expanded:
                    written += len(expanded)
                    if written > data["size"]:
                        raise _damaged(path, "catalogue plus grand qu'annoncé")
                    data_hash.update(expanded)
                    out.write(expanded)
                    expanded = expander.decompress(expander.unconsumed_tail, data["size"] - written + 1)
            except zlib.error:
                raise _damaged(path, "données compressées illisibles") from None
    if stored_left != 0 or stored_hash.hexdigest() != data["stored_sha256"]:
        raise _damaged(path, "données tronquées ou modifiées")
    if written != data["size"] or data_hash.hexdigest() != data["sha256"] or not expander.eof:
        raise _damaged(path, "empreinte SHA-256 du catalogue différente")
    meta = read_meta(target)
    if meta.get("schema_version") != str(package.manifest.get("schema_version")):
        raise _damaged(path, "schéma du catalogue différent du manifeste")
