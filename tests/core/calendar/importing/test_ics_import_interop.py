"""Every .ics file of the interop corpus (../shared/interop/ics) imports or fails cleanly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from ics_import_helpers import ICS_DIR, counts, interop_ics, posts

from socialdesk.core.calendar.importing import CalendarImportError, import_calendar, parse_calendar
from socialdesk.store.workspace import Workspace

pytestmark = pytest.mark.skipif(not interop_ics(), reason="interop corpus not present")

# Repeating events are expanded from this day on (the files' series are years old).
PAST = date(2000, 1, 1)
# file -> line named by the error, for the files broken on purpose (their only event)
BROKEN = {
    "icalendar_broken_double_semicolon_invalid.ics": 4,
}
# file -> number of posts an import creates
POSTS = {
    "icalendar_parsing_error_empty_exdate_invalid.ics": 20,  # the other event is listed
    "icalendar_events_todo_journal_vtimezone.ics": 2,
    "icalendar_example_allday_holidays.ics": 3,
    "icalendar_issue_237_non_ascii_windows_tzid.ics": 1,
    "icalendar_mozilla_odd_folding_blank_lines.ics": 3,
    "icaljs_google_birthday_allday_recurrence.ics": 6,
    "rie_issue_62_moved_event_google_utf8.ics": 13,
    "vobject_radicale-0827_thunderbird_rrule_exdate_overrides.ics": 26,
}


def test_every_file_is_expected() -> None:
    assert {p.name for p in interop_ics()} == set(BROKEN) | set(POSTS)


@pytest.mark.parametrize("path", interop_ics(), ids=lambda p: p.name)
def test_imports_or_fails_cleanly_and_never_twice(ws: Workspace, path: Path) -> None:
    before = counts(ws)
    if path.name in BROKEN:
        with pytest.raises(CalendarImportError) as failed:
            import_calendar(ws, path, default_tz="Europe/Berlin", since=PAST)
        assert failed.value.line == BROKEN[path.name]
        assert str(failed.value).startswith(f"{path}, line {BROKEN[path.name]}: ")
        assert counts(ws) == before
        return
    report = import_calendar(ws, path, default_tz="Europe/Berlin", since=PAST)
    assert report.imported == POSTS[path.name]
    assert counts(ws)["posts"] == POSTS[path.name]
    again = import_calendar(ws, path, default_tz="Europe/Berlin", since=PAST)
    assert (again.imported, again.merged) == (0, 0)
    assert again.unchanged == POSTS[path.name]
    assert counts(ws)["posts"] == POSTS[path.name]


def test_new_york_events_a_todo_and_a_journal(ws: Workspace) -> None:
    path = ICS_DIR / "icalendar_events_todo_journal_vtimezone.ics"
    report = import_calendar(ws, path)
    found = posts(ws)
    first = found["event-1@example.com"]
    assert (first["title"], first["scheduled_on"], first["scheduled_time"], first["timezone"]) \
        == ("Test Event 1", "2025-01-15", "10:00", "America/New_York")
    assert first["status"] == "idea"  # no STATUS, no description
    assert report.skipped == 2
    assert [(p.line, p.message.split(" ")[0]) for p in report.problems] \
        == [(33, "to-do"), (38, "journal")]
    with_todos = parse_calendar(path, include_todos=True)
    todo = next(p for p in with_todos.posts if p.uid == "todo-1@example.com")
    assert (todo.title, todo.status, todo.scheduled_on) == ("Test Todo 1", "idea", None)
    assert with_todos.skipped == 1


def test_all_day_holidays_without_value_date(ws: Workspace) -> None:
    import_calendar(ws, ICS_DIR / "icalendar_example_allday_holidays.ics")
    by_title = {p["title"]: p for p in posts(ws).values()}
    new_year = by_title["New Year's Day"]
    assert (new_year["scheduled_on"], new_year["scheduled_time"], new_year["timezone"]) \
        == ("2022-01-01", None, None)
    assert new_year["body"] == "Happy New Year!"
    assert new_year["status"] == "published"  # CONFIRMED, in the past
    assert by_title["Orthodox Christmas"]["location"] == "Russia"
    assert by_title["Orthodox Christmas"]["notes"] == ""


def test_windows_tzid_with_non_ascii_name_becomes_sao_paulo(ws: Workspace) -> None:
    preview = parse_calendar(ICS_DIR / "icalendar_issue_237_non_ascii_windows_tzid.ics")
    (post,) = preview.posts
    assert (post.scheduled_on, post.scheduled_time, post.timezone) \
        == ("2017-05-11", "13:30", "America/Sao_Paulo")
    assert post.title == "Untitled event"
    assert post.uid.startswith("import-")  # the event has no UID; a stable one is made
    assert parse_calendar(ICS_DIR / "icalendar_issue_237_non_ascii_windows_tzid.ics") \
        .posts[0].uid == post.uid


def test_mozilla_blank_lines_inside_folded_properties() -> None:
    preview = parse_calendar(ICS_DIR / "icalendar_mozilla_odd_folding_blank_lines.ics")
    found = {p.uid: p for p in preview.posts}
    assert (found["956630271"].title, found["956630271"].scheduled_on) \
        == ("Christmas Day", "2003-12-25")
    assert found["956630271"].scheduled_time is None
    assert (found["911737808"].title, found["911737808"].scheduled_on) \
        == ("Boxing Day", "2003-05-01")
    assert found["wh4t3v3r"].title == "Christmas again!"
    assert [p.line for p in preview.posts] == [11, 53, 74]


def test_google_birthdays_rdates_and_orphan_overrides() -> None:
    preview = parse_calendar(ICS_DIR / "icaljs_google_birthday_allday_recurrence.ics",
                             since=PAST)
    assert preview.name == "Contacts' birthdays and events"
    assert sorted(p.uid for p in preview.posts) == sorted(
        f"{prefix}BIRTHDAY_79d389868f96182e@google.com/{year}-12-10"
        for prefix in ("", "2014_") for year in (2012, 2013, 2014)
    )
    assert {(p.scheduled_on, p.scheduled_time) for p in preview.posts} \
        == {("2012-12-10", None), ("2013-12-10", None), ("2014-12-10", None)}
    assert {p.title for p in preview.posts} == {"PErson #2's birthday"}


def test_google_moved_occurrence_before_its_monthly_master() -> None:
    preview = parse_calendar(ICS_DIR / "rie_issue_62_moved_event_google_utf8.ics", since=PAST)
    assert preview.name == "Partyborn Zeitgeist"
    found = {p.uid.rsplit("/", 1)[1]: p for p in preview.posts}
    moved = found["2021-12-31"]
    assert (moved.scheduled_on, moved.scheduled_time, moved.timezone, moved.sequence) \
        == ("2021-12-17", "21:30", "Europe/Berlin", 3)
    assert moved.line == 28
    assert "2021-12-31" not in {p.scheduled_on for p in preview.posts}
    assert sorted(found)[:3] == ["2021-11-26", "2021-12-31", "2022-01-28"]  # last Fridays
    assert max(p.scheduled_on or "" for p in preview.posts) == "2022-11-25"  # one year
    assert "https://www.instagram.com/p/CWwxmqbKXsC/" in moved.body
    assert "<a" not in moved.body
    assert any("repeats beyond 2022-11-26" in p.message for p in preview.problems)


def test_thunderbird_weekly_with_exdates_and_cancelled_overrides() -> None:
    preview = parse_calendar(
        ICS_DIR / "vobject_radicale-0827_thunderbird_rrule_exdate_overrides.ics", since=PAST
    )
    days = [p.scheduled_on for p in preview.posts]
    assert len(days) == 26
    assert days[0] == "2017-10-09" and days[-1] == "2018-06-18"
    for gone in ("2017-10-23", "2017-10-30", "2017-12-25", "2018-01-01", "2018-02-12",
                 "2018-02-19", "2018-04-02", "2018-04-09", "2018-04-16",  # EXDATE
                 "2018-03-26", "2018-04-30"):  # cancelled occurrences
        assert gone not in days
    assert {(p.scheduled_time, p.timezone) for p in preview.posts} == {("20:30", "Europe/Paris")}
    assert {p.location for p in preview.posts} == {"Some place, Some where"}
    assert all(p.uid.startswith("812dae9d-4114-45c1-ba5b-4ee34756ab47/") for p in preview.posts)


def test_an_empty_exdate_loses_only_its_own_event() -> None:
    preview = parse_calendar(ICS_DIR / "icalendar_parsing_error_empty_exdate_invalid.ics",
                             since=PAST)
    assert {p.body for p in preview.posts} == {"Perfectly OK event"}
    assert [(p.line, p.message) for p in preview.problems] == [
        (19, "EXDATE has a value that cannot be read: “EXDATE;VALUE=DATE:”; this event "
             "was left out.")]
    assert preview.skipped == 1


def test_old_series_are_expanded_from_today_unless_told_otherwise() -> None:
    # Today is 2026-06-15: the monthly "last Friday" series of 2021 goes on, the weekly
    # one of 2017-2018 is over.
    karaoke = parse_calendar(ICS_DIR / "rie_issue_62_moved_event_google_utf8.ics")
    days = sorted(p.scheduled_on or "" for p in karaoke.posts)
    assert days[0] == "2026-06-26" and days[-1] == "2027-05-28" and len(days) == 12
    over = parse_calendar(ICS_DIR / "vobject_radicale-0827_thunderbird_rrule_exdate_overrides.ics")
    assert over.posts == () and over.skipped == 1
    assert "no date from 2026-06-15 on" in over.problems[0].message
