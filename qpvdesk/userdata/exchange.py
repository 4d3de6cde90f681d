"""Files exchanged between colleagues: CSV (UTF-8 with BOM, `;`, for Excel) and JSON.

Reading never trusts the file: size, encoding, binary content, separator, header, quoting and
JSON shape are checked, and a problem with the whole file raises FileRejected (French message).
Files are streamed (filereading.py) and the row limits are checked while reading, so a huge file is
refused before it fills memory. Each data record keeps its line number for the report.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from qpvdesk import __version__
from qpvdesk.filewrite import naming_target, real_target, replace_with
from qpvdesk.textfold import fold
from qpvdesk.userdata.filereading import FileRejected, json_items, open_text, text_lines
from qpvdesk.userdata.messages import Msg
from qpvdesk.userdata.text import neutralise_formula, now_iso, restore_formula
from qpvdesk.userdata.views import PARTNER_TYPES, LocalPartner

MAX_ROWS = 200_000  # partners per file; checked while reading, so memory stays bounded
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


def _header_key(cell: str) -> str:
    return "_".join(fold(cell.strip().strip('"')).replace("-", " ").replace("'", " ").split())


def _safe_key(key: object) -> str:
    """A JSON key fit to be printed (a lone surrogate escape cannot be written to a terminal)."""
    return str(key).encode("utf-8", "replace").decode("utf-8")


def parse_csv(source: TextIO) -> ParsedFile:
    """Rows are read one at a time from the open file; the row limit is checked while reading."""
    parsed = ParsedFile("csv")
    lines = text_lines(source)
    first_line = next(lines, "").removeprefix("\ufeff")
    best, best_count = ";", -1
    for sep in SEPARATORS:
        count = sum(1 for cell in first_line.split(sep) if _header_key(cell) in HEADER_ALIASES)
        if count > best_count:
            best, best_count = sep, count
    if best_count <= 0:
        raise FileRejected(Msg.NO_HEADER)
    if best != ";":
        parsed.warnings.append(Msg.SEPARATOR.format(found="tabulation" if best == "\t" else best))
    reader = csv.reader(itertools.chain([first_line], lines), delimiter=best, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise FileRejected(Msg.NO_ROWS) from None
    except csv.Error:  # csv's own text is English
        raise FileRejected(Msg.CSV_SYNTAX.format(line=1)) from None
    columns: list[str | None] = []
    ignored = []
    for number, cell in enumerate(header, start=1):
        name = HEADER_ALIASES.get(_header_key(cell))
        if name is not None and name in columns:
            raise FileRejected(Msg.DUPLICATE_COLUMNS.format(column=cell.strip()))
        if name is None:  # unknown or blank (Excel's trailing « ;; »): ignored, and listed
            ignored.append(cell.strip() or Msg.BLANK_COLUMN.format(number=number))
        columns.append(name)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise FileRejected(Msg.MISSING_COLUMNS.format(columns=", ".join("nom" if c == "name" else c for c in missing)))
    if ignored:
        more = f" et {len(ignored) - 10} autre(s)" if len(ignored) > 10 else ""
        parsed.warnings.append(Msg.IGNORED_COLUMNS.format(columns=", ".join(ignored[:10]) + more))
    last_line = reader.line_num
    try:
        for cells in reader:
            line = last_line + 1
            last_line = reader.line_num
            if not cells or all(not c.strip() for c in cells):
                continue
            if len(parsed.records) >= MAX_ROWS:
                raise FileRejected(Msg.TOO_MANY_ROWS.format(limit=MAX_ROWS))
            if len(cells) > len(columns) and not any(c.strip() for c in cells[len(columns):]):
                cells = cells[: len(columns)]  # trailing empty cells (a separator at the end of the line)
            if len(cells) != len(columns):
                parsed.records.append(RawRecord(line, {}, Msg.BAD_COLUMN_COUNT.format(found=len(cells), expected=len(columns))))
                continue
            values: dict[str, object] = {name: restore_formula(cell) for name, cell in zip(columns, cells) if name}
            parsed.records.append(RawRecord(line, values))
    except csv.Error:
        raise FileRejected(Msg.CSV_SYNTAX.format(line=reader.line_num)) from None
    if not parsed.records:
        raise FileRejected(Msg.NO_ROWS)
    return parsed


def parse_json(path: Path, warnings: list[str]) -> ParsedFile:
    """The elements of « partners » are read one at a time; the row limit is checked while reading."""
    parsed = ParsedFile("json")
    unknown: set[str] = set()
    for position, item in enumerate(json_items(path, "partners", Msg.JSON_SHAPE, warnings=warnings), start=1):
        if position > MAX_ROWS:
            raise FileRejected(Msg.TOO_MANY_ROWS.format(limit=MAX_ROWS))
        if not isinstance(item, dict):
            parsed.records.append(RawRecord(position, {}, Msg.JSON_NOT_OBJECT))
            continue
        values = {}
        for key, value in item.items():
            name = HEADER_ALIASES.get(_header_key(str(key)))
            if name is None:
                unknown.add(_safe_key(key))
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
    if fmt == "json":
        parsed = parse_json(path, warnings)
    else:
        with open_text(path, warnings) as source:
            parsed = parse_csv(source)
    parsed.warnings[:0] = warnings
    return parsed


def json_document_items(path: Path, key: str, shape_error: str, limit: int, top_list: bool = False) -> Iterator[object]:
    """The elements of one list of a small JSON file (favourites, notes), streamed, at most `limit`."""
    if path.suffix.lower() != ".json":
        raise FileRejected(Msg.JSON_EXPECTED.format(suffix=path.suffix or "(aucune)"))
    for position, item in enumerate(json_items(path, key, shape_error, top_list), start=1):
        if position > limit:
            raise FileRejected(Msg.TOO_MANY_ITEMS.format(limit=limit))
        yield item


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


def write_partners_json(path: Path, partners: Iterable[LocalPartner]) -> None:
    """The same bytes as write_json(partners_document(…)), written a partner at a time: a large export
    never holds the whole text in memory (and the import reads it back the same way)."""
    def chunks() -> Iterator[str]:
        head = partners_document(())
        del head["partners"]
        yield "{\n" + "".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n" for k, v in head.items())
        yield '  "partners": ['
        separator = "\n    "
        for p in partners:
            item = json.dumps({name: p.to_json()[name] for name in JSON_FIELDS}, ensure_ascii=False, indent=2)
            yield separator + item.replace("\n", "\n    ")  # newlines inside strings are escaped: only layout moves
            separator = ",\n    "
        yield ("]" if separator == "\n    " else "\n  ]") + "\n}\n"

    write_atomically(path, chunks())


def partners_document(partners: Iterable[LocalPartner]) -> dict:
    return {
        "format": "qpvdesk-partenaires",
        "version": 1,
        "app_version": __version__,
        "exported_at": now_iso(),
        "partners": [{name: p.to_json()[name] for name in JSON_FIELDS} for p in partners],
    }
