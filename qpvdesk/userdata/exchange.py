"""Files exchanged between colleagues: CSV (UTF-8 with BOM, `;`, for Excel) and JSON.

Reading never trusts the file: size, encoding, binary content, separator, header, quoting and
JSON shape are checked, and a problem with the whole file raises FileRejected (French message).
Each data record keeps its line number for the report.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from qpvdesk import __version__
from qpvdesk.errors import describe_os_error
from qpvdesk.filewrite import naming_target, real_target, replace_with
from qpvdesk.textfold import fold
from qpvdesk.userdata.messages import Msg
from qpvdesk.userdata.text import neutralise_formula, now_iso, restore_formula
from qpvdesk.userdata.views import PARTNER_TYPES, LocalPartner

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ROWS = 200_000
SEPARATORS = (";", ",", "\t")

# CSV columns as written (French, for Excel users) -> field name
CSV_COLUMNS = {
    "identifiant": "uid",
    "nom": "name",
    "type": "kind",
    "commune": "commune",
    "code_qpv": "qpv_code",
    "programmes": "programme_ids",
    "contact": "contact_name",
    "telephone": "phone",
    "email": "email",
    "adresse": "address",
    "site_web": "website",
    "notes": "notes",
    "cree_le": "created_at",
    "modifie_le": "updated_at",
}
# other spellings accepted on import (folded, spaces and hyphens as "_")
HEADER_ALIASES = {
    **{key: value for key, value in CSV_COLUMNS.items()},
    **{value: value for value in CSV_COLUMNS.values()},
    "id": "uid", "uuid": "uid", "nom_du_partenaire": "name", "partenaire": "name", "structure": "name",
    "categorie": "kind", "code_commune": "commune", "code_insee": "commune", "ville": "commune",
    "qpv": "qpv_code", "quartier": "qpv_code", "code_quartier": "qpv_code", "programme": "programme_ids",
    "dispositifs": "programme_ids", "nom_du_contact": "contact_name", "referent": "contact_name", "tel": "phone",
    "telephone_du_contact": "phone", "courriel": "email", "mail": "email", "e_mail": "email", "site": "website",
    "site_internet": "website", "remarques": "notes", "commentaires": "notes", "date_de_creation": "created_at",
    "date_de_modification": "updated_at",
}
REQUIRED = ("name",)
JSON_FIELDS = ("uid", "name", "kind", "commune", "qpv_code", "programme_ids", "contact_name", "phone", "email",
               "address", "website", "notes", "created_at", "updated_at")


class FileRejected(Exception):
    """The whole file is refused; nothing is imported. The message is French."""


@dataclass
class RawRecord:
    line: int
    values: dict[str, object]  # field name -> str (CSV) or any JSON value
    error: str | None = None  # the record cannot be read at all (wrong column count, not an object…)


@dataclass
class ParsedFile:
    file_format: str
    records: list[RawRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- reading ------------------------------------------------------------------------------


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix == ".json":
        return "json"
    raise FileRejected(Msg.UNKNOWN_FORMAT.format(suffix=suffix or "(aucun)"))


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRejected(Msg.FILE_MISSING.format(path=f"{path} ({describe_os_error(exc, with_path=False)})")) from None
    if size > MAX_FILE_BYTES:
        raise FileRejected(Msg.FILE_TOO_BIG.format(size=size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024)))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FileRejected(Msg.FILE_MISSING.format(path=f"{path} ({describe_os_error(exc, with_path=False)})")) from None


def decode(data: bytes, warnings: list[str]) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252 with a warning; binary is refused."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise FileRejected(Msg.ENCODING) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRejected(Msg.ENCODING) from None
        if "\x00" in text:
            raise FileRejected(Msg.BINARY)
        return text
    if b"\x00" in data:
        raise FileRejected(Msg.BINARY)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileRejected(Msg.ENCODING) from None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\r\n")
    if controls > max(2, len(text) // 1000):
        raise FileRejected(Msg.BINARY)
    warnings.append(Msg.ENCODING_CP1252)
    return text


def _header_key(cell: str) -> str:
    return "_".join(fold(cell.strip().strip('"')).replace("-", " ").replace("'", " ").split())


def parse_csv(text: str) -> ParsedFile:
    parsed = ParsedFile("csv")
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    best, best_count = ";", -1
    for sep in SEPARATORS:
        count = sum(1 for cell in first_line.split(sep) if _header_key(cell) in HEADER_ALIASES)
        if count > best_count:
            best, best_count = sep, count
    if best_count <= 0:
        raise FileRejected(Msg.NO_HEADER)
    if best != ";":
        parsed.warnings.append(Msg.SEPARATOR.format(found="tabulation" if best == "\t" else best))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise FileRejected(Msg.NO_ROWS) from None
    except csv.Error:  # csv's own text is English
        raise FileRejected(Msg.CSV_SYNTAX.format(line=1)) from None
    columns: list[str | None] = []
    ignored = []
    for cell in header:
        name = HEADER_ALIASES.get(_header_key(cell))
        if name in columns:
            raise FileRejected(Msg.DUPLICATE_COLUMNS.format(column=cell.strip()))
        if name is None and cell.strip():
            ignored.append(cell.strip())
        columns.append(name)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise FileRejected(Msg.MISSING_COLUMNS.format(columns=", ".join("nom" if c == "name" else c for c in missing)))
    if ignored:
        parsed.warnings.append(Msg.IGNORED_COLUMNS.format(columns=", ".join(ignored[:10])))
    last_line = reader.line_num
    try:
        for cells in reader:
            line = last_line + 1
            last_line = reader.line_num
            if not cells or all(not c.strip() for c in cells):
                continue
            if len(cells) > len(columns) and not any(c.strip() for c in cells[len(columns):]):
                cells = cells[: len(columns)]  # trailing empty cells (a separator at the end of the line)
            if len(cells) != len(columns):
                parsed.records.append(RawRecord(line, {}, Msg.BAD_COLUMN_COUNT.format(found=len(cells), expected=len(columns))))
                continue
            values = {name: restore_formula(cell) for name, cell in zip(columns, cells) if name}
            parsed.records.append(RawRecord(line, values))
    except csv.Error:
        raise FileRejected(Msg.CSV_SYNTAX.format(line=reader.line_num)) from None
    if len(parsed.records) > MAX_ROWS:
        raise FileRejected(Msg.TOO_MANY_ROWS.format(count=len(parsed.records), limit=MAX_ROWS))
    if not parsed.records:
        raise FileRejected(Msg.NO_ROWS)
    return parsed


def parse_json(text: str) -> ParsedFile:
    parsed = ParsedFile("json")
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise FileRejected(Msg.JSON_SYNTAX.format(line=exc.lineno, column=exc.colno)) from None
    except RecursionError:
        raise FileRejected(Msg.JSON_SHAPE) from None
    items = data.get("partners") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise FileRejected(Msg.JSON_SHAPE)
    if len(items) > MAX_ROWS:
        raise FileRejected(Msg.TOO_MANY_ROWS.format(count=len(items), limit=MAX_ROWS))
    unknown: set[str] = set()
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            parsed.records.append(RawRecord(position, {}, Msg.JSON_NOT_OBJECT))
            continue
        values = {}
        for key, value in item.items():
            name = HEADER_ALIASES.get(_header_key(str(key)))
            if name is None:
                unknown.add(str(key))
            else:
                values[name] = value
        parsed.records.append(RawRecord(position, values))
    unknown -= {"deleted_at", "kind_label", "entity_id"}
    if unknown:
        parsed.warnings.append(Msg.IGNORED_COLUMNS.format(columns=", ".join(sorted(unknown)[:10])))
    if not parsed.records:
        raise FileRejected(Msg.NO_ROWS)
    return parsed


def read_partner_file(path: Path) -> ParsedFile:
    fmt = file_format(path)
    warnings: list[str] = []
    text = decode(read_bytes(path), warnings)
    parsed = parse_csv(text) if fmt == "csv" else parse_json(text)
    parsed.warnings[:0] = warnings
    return parsed


def read_json_document(path: Path) -> object:
    """A small JSON file (favourites, notes): any problem raises FileRejected."""
    if path.suffix.lower() != ".json":
        raise FileRejected(Msg.JSON_EXPECTED.format(suffix=path.suffix or "(aucune)"))
    text = decode(read_bytes(path), [])
    try:
        return json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise FileRejected(Msg.JSON_SYNTAX.format(line=exc.lineno, column=exc.colno)) from None
    except RecursionError:
        raise FileRejected(Msg.JSON_SHAPE) from None


# --- writing ------------------------------------------------------------------------------


def write_atomically(path: Path, chunks: Iterable[str], encoding: str = "utf-8") -> None:
    """Write beside the target, then replace it: a crash never leaves half a file under the real name.
    Through a symbolic link, its target is replaced; a pipe or a device is refused (see qpvdesk.filewrite)."""
    path = Path(path)
    with naming_target(path):
        target = real_target(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)  # owner-only
        try:
            with os.fdopen(fd, "w", encoding=encoding, newline="") as out:
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            replace_with(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def csv_rows(partners: Iterable[LocalPartner]) -> Iterator[list[str]]:
    yield list(CSV_COLUMNS)
    for p in partners:
        values = {
            "uid": p.uid, "name": p.name, "kind": PARTNER_TYPES.get(p.kind, p.kind), "commune": p.commune,
            "qpv_code": p.qpv_code, "programme_ids": ", ".join(p.programme_ids), "contact_name": p.contact_name,
            "phone": p.phone, "email": p.email, "address": p.address, "website": p.website, "notes": p.notes,
            "created_at": p.created_at, "updated_at": p.updated_at,
        }
        yield [neutralise_formula(values[name]) for name in CSV_COLUMNS.values()]


def write_partners_csv(path: Path, partners: Iterable[LocalPartner]) -> None:
    def chunks() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        yield "\ufeff"  # BOM: Excel then reads UTF-8 accents correctly
        for row in csv_rows(partners):
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    write_atomically(path, chunks())


def write_json(path: Path, document: dict) -> None:
    write_atomically(path, [json.dumps(document, ensure_ascii=False, indent=2), "\n"])


def partners_document(partners: Iterable[LocalPartner]) -> dict:
    return {
        "format": "qpvdesk-partenaires",
        "version": 1,
        "app_version": __version__,
        "exported_at": now_iso(),
        "partners": [{name: p.to_json()[name] for name in JSON_FIELDS} for p in partners],
    }
