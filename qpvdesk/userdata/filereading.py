"""Reading an exchanged text file without loading it whole: encoding sniffed by one pass over the bytes,
then the text streamed (CSV rows, or the elements of one JSON list, one at a time).

Why our own small JSON streamer and not a dependency (ijson): the files are qpvdesk's own exports
(one object holding one list), the standard library's decoder reads each element with the same rules
and error positions as before, and the packaged offline app gains no compiled dependency.
Every problem raises FileRejected with a French message; memory stays bounded by one element.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from qpvdesk.errors import describe_os_error
from qpvdesk.userdata.messages import Msg

MAX_FILE_BYTES = 512 * 1024 * 1024  # streamed: what is kept is bounded by the row limits, not by this
MAX_ELEMENT_CHARS = 2 * 1024 * 1024  # one JSON element (a partner, a note) larger than this is not ours
MAX_INT_DIGITS = 4000  # Python refuses to convert integers of more than 4 300 digits
_CHUNK = 1 << 20
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))


class FileRejected(Exception):
    """The whole file is refused; nothing is imported. The message is French."""


def _missing(path: Path, exc: OSError) -> FileRejected:
    return FileRejected(Msg.FILE_MISSING.format(path=f"{path} ({describe_os_error(exc, with_path=False)})"))


def _utf16_without_bom(sample: bytes) -> str | None:
    """Latin text in UTF-16 has a zero byte in every other position: tell which side."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.4 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.4 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def sniff_encoding(path: Path, warnings: list[str]) -> str:
    """UTF-8 (BOM or not), UTF-16 (BOM, or detected without), or Windows-1252 with a warning; binary refused.
    One pass over the bytes, a megabyte at a time."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileRejected(Msg.FILE_TOO_BIG.format(size=size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024)))
        with path.open("rb") as raw:
            head = raw.read(4096)
            if head.startswith(codecs.BOM_UTF8):
                encoding = "utf-8-sig"
            elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                return "utf-16"
            elif (guess := _utf16_without_bom(head)) is not None:
                warnings.append(Msg.ENCODING_UTF16_NO_BOM)
                return guess
            else:
                encoding = "utf-8"
            utf8 = codecs.getincrementaldecoder("utf-8-sig")()
            is_utf8, controls, chunk = True, 0, head
            while chunk:
                if b"\x00" in chunk:
                    raise FileRejected(Msg.BINARY)
                if is_utf8:
                    try:
                        utf8.decode(chunk)
                    except UnicodeDecodeError:
                        is_utf8 = False
                controls += sum(chunk.count(c) for c in _CONTROL_BYTES)
                chunk = raw.read(_CHUNK)
            if is_utf8:
                try:
                    utf8.decode(b"", final=True)
                    return encoding
                except UnicodeDecodeError:
                    pass
    except IsADirectoryError as exc:
        raise _missing(path, exc) from None
    except OSError as exc:
        raise _missing(path, exc) from None
    if encoding == "utf-8-sig":  # a UTF-8 BOM, then bytes that are not UTF-8
        raise FileRejected(Msg.ENCODING)
    if controls > max(2, size // 1000):
        raise FileRejected(Msg.BINARY)
    warnings.append(Msg.ENCODING_CP1252)
    return "cp1252"


def open_text(path: Path, warnings: list[str]) -> TextIO:
    encoding = sniff_encoding(path, warnings)
    try:
        return path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise _missing(path, exc) from None


class _NulGuard:
    """UTF-16 text can hide NUL characters the byte check let through: they mean binary content."""

    def __init__(self, source: TextIO) -> None:
        self.source = source

    def read(self, size: int) -> str:
        try:
            text = self.source.read(size)
        except UnicodeDecodeError:
            raise FileRejected(Msg.ENCODING) from None
        if "\x00" in text:
            raise FileRejected(Msg.BINARY)
        return text


def _int_or_text(digits: str) -> int | str:
    """A number too long for Python stays text: the field checks then name it as too long."""
    return int(digits) if len(digits) <= MAX_INT_DIGITS else digits


_DECODER = json.JSONDecoder(parse_int=_int_or_text)


class JsonStream:
    """Values of one JSON document read from a text stream; keeps one element in memory at a time."""

    def __init__(self, source: TextIO) -> None:
        self.source = _NulGuard(source)
        self.buf = ""
        self.pos = 0
        self.lines_before = 0  # newlines in the text already dropped from the buffer
        self.eof = False

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.source.read(_CHUNK)
        if not chunk:
            self.eof = True
            return False
        if self.pos == 0 and not self.buf:
            chunk = chunk.removeprefix("\ufeff")
        self.lines_before += self.buf.count("\n", 0, self.pos)
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def _syntax(self, pos: int) -> FileRejected:
        line = self.lines_before + self.buf.count("\n", 0, pos) + 1
        column = pos - (self.buf.rfind("\n", 0, pos) + 1) + 1
        return FileRejected(Msg.JSON_SYNTAX.format(line=line, column=column))

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the file)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def expect(self, allowed: str) -> str:
        char = self.peek()
        if not char or char not in allowed:
            raise self._syntax(self.pos)
        self.pos += 1
        return char

    def _too_big(self) -> FileRejected:
        line = self.lines_before + self.buf.count("\n", 0, self.pos) + 1
        return FileRejected(Msg.JSON_ELEMENT_TOO_BIG.format(line=line, limit=max(1, MAX_ELEMENT_CHARS // (1024 * 1024))))

    def value(self) -> object:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof:
                    raise self._syntax(exc.pos) from None
                error = exc.pos
            except RecursionError:
                raise FileRejected(Msg.JSON_SHAPE) from None
            else:
                if end < len(self.buf) or self.eof:  # a number cut by the buffer's end would look complete
                    if end - self.pos > MAX_ELEMENT_CHARS:
                        raise self._too_big()
                    self.pos = end
                    return value
                error = end
            if len(self.buf) - self.pos > MAX_ELEMENT_CHARS:
                raise self._too_big()
            if not self._more():
                raise self._syntax(error)

    def items(self) -> Iterator[object]:
        """The elements of the list that starts here."""
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            if self.expect(",]") == "]":
                return

    def end(self) -> None:
        if self.peek():
            raise self._syntax(self.pos)


def json_items(path: Path, key: str, shape_error: str, top_list: bool = True,
               warnings: list[str] | None = None) -> Iterator[object]:
    """The elements of the list `key` of the file's top object (or of a top-level list when top_list),
    streamed. A file without that list raises FileRejected(shape_error)."""
    with open_text(path, [] if warnings is None else warnings) as source:
        stream = JsonStream(source)
        first = stream.peek()
        if first == "[" and top_list:
            yield from stream.items()
            stream.end()
            return
        if first != "{":
            if first != "[":
                stream.value()  # a syntax error is told as such
            raise FileRejected(shape_error)
        stream.expect("{")
        found = False
        if stream.peek() == "}":
            stream.pos += 1
        else:
            while True:
                name = stream.value()
                if not isinstance(name, str):
                    raise stream._syntax(stream.pos)
                stream.expect(":")
                if name == key and stream.peek() == "[" and not found:
                    found = True
                    yield from stream.items()
                else:
                    stream.value()
                if stream.expect(",}") == "}":
                    break
        stream.end()
        if not found:
            raise FileRejected(shape_error)


def text_lines(source: TextIO) -> Iterator[str]:
    """The lines of a text stream (terminators kept, for csv), a decoding failure told in French."""
    try:
        yield from source
    except UnicodeDecodeError:
        raise FileRejected(Msg.ENCODING) from None
