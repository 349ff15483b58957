"""Read an .ics file into components that remember their line numbers.

``icalendar`` keeps no line numbers, so the file is scanned here first: lines are
unfolded the way ``icalendar`` unfolds them (a line break, any blank lines, then a
space or tab continue the previous line), every logical line keeps the number of the
physical line it starts on, and BEGIN/END are matched into a tree. Each event is then
parsed by ``icalendar`` on its own (:func:`parse_component`), so that an error names
the line to fix.

What fails the whole file (:class:`CalendarImportError`): bytes that are not text, a
file that does not start with ``BEGIN:VCALENDAR``, BEGIN/END that do not match, a line
outside any calendar, and a line of the calendar itself without a property name and a
colon. What fails one event or to-do (:func:`parse_component` raises the same error,
naming the line; the importer leaves that entry out): a line of it without a property
name and a colon, one that ``icalendar`` cannot split into name, parameters and value
(``DTSTART;;VALUE=…``), and a value that cannot be read in a property that decides
when something happens (DTSTART, DTEND, DUE, RRULE, RDATE, EXDATE, RECURRENCE-ID, …;
an empty ``EXDATE``). Broken values
elsewhere (an attendee, a geo position) are left out silently, and dates written with
a stray ``Z`` (``20131210Z``, as Google writes birthdays) are read as dates. Only the
properties a post is made of (:data:`WANTED`) are handed to ``icalendar``.
"""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import icalendar
from icalendar.parser import Contentline, Parameters

from socialdesk.core.calendar.importing.errors import CalendarImportError

# The largest .ics file read: every event of a file is held for the preview, about 14×
# the file's bytes in all (100,000 events in 14 MB: about 220 MB).
MAX_FILE_BYTES = 16 << 20
# Properties that decide when something happens: a value that cannot be read here
# fails the file rather than silently moving or dropping an event.
TIMING = frozenset({
    "DTSTART", "DTEND", "DUE", "DURATION", "RRULE", "RDATE", "EXDATE", "EXRULE",
    "RECURRENCE-ID",
})
# What an event's or to-do's post is made of; other properties are not even parsed.
WANTED = TIMING | frozenset({
    "UID", "SUMMARY", "DESCRIPTION", "URL", "CATEGORIES", "STATUS", "SEQUENCE",
    "LAST-MODIFIED", "CREATED", "LOCATION", "X-SOCIALDESK-STATUS",
})
_POSTS = frozenset({"VEVENT", "VTODO"})  # components kept with their WANTED lines only
_Z_DATES = re.compile(r"\d{8}Z(?:,\d{8}Z)*")
_NAME = re.compile(r"([A-Za-z0-9-]+)[;:]")
_TYPES = icalendar.Component.types_factory
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")


_PLAIN = re.compile(r"([A-Za-z0-9-]+):(.*)", re.S)


class _Plain(Contentline):
    """A content line that splits ``NAME:value`` (no parameters) without a character scan.

    ``icalendar`` scans every character of every line for quotes and backslashes to
    find the parameters; a name followed by a colon has none. Other lines are split
    by ``icalendar`` as usual.
    """

    __slots__ = ()

    def raw_parts(self) -> tuple[str, Parameters, str]:
        """Name, parameters and value as written (see ``Contentline.raw_parts``)."""
        match = _PLAIN.match(self)
        if match is None:
            return super().raw_parts()
        return match.group(1), Parameters(), match.group(2)


@dataclass(slots=True)
class Line:
    """One logical (unfolded) content line, the physical line it starts on, its name.

    ``name`` is the property name, upper-cased; empty when the line has none (no
    ``:``, or characters a name cannot have).
    """

    number: int
    text: str
    name: str = ""

    def named(self) -> Line:
        """Fill in ``name`` and return the line."""
        match = _NAME.match(self.text)
        self.name = sys.intern(match.group(1).upper()) if match else ""
        return self


@dataclass(slots=True)
class RawComponent:
    """A component as written in the file: its own lines and its sub-components."""

    name: str
    line: int
    lines: list[Line] = field(default_factory=list)
    children: list[RawComponent] = field(default_factory=list)
    unreadable: Line | None = None  # the first line without a property name (events only)

    def content_lines(self, replaced: dict[int, str | None] | None = None) -> list[Contentline]:
        """The component's own :data:`WANTED` lines (no sub-components), for ``icalendar``.

        ``replaced`` maps a line number to the text to use instead (``None``: leave
        the line out).
        """
        out: list[Contentline] = [_Plain(f"BEGIN:{self.name}")]
        for line in self.lines:
            if line.name not in WANTED:
                continue
            text = replaced.get(line.number, line.text) if replaced else line.text
            if text is not None:
                out.append(_Plain(text))
        out.append(_Plain(f"END:{self.name}"))
        return out

    def first(self, name: str) -> Line | None:
        """The first of the component's own lines with property ``name``."""
        return next((line for line in self.lines if line.name == name), None)

    def value(self, name: str) -> str:
        """The raw value of the first ``name`` line (``""`` when absent or unreadable)."""
        line = self.first(name)
        if line is None:
            return ""
        try:
            return str(_Plain(line.text).parts()[2])
        except ValueError:
            return ""


