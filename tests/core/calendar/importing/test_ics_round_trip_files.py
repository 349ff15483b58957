"""A calendar file → SocialDesk → .ics keeps what calendar programs need of each event.

For every .ics of the interop corpus (and a small file with everything in it), the
export of what was imported is compared with the file, both read by ``icalendar``: the
same UIDs, the same dates and times (in the same IANA zone, or the same instant for a
time in UTC), the same occurrences of every repeating event (RRULE, RDATE, EXDATE and
changed occurrences), and the same LOCATION, URL and categories. A repeating event comes
back as one event with the same UID and the same RRULE, RDATE and EXDATE values (a
cancelled date: one more EXDATE), its changed dates as RECURRENCE-ID events; SocialDesk
rewrites the rule only of one it keeps as a weekly or monthly repeat of its own.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import icalendar
import pytest
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr
from ics_import_helpers import calendar, event

from shared_files import INTEROP
from socialdesk.core.calendar.export import export_calendar
from socialdesk.core.calendar.importing import CalendarImportError, import_calendar
from socialdesk.store.workspace import Workspace

PAST = date(2000, 1, 1)  # import every series from its start
ZONE = "Europe/Berlin"  # the workspace's zone, and the export's default
FILES = sorted(INTEROP.rglob("*.ics")) if INTEROP.is_dir() else []
WHOLE_FILE_FAILS = {"icalendar_broken_double_semicolon_invalid.ics"}  # its only event

RICH = calendar(
    event("RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10", "LOCATION:Hall 2\\; stand 7\\, by the door",
          "URL:https://bakery.example/a?b=1,2", "CATEGORIES:bread,events",
          uid="weekly@test", start="DTSTART;TZID=America/New_York:20300107T093000"),
    event("RRULE:FREQ=DAILY;COUNT=5", "EXDATE;TZID=Europe/Paris:20300303T180000",
          "LOCATION:Market hall", "URL:https://bakery.example/market",
          "CATEGORIES:market", "CATEGORIES:Stalls", uid="daily@test",
          start="DTSTART;TZID=Europe/Paris:20300301T180000"),
    event("RECURRENCE-ID;TZID=Europe/Paris:20300304T180000", "LOCATION:Town square",
          uid="daily@test", summary="Moved", start="DTSTART;TZID=Europe/Paris:20300304T190000"),
    event("LOCATION:Oslo", "URL:https://bakery.example/oslo", uid="allday@test",
          start="DTSTART;VALUE=DATE:20300501"),
    event("CATEGORIES:news", uid="utc@test", start="DTSTART:20300401T120000Z"),
    event(uid="floating@test", start="DTSTART:20300402T083000"),
)


def _moment(value: date | datetime) -> date | datetime:
    """A start as compared: a date, or an aware datetime in UTC (floating: the workspace's)."""
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(ZONE))
    return value.astimezone(UTC)


def _values(component: icalendar.Component, name: str) -> list[Any]:
    found = component.get(name)
    if found is None:
        return []
    return list(found) if isinstance(found, list) else [found]


def _dates(component: icalendar.Component, name: str) -> set[date | datetime]:
    return {item.dt for prop in _values(component, name) for item in prop.dts}


def _slots(master: icalendar.Component, end: date) -> set[date | datetime]:
    """The dates of a repeating event (RRULE, RDATE, EXDATE) before ``end``, as written."""
    start = master["DTSTART"].dt
    found = {start} | _dates(master, "RDATE")
    all_day = not isinstance(start, datetime)
    for rule in _values(master, "RRULE"):
        first = datetime.combine(start, time()) if all_day else start
        text = rule.to_ical().decode()
        if all_day:  # dateutil wants UNTIL of the start's kind
            text = ";".join(p[:14] if p.startswith("UNTIL=") else p for p in text.split(";"))
        for count, moment in enumerate(rrulestr(text, dtstart=first)):
            if count >= 1000 or moment.date() >= end:
                break
            found.add(moment.date() if all_day else moment)
    gone = {_moment(value) for value in _dates(master, "EXDATE")}
    return {value for value in found if _moment(value) not in gone}


def _zone(component: icalendar.Component) -> str | None:
    """The IANA zone of a timed start (``UTC`` for a time in UTC)."""
    prop = component["DTSTART"]
    if not isinstance(prop.dt, datetime):
        return None
    tzid = prop.params.get("TZID")
    return str(tzid) if tzid else ("UTC" if prop.dt.tzinfo else None)


def _details(component: icalendar.Component) -> tuple[str, str, frozenset[str]]:
    categories = {str(c) for prop in _values(component, "CATEGORIES") for c in prop.cats}
    return (str(component.get("LOCATION", "")), str(component.get("URL", "")),
            frozenset(categories))


