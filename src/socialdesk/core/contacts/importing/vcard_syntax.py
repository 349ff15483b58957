"""vCard syntax on bytes: lines, folding, soft line breaks, properties, card structure.

Works on bytes so that a fold or a quoted-printable soft break inside a multi-byte
character is joined before anything is decoded; :mod:`vcard` decodes the values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from socialdesk.core.contacts.importing.errors import ContactImportError
from socialdesk.core.contacts.importing.textio import not_text

_LINE_END = re.compile(rb"\r\n|\r|\n")
BLOCK = 1 << 20
MAX_LINE = 1 << 25  # bytes of one line, folded lines joined (a photo of 24 MB)
_BARE_ENCODINGS = frozenset(("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"))


@dataclass(slots=True)
class Property:
    """One content line: ``group.NAME;PARAM=VALUE:raw value`` (names in upper case)."""

    line: int
    group: str
    name: str
    params: dict[str, list[str]]
    raw: bytes
    qp: bool = False  # the value is quoted-printable


@dataclass(slots=True)
class Card:
    """The properties of one ``BEGIN:VCARD`` … ``END:VCARD`` and the line it starts on."""

    line: int
    props: list[Property]


def physical_lines(source: BinaryIO, path: Path | str) -> Iterator[bytes]:
    """The lines of ``source`` without their ends (CRLF, LF or CR), read a block at a time.

    Raises :class:`ContactImportError` for a NUL byte (binary data) and for a line longer
    than :data:`MAX_LINE` bytes, with its line number.
    """
    number = 0
    carry = b""
    while True:
        block = source.read(BLOCK)
        data = carry + block
        nul = data.find(b"\x00")
        if nul >= 0:
            raise not_text(path, number + len(_LINE_END.findall(data, 0, nul)) + 1)
        held = b""
        if block and data.endswith(b"\r"):
            data, held = data[:-1], b"\r"  # a \n may follow in the next block
        parts = _LINE_END.split(data)
        carry = parts.pop() + held if block else b""
        number += len(parts)
        yield from parts
        if not block:
            return
        if len(carry) > MAX_LINE:
            raise _too_long(path, number + 1)


def _too_long(path: Path | str, line: int) -> ContactImportError:
    return ContactImportError(path, line, f"this line is longer than {MAX_LINE >> 20} MB.")


def logical_lines(
    lines: bytes | Iterable[bytes], path: Path | str = ""
) -> Iterator[tuple[int, bytes]]:
    """Unfolded lines with the number of the physical line each starts on.

    ``lines``: the bytes of a file, or its physical lines (:func:`physical_lines`).
    A line starting with a space or tab continues the previous one (the space is
    dropped). In a quoted-printable property a trailing ``=`` is a soft line break: the
    next line is joined as it is, whatever it starts with, unless it is ``END:VCARD``.
    An unfolded line longer than :data:`MAX_LINE` raises :class:`ContactImportError`.
    """
    if isinstance(lines, bytes):
        lines = _LINE_END.split(lines)
    start = 0
    pending: bytearray | None = None
    qp = False
    for number, line in enumerate(lines, start=1):
        if pending is not None:
            if qp and pending.endswith(b"=") and line.strip().upper() != b"END:VCARD":
                del pending[-1]
                pending += line
            elif line[:1] in (b" ", b"\t"):
                pending += line[1:]
            else:
                yield start, bytes(pending)
                pending = None
            if pending is not None:
                if len(pending) > MAX_LINE:
                    raise _too_long(path, start)
                continue
        if not line.strip():
            continue
        start, pending = number, bytearray(line)
        qp = b"QUOTED-PRINTABLE" in line.split(b":", 1)[0].upper()
    if pending is not None:
        yield start, bytes(pending)


def _colon(line: bytes) -> int:
    """The colon that ends the property's name and parameters (not one in quotes)."""
    colon = line.find(b":")
    if colon < 0 or b'"' not in line[:colon]:
        return colon
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3A and not quoted:
            return index
    return -1