def decode(data: bytes, path: Path | str) -> str:
    """The text of an .ics file (UTF-8, UTF-16 with a BOM, else Windows-1252), LF ends."""
    if not data.strip(b" \t\r\n\x00"):
        raise CalendarImportError(path, 1, "the file is empty.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise CalendarImportError(
                path, None, "the file looks like UTF-16 text but is damaged."
            ) from error
    elif b"\x00" in data:
        head = data[: data.index(b"\x00")]
        raise CalendarImportError(
            path, head.count(b"\n") + 1,
            "this is not a text file (it holds binary data). Choose an iCalendar "
            "(.ics) file exported from a calendar or planner.",
        )
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _physical_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time (no list of them all: files can be large)."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def logical_lines(text: str) -> Iterator[Line]:
    """Unfold ``text`` (LF line ends) into logical lines numbered by their first line."""
    last: Line | None = None
    for number, raw in enumerate(_physical_lines(text), start=1):
        if raw[:1] in (" ", "\t") and last is not None:
            last.text += raw[1:]
        elif raw.strip():
            if last is not None:
                yield last
            last = Line(number, raw)
    if last is not None:
        yield last


def _not_calendar(path: Path | str, line: Line) -> CalendarImportError:
    first = line.text.strip().upper()
    if first.startswith("BEGIN:VCARD"):
        message = ("this is a contacts (vCard) file, not a calendar; import it with "
                   "Import contacts.")
    elif _CONTROLS.search(line.text):
        message = ("this is not a text file (it holds binary data). Choose an "
                   "iCalendar (.ics) file exported from a calendar or planner.")
    else:
        message = ("this is not an iCalendar file: it should start with "
                   f"BEGIN:VCALENDAR, but starts with {_snippet(line.text)}.")
    return CalendarImportError(path, line.number, message)


def _snippet(text: str, limit: int = 60) -> str:
    text = _CONTROLS.sub("?", text)
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def read_calendars(data: bytes, path: Path | str) -> list[RawComponent]:
    """The VCALENDAR components of an .ics file, with every line numbered.

    Events and to-dos keep only their :data:`WANTED` lines, without sub-components
    (alarms): nothing else of them is read, and a large file is held in less memory.

    Raises :class:`CalendarImportError` when the file is not iCalendar or its
    BEGIN/END structure is broken.
    """
    calendars: list[RawComponent] = []
    stack: list[RawComponent] = []
    for line in logical_lines(decode(data, path)):
        name = line.named().name
        if not name:
            if not calendars and not stack:
                raise _not_calendar(path, line)
            post = next((c for c in reversed(stack) if c.name in _POSTS), None)
            if post is None:
                raise syntax_error(path, line)
            post.unreadable = post.unreadable or line  # loses that event only
            continue
        if name in ("BEGIN", "END"):
            _, _, value = line.text.partition(":")
            kind = value.strip().upper()
            if not kind:
                raise CalendarImportError(
                    path, line.number, f"{name} without a component name ({_snippet(line.text)})."
                )
            if name == "BEGIN":
                if not stack and kind != "VCALENDAR":
                    if not calendars:
                        raise _not_calendar(path, line)
                    raise CalendarImportError(
                        path, line.number, f"BEGIN:{kind} outside the calendar "
                        "(after END:VCALENDAR)."
                    )
                component = RawComponent(sys.intern(kind), line.number)
                if not stack:
                    calendars.append(component)
                elif stack[-1].name not in _POSTS:  # an event's alarms are not kept
                    stack[-1].children.append(component)
                stack.append(component)
                continue
            if not stack:
                raise CalendarImportError(
                    path, line.number, f"END:{kind} without a matching BEGIN:{kind}."
                )
            if stack[-1].name != kind:
                open_one = stack[-1]
                raise CalendarImportError(
                    path, line.number, f"END:{kind} where END:{open_one.name} was expected "
                    f"(BEGIN:{open_one.name} is on line {open_one.line})."
                )
            stack.pop()
            continue
        if not stack:
            if not calendars:
                raise _not_calendar(path, line)
            if name == "X-COMMENT":
                continue
            raise CalendarImportError(
                path, line.number, f"{_snippet(line.text)} is outside the calendar "
                "(after END:VCALENDAR)."
            )
        if name in WANTED or stack[-1].name not in _POSTS:
            stack[-1].lines.append(line)
    if stack:
        open_one = stack[-1]
        raise CalendarImportError(
            path, open_one.line, f"BEGIN:{open_one.name} is never closed by "
            f"END:{open_one.name}; the file seems to be cut off."
        )
    if not calendars:
        raise CalendarImportError(path, 1, "the file is empty.")
    return calendars