def _expected(original: icalendar.Calendar) -> dict[str, dict[Any, tuple[Any, ...]]]:
    """UID → {start moment: (IANA zone or None, details)} of the file's events."""
    masters: dict[str, icalendar.Component] = {}
    overrides: dict[str, list[icalendar.Component]] = defaultdict(list)
    for component in original.walk("VEVENT"):
        if component.errors or "DTSTART" not in component:
            continue  # left out by the import, as icalendar itself cannot read it all
        uid = str(component.get("UID", ""))
        if "RECURRENCE-ID" in component:
            overrides[uid].append(component)
        else:
            masters[uid] = component
    expected: dict[str, dict[Any, tuple[Any, ...]]] = {}
    for uid in masters.keys() | overrides.keys():
        master = masters.get(uid)
        slots: dict[Any, icalendar.Component] = {}
        if master is not None:
            start = master["DTSTART"].dt
            end = (start.date() if isinstance(start, datetime) else start) + relativedelta(years=1)
            slots = {_moment(slot): master for slot in _slots(master, end)}
        moved = {}
        for override in overrides.get(uid, []):
            slot = _moment(override["RECURRENCE-ID"].dt)
            if master is not None and slot not in slots:
                continue  # a change of a date outside the imported year
            slots.pop(slot, None)
            if str(override.get("STATUS", "")).upper() != "CANCELLED":
                moved[_moment(override["DTSTART"].dt)] = override
        expected[uid] = {
            moment: (_zone(source), _details(source))
            for moment, source in {**slots, **moved}.items()
        }
    return expected


def _exported(out: Path, uid: str, end: date) -> dict[Any, tuple[Any, ...]]:
    """Start moment → (zone, details) of the exported events of one original UID.

    A RECURRENCE-ID event replaces its date of the repeating event of its UID.
    """
    found: dict[Any, tuple[Any, ...]] = {}
    changed = []
    for component in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT"):
        own = str(component["UID"])
        if own != uid and not own.startswith(f"{uid}/"):
            continue
        if "RECURRENCE-ID" in component:
            changed.append(component)
            continue
        for slot in _slots(component, end):
            found[_moment(slot)] = (_zone(component), _details(component))
    for component in changed:
        found.pop(_moment(component["RECURRENCE-ID"].dt), None)
    for component in changed:
        found[_moment(component["DTSTART"].dt)] = (_zone(component), _details(component))
    return found


def _same_zone(written: str | None, exported: str | None, moment: Any) -> bool:
    if written is None:  # all day or floating: exported in the workspace's zone, if timed
        return exported in (None, ZONE)
    if written == "UTC":  # a time in UTC comes back in the workspace's zone
        return exported == ZONE
    if written in available_timezones():
        return exported == written
    return exported in available_timezones()  # a Windows or Outlook name: its IANA zone