def _split_head(head: str) -> list[str]:
    """Split ``name;param;param`` on semicolons outside double quotes."""
    if '"' not in head:
        return head.split(";")
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in head:
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def parse_property(
    number: int, line: bytes, wanted: frozenset[str] | None = None
) -> Property | None:
    """One logical line as a property, or None when it has no colon (e.g. a bare ``FN``).

    With ``wanted``, the parameters of other properties are not parsed. vCard 2.1 bare
    parameters are filed under their key: ``QUOTED-PRINTABLE`` and ``BASE64`` under
    ``ENCODING``, anything else (``WORK``, ``CELL``) under ``TYPE``.
    """
    colon = _colon(line)
    if colon < 0:
        return None
    head = line[:colon].decode("ascii", errors="replace").strip()
    group, _, name = head.split(";", 1)[0].rpartition(".")
    name = name.strip().upper()
    if wanted is not None and name not in wanted:
        return Property(number, group.upper(), name, {}, b"")
    parts = _split_head(head)
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, sep, value = part.partition("=")
        if not sep:
            key, value = ("ENCODING", key) if key.strip().upper() in _BARE_ENCODINGS else (
                "TYPE", key)
        values = [v.strip().strip('"') for v in value.split(",")]
        params.setdefault(key.strip().upper(), []).extend(v for v in values if v)
    qp = any(v.upper() == "QUOTED-PRINTABLE" for v in params.get("ENCODING", ()))
    return Property(number, group.upper(), name, params, line[colon + 1 :], qp)


def read_cards(
    lines: Iterable[tuple[int, bytes]], path: Path | str, wanted: frozenset[str],
    every: list[tuple[Property, bytes]] | None = None,
) -> Iterator[Card]:
    """The cards of a file, keeping only the ``wanted`` properties.

    ``every``, when given, gets each property of the cards (wanted or not, outside an
    embedded card) with its logical line as written.

    Raises :class:`ContactImportError` for text outside a card, ``END:VCARD`` without
    ``BEGIN:VCARD``, a ``BEGIN:VCARD`` inside a card (other than a 2.1 ``AGENT``'s
    embedded card, which is skipped) and a card that never ends.
    """
    card: Card | None = None
    nested = 0
    previous: Property | None = None
    for number, line in lines:
        word = line.strip().upper()
        if word == b"BEGIN:VCARD":
            if card is None:
                card, previous = Card(number, []), None
            elif nested or (previous is not None and previous.name == "AGENT"):
                nested += 1
            else:
                raise ContactImportError(
                    path, number, f"BEGIN:VCARD inside the card that starts on line "
                    f"{card.line}; is its END:VCARD missing?"
                )
        elif word == b"END:VCARD":
            if card is None:
                raise ContactImportError(path, number, "END:VCARD without a BEGIN:VCARD.")
            if nested:
                nested -= 1
            else:
                yield card
                card = None
        elif card is None:
            if line.strip(bytes(range(33))):
                raise ContactImportError(
                    path, number, "text outside a vCard (expected BEGIN:VCARD)."
                )
        elif not nested:
            prop = parse_property(number, line, wanted)
            if prop is not None:
                previous = prop
                if prop.name in wanted:
                    card.props.append(prop)
                if every is not None:
                    every.append((prop, line))
    if card is not None:
        raise ContactImportError(
            path, card.line, "BEGIN:VCARD has no matching END:VCARD (the file is cut short?)."
        )


def split(text: str, separator: str, version: str) -> list[str]:
    r"""Split a value on unescaped ``separator`` (``;`` or ``,``) and resolve escapes.

    ``\n`` is a line break except in vCard 2.1, which has no such escape.
    """
    if "\\" not in text:
        return text.split(separator) if separator else [text]
    parts: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            if following and following in "nN" and version != "2.1":
                current.append("\n")
            elif following and following in ",;:\\":
                current.append(following)
            else:
                current.append(char + following)
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def unescape(text: str, version: str) -> str:
    """A whole value with its backslash escapes resolved."""
    return split(text, "", version)[0]
