"""An imported repeating event goes out as one: its rule, its exceptions, its changed dates."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from calendar_samples import SERIES_ICS, SERIES_UID, series_post

from socialdesk.core.calendar import ics
from socialdesk.core.calendar.export import export_calendar
from socialdesk.core.calendar.importing import import_calendar
from socialdesk.store import post_writes
from socialdesk.store.calendar_export import calendar_export_data
from socialdesk.store.workspace import Workspace

PARIS = ZoneInfo("Europe/Paris")
EXCEPTED = {datetime(2026, 12, day, 18, tzinfo=PARIS) for day in (22, 24, 31)}


def _import(ws: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "lessons.ics"
    source.write_bytes(SERIES_ICS)
    import_calendar(ws, source, default_tz="Europe/Paris", since=date(2026, 1, 1))


def _export(ws: Workspace, tmp_path: Path) -> list[icalendar.Event]:
    out = tmp_path / "out.ics"
    export_calendar(ws, out, "ics", default_tz="Europe/Paris")
    return icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")


def _exdates(event: icalendar.Event) -> set[datetime]:
    found = event.get("EXDATE", [])
    return {d.dt for prop in (found if isinstance(found, list) else [found]) for d in prop.dts}


def _changed(events: list[icalendar.Event]) -> dict[datetime, icalendar.Event]:
    return {e["RECURRENCE-ID"].dt: e for e in events if "RECURRENCE-ID" in e}


def test_the_series_goes_out_as_one_event_with_its_moved_date(ws: Workspace,
                                                              tmp_path: Path) -> None:
    _import(ws, tmp_path)
    assert ws.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 97
    events = _export(ws, tmp_path)
    assert {str(e["UID"]) for e in events} == {SERIES_UID}
    (master,) = [e for e in events if "RECURRENCE-ID" not in e]
    assert master["RRULE"] == icalendar.vRecur.from_ical("FREQ=WEEKLY;COUNT=100;BYDAY=TU,TH")
    assert master["DTSTART"].dt == datetime(2026, 9, 1, 18, tzinfo=PARIS)
    assert master["DTSTART"].params["TZID"] == "Europe/Paris"
    assert (master["SEQUENCE"], str(master["LOCATION"])) == (2, "Back room")
    assert _exdates(master) == EXCEPTED
    changed = _changed(events)
    assert list(changed) == [datetime(2026, 9, 10, 18, tzinfo=PARIS)]
    assert changed[datetime(2026, 9, 10, 18, tzinfo=PARIS)]["DTSTART"].dt == datetime(
        2026, 9, 11, 19, tzinfo=PARIS)


def test_a_deleted_date_is_excepted_and_a_moved_one_changed(ws: Workspace,
                                                            tmp_path: Path) -> None:
    _import(ws, tmp_path)
    deleted = post_writes.delete_post(ws, series_post(ws, "2026-10-06"))
    post_writes.move_post(ws, series_post(ws, "2026-10-08"), "2026-10-09", "08:15")
    with ws.transaction():  # a new title, as the editor saves it
        ws.conn.execute("UPDATE posts SET title = 'Bread class', sequence = sequence + 1 "
                        "WHERE id = ?", (series_post(ws, "2026-10-13"),))
    events = _export(ws, tmp_path)
    (master,) = [e for e in events if "RECURRENCE-ID" not in e]
    assert _exdates(master) == EXCEPTED | {datetime(2026, 10, 6, 18, tzinfo=PARIS)}
    changed = _changed(events)
    assert set(changed) == {datetime(2026, 9, 10, 18, tzinfo=PARIS),
                            datetime(2026, 10, 8, 18, tzinfo=PARIS),
                            datetime(2026, 10, 13, 18, tzinfo=PARIS)}
    moved = changed[datetime(2026, 10, 8, 18, tzinfo=PARIS)]
    assert (str(moved["UID"]), moved["DTSTART"].dt) == (
        SERIES_UID, datetime(2026, 10, 9, 8, 15, tzinfo=PARIS))
    assert moved["SEQUENCE"] == 3  # the move raised it
    renamed = changed[datetime(2026, 10, 13, 18, tzinfo=PARIS)]
    assert (str(renamed["SUMMARY"]), renamed["DTSTART"].dt) == (
        "Bread class", datetime(2026, 10, 13, 18, tzinfo=PARIS))

    post_writes.restore_post(ws, deleted)  # undo: the date is the series' again
    (master,) = [e for e in _export(ws, tmp_path) if "RECURRENCE-ID" not in e]
    assert _exdates(master) == EXCEPTED


def test_both_writers_agree_on_a_series(ws: Workspace, tmp_path: Path) -> None:
    _import(ws, tmp_path)
    post_writes.delete_post(ws, series_post(ws, "2026-10-06"))
    post_writes.move_post(ws, series_post(ws, "2026-10-08"), "2026-10-09", "08:15")
    data = calendar_export_data(ws)
    out = io.BytesIO()
    ics.write_ics(data, out, name="W", default_tz="Europe/Paris")
    reference = ics.build_calendar(data, name="W", default_tz="Europe/Paris")

    def normal(cal: icalendar.Calendar) -> list[tuple[str, list[tuple[str, object]]]]:
        return [
            (c.name, sorted((k, getattr(v, "to_ical", lambda v=v: v)())
                            for k, v in c.property_items(recursive=False)))
            for c in cal.walk()
        ]

    ours = normal(icalendar.Calendar.from_ical(out.getvalue()))
    assert ours == normal(icalendar.Calendar.from_ical(reference.to_ical()))
    assert sum(name == "VEVENT" for name, _ in ours) == 3


def test_importing_the_export_again_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    _import(ws, tmp_path)
    post_writes.move_post(ws, series_post(ws, "2026-10-08"), "2026-10-09", "08:15")
    out = tmp_path / "out.ics"
    export_calendar(ws, out, "ics", default_tz="Europe/Paris")
    before = ws.conn.execute("SELECT * FROM posts ORDER BY id").fetchall()
    report = import_calendar(ws, out, default_tz="Europe/Paris", since=date(2026, 1, 1))
    assert (report.imported, report.merged) == (0, 0)
    assert ws.conn.execute("SELECT * FROM posts ORDER BY id").fetchall() == before
    assert ws.conn.execute("SELECT count(*) FROM post_series").fetchone()[0] == 1
    assert ws.conn.execute("SELECT count(*) FROM posts WHERE series_id IS NULL").fetchone()[0] \
        == 0


def test_an_export_of_some_weeks_excepts_no_date_outside_them(ws: Workspace,
                                                              tmp_path: Path) -> None:
    _import(ws, tmp_path)
    out = tmp_path / "out.ics"
    export_calendar(ws, out, "ics", date(2026, 10, 1), date(2026, 10, 31),
                    default_tz="Europe/Paris")
    events = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    (master,) = [e for e in events if "RECURRENCE-ID" not in e]
    assert _exdates(master) == EXCEPTED  # September and November still have their posts


def test_two_posts_of_one_date_are_both_exported(ws: Workspace, tmp_path: Path) -> None:
    """Say a newer file made posts per time of day: each date keeps one changed event."""
    _import(ws, tmp_path)
    with ws.transaction():
        ws.conn.execute(
            "INSERT INTO posts (uid, title, status, scheduled_on, scheduled_time, timezone, "
            "location, series_id, recurrence_id) SELECT uid || 'T180000', 'Second', status, "
            "scheduled_on, scheduled_time, timezone, location, series_id, recurrence_id "
            "FROM posts WHERE id = ?", (series_post(ws, "2026-10-06"),))
    events = _export(ws, tmp_path)
    assert [str(e["UID"]) for e in events if str(e["SUMMARY"]) == "Second"] == [
        f"{SERIES_UID}/2026-10-06T180000"]
    assert len(_changed(events)) == 1  # the moved date only


def test_a_confirmed_series_has_no_changed_dates_for_the_days_that_passed(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Imported mid-series, its past dates are published and the others scheduled."""
    source = tmp_path / "market.ics"
    source.write_bytes(SERIES_ICS.replace(b"SEQUENCE:2\r\nDTSTART;TZID=Europe/Paris:20260901",
                                          b"STATUS:CONFIRMED\r\nDTSTART;TZID=Europe/Paris:20260901"))
    monkeypatch.setenv("SOCIALDESK_TODAY", "2026-10-01")
    import_calendar(ws, source, default_tz="Europe/Paris", since=date(2026, 1, 1))
    statuses = dict(ws.conn.execute("SELECT status, count(*) FROM posts GROUP BY status"))
    assert statuses == {"published": 8, "scheduled": 88, "idea": 1}  # idea: the moved one
    monkeypatch.setenv("SOCIALDESK_TODAY", "2026-12-01")  # exported two months later
    events = _export(ws, tmp_path)
    (master,) = [e for e in events if "RECURRENCE-ID" not in e]
    assert str(master["STATUS"]) == "CONFIRMED" and "X-SOCIALDESK-STATUS" not in master
    assert list(_changed(events)) == [datetime(2026, 9, 10, 18, tzinfo=PARIS)]  # the moved one