def line_problem(line: Line) -> str | None:
    """Why ``icalendar`` cannot read ``line`` (``None`` when it can)."""
    try:
        name, params, value = Contentline(line.text).parts()
    except ValueError:
        return "syntax"
    name = name.upper()
    if name in ("CATEGORIES", "X-COMMENT") or (name == "RDATE" and value == ""):
        return None
    factory = _TYPES.for_property(name, params.value)
    getter = getattr(factory, "get_value_from_content_line", None)
    if getter is not None:
        value = getter(Contentline(line.text))
    try:
        factory.from_ical(value)  # type: ignore[attr-defined]  # for_property() says `type`
    except (ValueError, TypeError) as error:
        return str(error) or "value"
    return None


def syntax_error(path: Path | str, line: Line) -> CalendarImportError:
    """The error for a line that cannot be split into name, parameters and value."""
    return CalendarImportError(
        path, line.number, f"this line cannot be read: {_snippet(line.text)} (a calendar "
        "line is NAME:VALUE, or NAME;PARAMETER=VALUE:VALUE)."
    )


def check_syntax(raw: RawComponent, path: Path | str) -> None:
    """Fail on the first of ``raw``'s own lines that cannot be split into its parts."""
    for line in raw.lines:
        try:
            _Plain(line.text).parts()
        except ValueError as error:
            raise syntax_error(path, line) from error


def _repair(line: Line) -> str | None:
    """A readable version of a broken RDATE/EXDATE line of dates with a stray ``Z``."""
    if line.name not in ("RDATE", "EXDATE"):
        return None
    head, _, value = line.text.rpartition(":")
    if not _Z_DATES.fullmatch(value.strip()):
        return None
    return f"{head}:{value.strip().replace('Z', '')}"


def _fix(
    raw: RawComponent, bad: list[Line], path: Path | str, replaced: dict[int, str | None]
) -> None:
    """Decide, for each unreadable line, to repair it, leave it out, or fail the file."""
    for line in bad:
        if line.name not in WANTED:
            continue
        problem = line_problem(line)
        if problem is None:
            continue
        if problem == "syntax":
            raise syntax_error(path, line)
        repaired = _repair(line)
        if repaired is not None:
            replaced[line.number] = repaired
        elif line.name in TIMING:
            raise CalendarImportError(
                path, line.number, f"{line.name} has a value that cannot be read: "
                f"{_snippet(line.text)}."
            )
        else:
            replaced[line.number] = None


def parse_component(raw: RawComponent, path: Path | str) -> icalendar.Component:
    """``raw`` (without its sub-components) parsed by ``icalendar``.

    Unreadable lines are repaired, left out or reported as described in the module
    docstring; raises :class:`CalendarImportError` naming the line.
    """
    if raw.unreadable is not None:
        raise syntax_error(path, raw.unreadable)
    replaced: dict[int, str | None] = {}
    while True:  # every round repairs or drops a line, or ends
        before = dict(replaced)
        try:
            # icalendar (7.1 on) parses a list of content lines as it parses text
            component: icalendar.Component = icalendar.Component.from_ical(
                raw.content_lines(replaced)  # type: ignore[call-overload]  # typed as text only
            )
        except ValueError as error:
            _fix(raw, raw.lines, path, replaced)
            if replaced == before:
                raise CalendarImportError(
                    path, raw.line, f"this {raw.name} cannot be read ({error})."
                ) from error
            continue
        if not component.errors:
            return component
        names = {name for name, _ in component.errors}
        suspects = [
            line for line in raw.lines
            if line.number not in replaced and (None in names or line.name in names)
        ]
        _fix(raw, suspects, path, replaced)
        if replaced == before:
            return component  # errors icalendar tolerates and we cannot place: go on


def full_text(raw: RawComponent, rename: dict[str, str] | None = None) -> str:
    """``raw`` with its sub-components as iCalendar text (property names renamed)."""
    out = [f"BEGIN:{raw.name}"]
    for line in raw.lines:
        new_name = rename.get(line.name) if rename else None
        out.append(new_name + line.text[len(line.name):] if new_name else line.text)
    out += [full_text(child).rstrip("\r\n") for child in raw.children]
    out.append(f"END:{raw.name}")
    return "\r\n".join(out) + "\r\n"
