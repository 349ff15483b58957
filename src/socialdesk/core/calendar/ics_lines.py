"""RFC 5545 content lines: TEXT escaping, value formatting and line folding.

The fast path of the ICS export writes events with these instead of building
``icalendar`` objects; ``tests/core/calendar/exporting`` checks that ``icalendar`` reads back
exactly what ``icalendar`` itself would have written.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "GMT", "Etc/GMT"})


class Uri(str):
    """A property value of type URI (no TEXT escaping; see :func:`uri_value`)."""

    __slots__ = ()


class Recur(str):
    """A RECUR value (RRULE) already in iCalendar form, as a file had it (written as it is)."""

    __slots__ = ()


# A property: name, value. Values are str (TEXT), Uri, int, date, aware datetime,
# timedelta (a DURATION), list[str] (a TEXT list such as CATEGORIES), a list of dates or
# of datetimes of one zone (RDATE, EXDATE), dict or Recur (a RECUR value for RRULE).
Prop = tuple[str, object]

# Control characters are not allowed in TEXT (RFC 5545, 3.3.11), except HTAB.
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Nor in a URI (RFC 3986), where CR and LF would end the content line; nor a backslash,
# which a URI may not hold either and which readers (icalendar 7.3) take as an escape.
_URI_CONTROLS = re.compile(r"[\x00-\x1f\x7f\\]")


def uri_value(text: str) -> str:
    """A URI for a content line: control characters (CR, LF…) and backslashes percent-encoded.

    A URI has no other escaping (``%0D%0A`` is how a browser writes a line break in a
    link); the rest of the text is kept as it is.
    """
    if not _URI_CONTROLS.search(text):
        return text
    return _URI_CONTROLS.sub(lambda match: f"%{ord(match.group()):02X}", text)


def escape_text(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if ";" in text:
        text = text.replace(";", "\\;")
    if "," in text:
        text = text.replace(",", "\\,")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in text:
        text = text.replace("\n", "\\n")
    if CONTROLS.search(text):
        text = CONTROLS.sub("", text)
    return text


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line to at most ``limit`` octets per physical line (RFC 5545, 3.1).

    Never splits a UTF-8 sequence, nor a backslash escape (some clients mind).
    """
    if len(line) <= limit // 4:
        return line
    raw = line.encode()
    if len(raw) <= limit:
        return line
    pieces: list[bytes] = []
    pos, budget, size = 0, limit, len(raw)
    while size - pos > budget:
        cut = pos + budget
        while raw[cut] & 0xC0 == 0x80:  # inside a UTF-8 sequence
            cut -= 1
        slashes = 0
        while raw[cut - 1 - slashes] == 0x5C and cut - 1 - slashes > pos:
            slashes += 1
        if slashes % 2:
            cut -= 1  # keep the escape's backslash with the escaped character
        pieces.append(raw[pos:cut])
        pos, budget = cut, limit - 1  # continuation lines start with a space
    pieces.append(raw[pos:])
    return b"\r\n ".join(pieces).decode()


def _date(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _datetime(value: datetime) -> str:
    text = value.isoformat()  # YYYY-MM-DDTHH:MM:SS[+HH:MM]
    return text[0:4] + text[5:7] + text[8:13] + text[14:16] + text[17:19]


def _duration(value: timedelta) -> str:
    days, rest = divmod(int(value.total_seconds()), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    if not days and not clock:
        clock = "0S"
    return "P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "")


def _recur(rule: dict[str, object]) -> str:
    parts = []
    for key, value in rule.items():
        if isinstance(value, datetime):
            text = _datetime(value.astimezone(UTC)) + "Z"
        elif isinstance(value, date):
            text = _date(value)
        else:
            text = str(value)
        parts.append(f"{key}={text}")
    return ";".join(parts)


def content_line(name: str, value: object) -> str:
    """One unfolded content line for a property value of the types :data:`Prop` allows."""
    if isinstance(value, Uri):
        return f"{name}:{uri_value(value)}"
    if isinstance(value, Recur):
        return f"{name}:{value}"
    if isinstance(value, str):
        return f"{name}:{escape_text(value)}"
    if isinstance(value, bool):
        raise TypeError(f"{name}: booleans are not used here")
    if isinstance(value, int):
        return f"{name}:{value}"
    if isinstance(value, datetime):
        key = getattr(value.tzinfo, "key", None)
        if key is None or key in UTC_NAMES:
            return f"{name}:{_datetime(value.astimezone(UTC))}Z"
        return f"{name};TZID={key}:{_datetime(value)}"
    if isinstance(value, date):
        return f"{name};VALUE=DATE:{_date(value)}"
    if isinstance(value, timedelta):
        return f"{name};VALUE=DURATION:{_duration(value)}"
    if isinstance(value, list) and value and isinstance(value[0], date):
        lines = [content_line(name, item) for item in value]  # one zone: one TZID
        return lines[0].partition(":")[0] + ":" + ",".join(x.partition(":")[2] for x in lines)
    if isinstance(value, list):
        return f"{name}:" + ",".join(escape_text(item) for item in value)
    if isinstance(value, dict):
        return f"{name}:{_recur(value)}"
    raise TypeError(f"{name}: cannot write a {type(value).__name__}")


def component_text(kind: str, props: list[Prop]) -> str:
    """A whole component (BEGIN to END, CRLF line ends) with folded content lines."""
    lines = [f"BEGIN:{kind}"]
    lines += [fold(content_line(name, value)) for name, value in props]
    lines.append(f"END:{kind}")
    return "\r\n".join(lines) + "\r\n"
