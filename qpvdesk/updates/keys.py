"""Publisher keys (Ed25519, PyNaCl/libsodium): key pairs, key ids, and the publishers this user trusts.

A public key file holds one line: `qpvdesk-ed25519-public <base64 key> <name>`; a private key file
`qpvdesk-ed25519-private <base64 seed> <name>` (mode 0600: only its owner reads it).
Trusted: every .pub shipped in resources/keys/, plus those the user added (`catalogue trust`) in the
user data folder (cles-catalogue/). A key is named by its id: the first 16 hex digits of its SHA-256.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from qpvdesk.updates import UpdateRefused

PUBLIC_TAG = "qpvdesk-ed25519-public"
PRIVATE_TAG = "qpvdesk-ed25519-private"
USER_KEYS_DIR = "cles-catalogue"
MAX_KEY_FILE = 4096


@dataclass(frozen=True)
class PublicKey:
    raw: bytes  # 32 bytes
    name: str
    origin: str  # "livrée avec qpvdesk" or "ajoutée par vous"

    @property
    def key_id(self) -> str:
        return key_id(self.raw)


def key_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def shipped_keys_dir() -> Path:
    from qpvdesk.paths import resources_dir

    return resources_dir() / "keys"


def user_keys_dir() -> Path:
    from qpvdesk.userdata.location import user_dir

    return user_dir() / USER_KEYS_DIR


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip()[:80] or "sans nom"


def keygen(prefix: Path, name: str) -> tuple[Path, Path]:
    """Write PREFIX.key (private, 0600) and PREFIX.pub; never overwrites an existing key."""
    from nacl.signing import SigningKey

    private_path, public_path = Path(f"{prefix}.key"), Path(f"{prefix}.pub")
    for path in (private_path, public_path):
        if path.exists():
            raise UpdateRefused(f"{path} existe déjà : aucune clé n'a été écrite (une clé ne s'écrase jamais).")
    signing = SigningKey.generate()
    name = _clean_name(name)
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(f"{PRIVATE_TAG} {base64.b64encode(bytes(signing)).decode()} {name}\n")
    public_path.write_text(f"{PUBLIC_TAG} {base64.b64encode(bytes(signing.verify_key)).decode()} {name}\n", encoding="utf-8")
    return private_path, public_path


def _read_key_line(path: Path, tag: str) -> tuple[bytes, str]:
    kind = "publique" if tag == PUBLIC_TAG else "privée"
    try:
        if path.stat().st_size > MAX_KEY_FILE:
            raise UpdateRefused(f"{path} n'est pas une clé {kind} qpvdesk (fichier trop grand).")
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise UpdateRefused(f"Clé introuvable : {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UpdateRefused(f"{path} n'est pas lisible comme clé {kind} qpvdesk ({exc.__class__.__name__}).") from None
    parts = text.split(" ", 2)
    if len(parts) < 2 or parts[0] != tag:
        raise UpdateRefused(f"{path} n'est pas une clé {kind} qpvdesk (la ligne doit commencer par « {tag} »).")
    try:
        raw = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise UpdateRefused(f"{path} : clé {kind} endommagée (32 octets en base64 attendus).")
    return raw, _clean_name(parts[2] if len(parts) > 2 else "")


def load_signing_key(path: Path):
    from nacl.signing import SigningKey

    raw, name = _read_key_line(Path(path), PRIVATE_TAG)
    return SigningKey(raw), name


def load_public_key(path: Path, origin: str = "ajoutée par vous") -> PublicKey:
    raw, name = _read_key_line(Path(path), PUBLIC_TAG)
    return PublicKey(raw, name, origin)


def trusted_keys() -> dict[str, PublicKey]:
    """Key id → key: the shipped keys, then the user's (an unreadable user key file is skipped)."""
    keys: dict[str, PublicKey] = {}
    for folder, origin in ((user_keys_dir(), "ajoutée par vous"), (shipped_keys_dir(), "livrée avec qpvdesk")):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.pub")):
            try:
                key = load_public_key(path, origin)
            except UpdateRefused:
                continue
            keys[key.key_id] = key  # a shipped key keeps its "livrée" origin
    return keys


def trust(path: Path) -> tuple[PublicKey, bool]:
    """Add a publisher's public key for this user; returns (key, newly added)."""
    key = load_public_key(Path(path))
    if key.key_id in trusted_keys():
        return trusted_keys()[key.key_id], False
    folder = user_keys_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{key.key_id}.pub"
    temporary = target.with_suffix(".tmp")
    temporary.write_text(f"{PUBLIC_TAG} {base64.b64encode(key.raw).decode()} {key.name}\n", encoding="utf-8")
    os.replace(temporary, target)
    return key, True
