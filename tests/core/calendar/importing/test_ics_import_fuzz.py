"""Fuzzing: any input gives posts or a CalendarImportError, and a failure writes nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ics_import_helpers import counts

from socialdesk.core.calendar.importing import CalendarImportError, import_calendar, parse_bytes
from socialdesk.store.workspace import Workspace

FUZZ = settings(
    max_examples=150, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Lines that reach deep into the reader rather than failing at the first byte.
_LINES = st.sampled_from([
    "BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT", "BEGIN:VTODO",
    "END:VTODO", "BEGIN:VTIMEZONE", "END:VTIMEZONE", "BEGIN:STANDARD", "END:STANDARD",
    "BEGIN:VALARM", "END:VALARM", "VERSION:2.0", "PRODID:-//SocialDesk//SocialDesk 0.1//EN",
    "UID:a", "UID:b", "SUMMARY:Hi\\, there\\nyou", "DESCRIPTION:Body\\n\\nChannels: x, y",
    "DESCRIPTION:<a href=\"u\">l</a>", "DTSTART:20300101T100000",
    "DTSTART;VALUE=DATE:20300101", "DTSTART:20300101T100000Z", "DTSTART;TZID=Nowhere:20300101T1",
    "DTSTART:99991231T233000Z", "DTSTART;TZID=America/Anchorage:00010101T000000",
    "DTSTART;VALUE=DATE:99991231", "RRULE:FREQ=YEARLY", "RRULE:FREQ=DAILY;BYWEEKNO=54",
    "RRULE:FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30", "EXDATE:00010101T000000Z",
    'DTSTART;TZID="(UTC+01:00) Amsterdam, Berlin":20300101T100000',
    "DTSTART;TZID=W. Europe Standard Time:20300101T100000", "DTSTART;;VALUE=DATE:1",
    "DUE;VALUE=DATE:20300102", "RRULE:FREQ=WEEKLY;COUNT=3", "RRULE:FREQ=MONTHLY",
    "RRULE:FREQ=DAILY;UNTIL=20300110", "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2",
    "RRULE:FREQ=WEEKLY;INTERVAL=0", "RRULE:FREQ=HOURLY;INTERVAL=7", "EXDATE:20300108T100000",
    "EXDATE;VALUE=DATE:", "RDATE:20300105Z", "RDATE;VALUE=PERIOD:20300101T100000Z/PT1H",
    "RECURRENCE-ID:20300108T100000", "RECURRENCE-ID;VALUE=DATE:20300102", "STATUS:CANCELLED",
    "STATUS:CONFIRMED", "SEQUENCE:2", "SEQUENCE:x", "LAST-MODIFIED:20990101T000000Z",
    "CATEGORIES:a,b\\,c", "URL:https://x.example", "TZID:Nowhere", "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200", "X-LIC-LOCATION:Europe/Paris", " folded", "\tfolded", "", ":", ";;",
    "no colon", "X-COMMENT:end",
])
_ENDINGS = st.sampled_from(["\r\n", "\n", "\r"])
_PROPERTIES = _LINES.filter(lambda line: not line.startswith(("BEGIN:", "END:")))
# Well-formed calendars whose events hold any mix of properties: they get past the
# structure checks and exercise dates, zones, repeats and the merge.
_COMPONENT = st.tuples(
    st.sampled_from(["VEVENT", "VEVENT", "VEVENT", "VTODO", "VTIMEZONE", "VJOURNAL"]),
    st.lists(_PROPERTIES, max_size=12),
).map(lambda c: [f"BEGIN:{c[0]}", *c[1], f"END:{c[0]}"])
_CALENDAR = st.lists(_COMPONENT, max_size=6).map(
    lambda cs: ["BEGIN:VCALENDAR", *(line for c in cs for line in c), "END:VCALENDAR"]
)


def _parse(data: bytes) -> None:
    try:
        parse_bytes(data, "fuzz.ics", default_tz="Europe/Berlin", include_todos=True)
    except CalendarImportError as error:
        assert str(error).startswith("fuzz.ics")


@FUZZ
@given(data=st.binary(max_size=400))
def test_any_bytes(data: bytes) -> None:
    _parse(data)


@FUZZ
@given(lines=st.lists(_LINES, max_size=40), ending=_ENDINGS)
def test_calendar_like_text(lines: list[str], ending: str) -> None:
    _parse(ending.join(["BEGIN:VCALENDAR", *lines]).encode())


@FUZZ
@given(lines=_CALENDAR, ending=_ENDINGS)
def test_well_formed_calendars_with_any_properties(lines: list[str], ending: str) -> None:
    _parse(ending.join(lines).encode())


@FUZZ
@given(lines=st.one_of(_CALENDAR, st.lists(_LINES, min_size=1, max_size=30)))
def test_an_import_writes_everything_or_nothing(ws: Workspace, lines: list[str]) -> None:
    data = "\r\n".join(["BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:base", "DTSTART:20300101",
                        "END:VEVENT", *lines, "END:VCALENDAR"]).encode()
    before = counts(ws)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.ics"
        path.write_bytes(data)
        try:
            report = import_calendar(ws, path, default_tz="Europe/Berlin")
        except CalendarImportError:
            assert counts(ws) == before
            return
    assert counts(ws)["posts"] == before["posts"] + report.imported