def _round_trip(ws: Workspace, data: bytes, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    source = tmp_path / "source.ics"
    source.write_bytes(data)
    import_calendar(ws, source, default_tz=ZONE, since=PAST)
    out = tmp_path / "export.ics"
    export_calendar(ws, out, "ics", default_tz=ZONE)
    uids = {str(e["UID"]): str(e["UID"])
            for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    return out, uids


def _check(original: icalendar.Calendar, out: Path) -> int:
    """Compare every event of ``original`` with the export; return how many dates matched."""
    matched = 0
    for uid, expected in _expected(original).items():
        key = uid or "import-"  # an event without a UID gets a made-up, stable one
        latest = max((m.date() if isinstance(m, datetime) else m for m in expected),
                     default=date(2000, 1, 1)) + timedelta(days=2)
        exported = _exported(out, key, latest) if uid else {
            m: v for u in _uids(out) if u.startswith("import-")
            for m, v in _exported(out, u, latest).items()}
        assert set(exported) == set(expected), uid
        for moment, (zone, details) in expected.items():
            exported_zone, exported_details = exported[moment]
            assert _same_zone(zone, exported_zone, moment), (uid, moment, zone, exported_zone)
            assert exported_details == details, (uid, moment)
            matched += 1
    return matched


def _uids(out: Path) -> list[str]:
    return [str(e["UID"]) for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")]


def test_a_file_with_everything_keeps_it(ws: Workspace, tmp_path: Path) -> None:
    out, uids = _round_trip(ws, RICH, tmp_path)
    assert "weekly@test" in uids  # kept as a repeat: one event with its RRULE
    events = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    exported = {str(e["UID"]): e for e in events if "RECURRENCE-ID" not in e}
    weekly = exported["weekly@test"]
    assert weekly["RRULE"]["FREQ"] == ["WEEKLY"]
    assert weekly["DTSTART"].params["TZID"] == "America/New_York"
    daily = exported["daily@test"]  # one repeating event again, not a post per date
    assert not any(uid.startswith("daily@test/") for uid in uids)
    assert daily["RRULE"] == icalendar.vRecur.from_ical("FREQ=DAILY;COUNT=5")
    assert daily["DTSTART"].dt == datetime(2030, 3, 1, 18, tzinfo=ZoneInfo("Europe/Paris"))
    assert daily["DTSTART"].params["TZID"] == "Europe/Paris"
    assert _dates(daily, "EXDATE") == {datetime(2030, 3, 3, 18, tzinfo=ZoneInfo("Europe/Paris"))}
    [moved] = [e for e in events if "RECURRENCE-ID" in e]
    assert str(moved["UID"]) == "daily@test"
    assert moved["RECURRENCE-ID"].dt == datetime(2030, 3, 4, 18, tzinfo=ZoneInfo("Europe/Paris"))
    assert moved["DTSTART"].dt == datetime(2030, 3, 4, 19, tzinfo=ZoneInfo("Europe/Paris"))
    assert (str(moved["SUMMARY"]), str(moved["LOCATION"])) == ("Moved", "Town square")
    assert _check(icalendar.Calendar.from_ical(RICH), out) == 10 + 4 + 3


@pytest.mark.skipif(not FILES, reason="interop corpus not present")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_interop_file_comes_back_the_same(ws: Workspace, tmp_path: Path,
                                                path: Path) -> None:
    data = path.read_bytes()
    if path.name in WHOLE_FILE_FAILS:
        with pytest.raises(CalendarImportError):
            _round_trip(ws, data, tmp_path)
        return
    out, uids = _round_trip(ws, data, tmp_path)
    assert uids
    try:
        if path.parent.name == "hostile":  # icalendar hangs on its VTIMEZONE (the bug it is)
            raise ValueError(path.name)
        original = icalendar.Calendar.from_ical(data)
    except ValueError:  # icalendar cannot read the file: its UIDs, at least, come back
        assert len(uids) == data.count(b"BEGIN:VEVENT")
        for line in data.decode().splitlines():
            if line.startswith("UID:"):
                uid = line[4:].strip()
                assert any(u == uid or u.startswith(f"{uid}/") for u in uids), uid
        return
    assert _check(original, out) > 0


def _series_of(data: bytes) -> dict[str, tuple[icalendar.Component, list[icalendar.Component]]]:
    """UID → (repeating event, its changed dates) of a file, for the events icalendar reads."""
    found: dict[str, tuple[icalendar.Component, list[icalendar.Component]]] = {}
    events = [e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
              if not e.errors and "DTSTART" in e and "UID" in e]
    for component in events:
        if "RECURRENCE-ID" not in component and ("RRULE" in component or "RDATE" in component):
            found[str(component["UID"])] = (component, [])
    for component in events:
        if "RECURRENCE-ID" in component and str(component["UID"]) in found:
            found[str(component["UID"])][1].append(component)
    return found


def _kept_as_repeat(master: icalendar.Component, changed: list[icalendar.Component]) -> bool:
    """Whether SocialDesk keeps the event as a weekly or monthly repeat (its rule rewritten)."""
    rules = _values(master, "RRULE")
    return (len(rules) == 1 and not changed and "RDATE" not in master
            and "EXDATE" not in master and rules[0]["FREQ"][0] in ("WEEKLY", "MONTHLY"))


def _moments(component: icalendar.Component, name: str) -> set[Any]:
    return {_moment(value) for value in _dates(component, name)}


def _has_series(path: Path) -> bool:
    try:
        return bool(_series_of(path.read_bytes()))
    except ValueError:  # icalendar cannot read the file
        return False


SERIES_SOURCES = {"RICH": RICH} | {
    path.name: path.read_bytes() for path in FILES
    if path.parent.name != "hostile" and path.name not in WHOLE_FILE_FAILS and _has_series(path)
}


@pytest.mark.parametrize("name", sorted(SERIES_SOURCES))
def test_a_repeating_event_comes_back_with_its_rule(ws: Workspace, tmp_path: Path,
                                                    name: str) -> None:
    data = SERIES_SOURCES[name]
    out, _ = _round_trip(ws, data, tmp_path)
    exported = _series_of(out.read_bytes())
    checked = 0
    until = date(2026, 6, 15) + relativedelta(years=2)  # today (fixed) and two years on
    for uid, (master, changed) in _series_of(data).items():
        if _kept_as_repeat(master, changed):
            continue
        copy, _ = exported[uid]
        assert [dict(r) for r in _values(copy, "RRULE")] == [
            dict(r) for r in _values(master, "RRULE")], uid
        assert _moments(copy, "RDATE") == _moments(master, "RDATE"), uid
        cancelled = {_moment(c["RECURRENCE-ID"].dt) for c in changed
                     if str(c.get("STATUS", "")).upper() == "CANCELLED"}
        assert _moments(copy, "EXDATE") - cancelled == _moments(master, "EXDATE"), uid
        assert _moment(copy["DTSTART"].dt) == _moment(master["DTSTART"].dt), uid
        assert _zone(copy) == _zone(master) or _zone(master) not in available_timezones(), uid
        dates = {_moment(d) for d in _slots(master, until)} - cancelled
        assert {_moment(d) for d in _slots(copy, until)} == dates, uid
        checked += 1
    assert checked
