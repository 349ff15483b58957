"""How events become posts: text, status, time zones, categories, repeats, to-dos."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from ics_import_helpers import calendar, event, posts

from socialdesk.core.calendar.importing import import_calendar, parse_bytes
from socialdesk.store.workspace import Workspace

Write = Callable[..., Path]


def read(*components: str, **options: object):
    options.setdefault("default_tz", "Europe/Berlin")
    return parse_bytes(calendar(*components), "test.ics", **options)  # type: ignore[arg-type]


def only(*components: str, **options: object):
    preview = read(*components, **options)
    assert len(preview.posts) == 1, preview
    return preview.posts[0]


# --- text -------------------------------------------------------------------------------


def test_escaped_text_comes_back_exactly() -> None:
    post = only(event(
        "DESCRIPTION:Line one\\nline two\\, with a comma\\; and a semicolon \\\\o/",
        "URL:https://bakery.example/a?b=1,2",
        summary="Croissants\\, 2 for 1\\; today! Öffnungszeiten 🥐",
    ))
    assert post.title == "Croissants, 2 for 1; today! Öffnungszeiten 🥐"
    assert post.body == "Line one\nline two, with a comma; and a semicolon \\o/"
    assert post.link == "https://bakery.example/a?b=1,2"


def test_google_html_description_becomes_plain_text() -> None:
    post = only(event(
        'DESCRIPTION:Come by!<br>Menu: <a href="https://x.example/m">our menu</a> &amp; more'
    ))
    assert post.body == "Come by!\nMenu: our menu (https://x.example/m) & more"


def test_event_without_summary_takes_its_first_line() -> None:
    assert only(event("DESCRIPTION:\\n  First words\\nmore", summary=None)).title == "First words"
    assert only(event(summary=None)).title == "Untitled event"


def test_a_foreign_link_trailer_becomes_the_link() -> None:
    post = only(event("DESCRIPTION:Fresh bread\\n\\nLink: https://x.example/b"))
    assert (post.body, post.link, post.channels) == ("Fresh bread", "https://x.example/b", None)


# --- status -----------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "start", "description", "expected"), [
    ("CANCELLED", "20300101", "", "skipped"),
    ("TENTATIVE", "20300101", "", "draft"),
    ("CONFIRMED", "20200101", "", "published"),
    ("CONFIRMED", "20260614", "", "published"),
    ("CONFIRMED", "20260615", "", "scheduled"),
    ("CONFIRMED", "20300101", "", "scheduled"),
    (None, "20300101", "Some text", "draft"),
    (None, "20200101", "", "idea"),
])
def test_status(status: str | None, start: str, description: str, expected: str) -> None:
    props = [f"STATUS:{status}"] if status else []
    if description:
        props.append(f"DESCRIPTION:{description}")
    post = only(event(*props, start=f"DTSTART;VALUE=DATE:{start}"))
    assert post.status == expected


# --- dates and time zones ---------------------------------------------------------------


def test_all_day_floating_and_utc_starts() -> None:
    preview = read(
        event(uid="day", start="DTSTART;VALUE=DATE:20300107"),
        event(uid="floating", start="DTSTART:20300107T093000"),
        event(uid="utc", start="DTSTART:20300107T093000Z"),
        event(uid="utc-summer", start="DTSTART:20300707T093000Z"),
    )
    found = {p.uid: (p.scheduled_on, p.scheduled_time, p.timezone) for p in preview.posts}
    assert found == {
        "day": ("2030-01-07", None, None),
        "floating": ("2030-01-07", "09:30", None),
        "utc": ("2030-01-07", "10:30", "Europe/Berlin"),
        "utc-summer": ("2030-07-07", "11:30", "Europe/Berlin"),
    }


OUTLOOK_ZONE = "\r\n".join([
    "BEGIN:VTIMEZONE", 'TZID:(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna',
    "BEGIN:STANDARD", "DTSTART:16011028T030000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
    "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD",
    "BEGIN:DAYLIGHT", "DTSTART:16010325T020000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
    "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "END:DAYLIGHT", "END:VTIMEZONE",
])


@pytest.mark.filterwarnings("ignore:Timezone '/freeassociation")
@pytest.mark.parametrize(("tzid", "expected"), [
    ("Europe/Paris", "Europe/Paris"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ('"W. Europe Standard Time"', "Europe/Berlin"),
    ("Eastern Standard Time", "America/New_York"),
    ("/freeassociation.sourceforge.net/Tzfile/Europe/Berlin", "Europe/Berlin"),
    ("europe/london", "Europe/London"),
    ('"(UTC-05:00) Eastern Time (US & Canada)"', "America/New_York"),
    ('"(UTC+10:00) Canberra, Melbourne, Sydney"', "Australia/Sydney"),
])
def test_tzids_become_iana_names(tzid: str, expected: str) -> None:
    post = only(event(start=f"DTSTART;TZID={tzid}:20300107T093000"))
    assert (post.scheduled_time, post.timezone) == ("09:30", expected)


def test_outlook_display_name_with_commas_and_its_vtimezone() -> None:
    post = only(
        OUTLOOK_ZONE,
        event(start='DTSTART;TZID="(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, '
                    'Vienna":20300707T093000'),
    )
    assert (post.scheduled_on, post.scheduled_time, post.timezone) \
        == ("2030-07-07", "09:30", "Europe/Amsterdam")


def test_zone_known_only_from_its_vtimezone_is_converted_to_the_workspace_zone() -> None:
    custom = "\r\n".join([
        "BEGIN:VTIMEZONE", "TZID:Studio time", "BEGIN:STANDARD", "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0530", "TZOFFSETTO:+0530", "END:STANDARD", "END:VTIMEZONE",
    ])
    post = only(custom, event(start="DTSTART;TZID=Studio time:20300107T100000"))
    # 10:00 +05:30 = 04:30 UTC = 05:30 in Berlin (winter)
    assert (post.scheduled_on, post.scheduled_time, post.timezone) \
        == ("2030-01-07", "05:30", "Europe/Berlin")


def test_vtimezone_naming_its_iana_zone_in_x_lic_location() -> None:
    custom = "\r\n".join([
        "BEGIN:VTIMEZONE", "TZID:Custom 1", "X-LIC-LOCATION:Europe/Lisbon", "BEGIN:STANDARD",
        "DTSTART:19700101T000000", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0000", "END:STANDARD",
        "END:VTIMEZONE",
    ])
    assert only(custom, event(start="DTSTART;TZID=Custom 1:20300107T100000")).timezone \
        == "Europe/Lisbon"


def test_unknown_zones_are_noted_once_each() -> None:
    preview = read(
        event(uid="a", start="DTSTART;TZID=Mars/Olympus:20300107T100000"),
        event(uid="b", start='DTSTART;TZID="(UTC+03:00) Nowhere":20300107T100000'),
        event(uid="c", start="DTSTART;TZID=Mars/Olympus:20300108T100000"),
    )
    found = {p.uid: (p.scheduled_time, p.timezone) for p in preview.posts}
    assert found == {"a": ("10:00", None), "b": ("08:00", "Europe/Berlin"),
                     "c": ("10:00", None)}
    assert [p.line for p in preview.problems] == [7, 12]  # the first DTSTART with each zone
    assert "Mars/Olympus" in preview.problems[0].message
    assert "Nowhere" in preview.problems[1].message
    assert preview.skipped == 0


# --- categories, campaigns, topics --------------------------------------------------------


def test_categories_become_campaign_and_topics(ws: Workspace, write: Write) -> None:
    with ws.transaction():
        ws.conn.execute("INSERT INTO campaigns (name) VALUES ('Spring, Launch')")
        ws.conn.execute("INSERT INTO topics (name) VALUES ('Bread')")
    path = write(calendar(
        event("CATEGORIES:bread,spring\\, launch", "CATEGORIES:Events", uid="one"),
        event("CATEGORIES:Unknown campaign", uid="two"),
    ))
    import_calendar(ws, path)
    found = posts(ws)
    assert found["one"]["campaign"] == "Spring, Launch"
    assert found["one"]["topics"] == ["Bread", "Events"]  # the existing topic is reused
    assert (found["two"]["campaign"], found["two"]["topics"]) == (None, ["Unknown campaign"])
    assert ws.conn.execute("SELECT count(*) FROM campaigns").fetchone()[0] == 1


# --- repeats ----------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "rule", "expected"), [
    ("DTSTART;TZID=Europe/London:20300107T093000", "FREQ=WEEKLY;UNTIL=20300225T093000Z",
     ("weekly", "2030-02-25", None)),
    ("DTSTART;TZID=Europe/London:20300107T093000", "FREQ=WEEKLY;UNTIL=20300225T080000Z",
     ("weekly", "2030-02-24", None)),  # UNTIL is before that day's 09:30
    ("DTSTART;TZID=Europe/London:20300107T093000", "FREQ=WEEKLY;BYDAY=MO;COUNT=3",
     ("weekly", "2030-01-21", None)),
    ("DTSTART;VALUE=DATE:20300107", "FREQ=MONTHLY;UNTIL=20300607",
     ("monthly", "2030-06-07", None)),
    ("DTSTART;VALUE=DATE:20300107", "FREQ=WEEKLY;INTERVAL=4", (None, None, 4)),
    ("DTSTART:20300107T093000", "FREQ=WEEKLY", (None, None, 1)),
    ("DTSTART;VALUE=DATE:20300107", "FREQ=WEEKLY;INTERVAL=8;UNTIL=20300610",
     (None, "2030-06-10", 8)),
])
def test_repeats_socialdesk_can_store(start: str, rule: str, expected: tuple) -> None:
    post = only(event(f"RRULE:{rule}", start=start))
    assert (post.repeat_rule, post.repeat_until, post.evergreen_weeks) == expected
    assert post.uid == "e1@test"


def test_rules_socialdesk_cannot_store_are_expanded_for_one_year() -> None:
    preview = read(event("RRULE:FREQ=MONTHLY;BYDAY=1MO", start="DTSTART;VALUE=DATE:20300107"))
    days = [p.scheduled_on for p in preview.posts]
    assert days[:3] == ["2030-01-07", "2030-02-04", "2030-03-04"]
    assert len(days) == 13 and days[-1] == "2031-01-06"  # first Mondays before 2031-01-07
    assert [p.uid for p in preview.posts][:2] == ["e1@test/2030-01-07", "e1@test/2030-02-04"]
    assert all(p.repeat_rule is None and p.evergreen_weeks is None for p in preview.posts)
    (note,) = preview.problems
    assert note.line == 4 and "repeats beyond 2031-01-07" in note.message
    assert preview.skipped == 0
    assert len(read(event("RRULE:FREQ=MONTHLY;BYDAY=1MO", start="DTSTART;VALUE=DATE:20300107"),
                    expand_years=2).posts) == 25


def test_a_series_that_started_years_ago_is_expanded_from_today_for_a_year() -> None:
    from datetime import date

    twice_weekly = event("RRULE:FREQ=WEEKLY;BYDAY=MO,TH", "LOCATION:Back room",
                         start="DTSTART;TZID=Europe/Berlin:20190107T180000")
    preview = read(twice_weekly)  # today is 2026-06-15 (a Monday)
    days = [p.scheduled_on or "" for p in preview.posts]
    assert days[:3] == ["2026-06-15", "2026-06-18", "2026-06-22"]
    assert days[-1] == "2027-06-14" and len(days) == 105
    assert preview.posts[0].uid == "e1@test/2026-06-15"
    assert {(p.scheduled_time, p.timezone, p.location) for p in preview.posts} \
        == {("18:00", "Europe/Berlin", "Back room")}
    assert "repeats beyond 2027-06-15" in preview.problems[0].message
    chosen = read(twice_weekly, since=date(2025, 1, 1))
    assert [p.scheduled_on for p in chosen.posts][:2] == ["2025-01-02", "2025-01-06"]
    assert max(p.scheduled_on or "" for p in chosen.posts) == "2025-12-29"
    whole = read(twice_weekly, since=date(2000, 1, 1))
    assert whole.posts[0].scheduled_on == "2019-01-07"  # never before the series' start


def test_a_series_over_before_the_first_date_is_listed_not_imported() -> None:
    from datetime import date

    over = event("RRULE:FREQ=DAILY;UNTIL=20080323", "EXDATE;VALUE=DATE:20080311",
                 "RDATE;VALUE=DATE:20080401", start="DTSTART;VALUE=DATE:20080303")
    preview = read(over, event(uid="single", start="DTSTART;VALUE=DATE:20080101"))
    assert [p.uid for p in preview.posts] == ["single"]  # a single event is not a series
    assert preview.skipped == 1
    (note,) = preview.problems
    assert note.line == 4 and "no date from 2026-06-15 on" in note.message
    old = read(over, since=date(2008, 3, 20))
    assert [p.scheduled_on for p in old.posts] \
        == ["2008-03-20", "2008-03-21", "2008-03-22", "2008-03-23", "2008-04-01"]


def test_a_series_repeating_every_second_since_1970_is_bounded() -> None:
    started = time.perf_counter()
    preview = read(event("RRULE:FREQ=SECONDLY", start="DTSTART:19700101T000000"))
    assert time.perf_counter() - started < 2
    assert preview.posts == () and preview.skipped == 1
    assert any("cannot be followed" in p.message for p in preview.problems)


def test_daily_with_count_and_exdate_follows_local_time_across_dst() -> None:
    preview = read(event(
        "RRULE:FREQ=DAILY;COUNT=4", "EXDATE;TZID=Europe/Berlin:20300331T093000",
        start="DTSTART;TZID=Europe/Berlin:20300330T093000",
    ))
    assert [(p.scheduled_on, p.scheduled_time) for p in preview.posts] \
        == [("2030-03-30", "09:30"), ("2030-04-01", "09:30"), ("2030-04-02", "09:30")]
    assert preview.problems == ()


def test_hourly_rule_is_capped_and_keeps_unique_uids() -> None:
    preview = read(event("RRULE:FREQ=HOURLY", start="DTSTART:20300107T093000"))
    uids = [p.uid for p in preview.posts]
    assert len(uids) == 1000 == len(set(uids))
    assert uids[0] == "e1@test/2030-01-07T093000"


def test_utc_weekly_rule_is_expanded_instant_by_instant() -> None:
    preview = read(event("RRULE:FREQ=WEEKLY;COUNT=3", start="DTSTART:20300320T090000Z"))
    # 09:00 UTC is 10:00 in Berlin before 31 March and 11:00 after.
    assert [(p.scheduled_on, p.scheduled_time) for p in preview.posts] \
        == [("2030-03-20", "10:00"), ("2030-03-27", "10:00"), ("2030-04-03", "11:00")]


def test_an_unreadable_rule_keeps_the_first_occurrence_with_a_note() -> None:
    preview = read(event("RRULE:FREQ=WEEKLY;INTERVAL=0"))
    assert [(p.uid, p.scheduled_on) for p in preview.posts] == [("e1@test", "2030-01-07")]
    assert "repeat rule cannot be followed" in preview.problems[0].message


# --- what is left out ---------------------------------------------------------------------


def test_events_without_start_and_duplicate_uids_are_listed() -> None:
    preview = read(
        event(uid="a", summary="No start", start=None),
        event("SEQUENCE:1", uid="b", summary="Old"),
        event("SEQUENCE:2", uid="b", summary="New"),
        event(uid="c"),
    )
    assert sorted((p.uid, p.title) for p in preview.posts) == [("b", "New"), ("c", "Hello")]
    assert preview.skipped == 2
    assert [p.line for p in preview.problems] == [4, 8]
    assert "DTSTART" in preview.problems[0].message
    assert "same UID (line 14)" in preview.problems[1].message


def test_todos_are_left_out_or_become_ideas() -> None:
    todos = (
        "BEGIN:VTODO\r\nUID:t1\r\nSUMMARY:Call the mill\r\nDUE;VALUE=DATE:20300110\r\nEND:VTODO",
        "BEGIN:VTODO\r\nUID:t2\r\nSUMMARY:Dropped\r\nSTATUS:CANCELLED\r\nEND:VTODO",
    )
    left_out = read(event(), *todos)
    assert [p.uid for p in left_out.posts] == ["e1@test"]
    assert left_out.skipped == 2 and left_out.todos == 2
    assert all("to-do left out" in p.message for p in left_out.problems)
    kept = read(event(), *todos, include_todos=True)
    found = {p.uid: (p.title, p.status, p.scheduled_on) for p in kept.posts}
    assert found["t1"] == ("Call the mill", "idea", "2030-01-10")
    assert found["t2"] == ("Dropped", "skipped", None)
    assert kept.skipped == 0


def test_alarms_and_unreadable_properties_we_do_not_use_are_ignored() -> None:
    post = only(event(
        "GEO:not-a-position", "ATTENDEE;CN=x:mailto:x@example.com",
        "BEGIN:VALARM", "TRIGGER:nonsense", "ACTION:DISPLAY", "END:VALARM",
    ))
    assert post.title == "Hello"


@pytest.mark.parametrize("rule", [
    "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;BYWEEKNO=54", "FREQ=DAILY;BYYEARDAY=367",
])
def test_rules_that_never_happen_do_not_hang(rule: str) -> None:
    started = time.perf_counter()
    preview = read(event(f"RRULE:{rule}"))
    assert time.perf_counter() - started < 1
    assert [p.uid for p in preview.posts] == ["e1@test"]
    assert "no day matches it" in preview.problems[0].message


def test_dates_at_the_ends_of_the_calendar() -> None:
    preview = read(
        event("RRULE:FREQ=DAILY", uid="late", start="DTSTART:99991231T233000Z"),
        event(uid="early", start="DTSTART;TZID=America/Anchorage:00010101T000000"),
    )
    found = {p.uid: (p.scheduled_on, p.scheduled_time, p.timezone) for p in preview.posts}
    assert found["late/9999-12-31"] == ("9999-12-31", "23:30", None)
    assert found["early"] == ("0001-01-01", "00:00", "America/Anchorage")


def test_socialdesk_status_property_wins_over_the_icalendar_status() -> None:
    from datetime import date

    from socialdesk.core.calendar.importing.events import status

    assert status("IDEA", "2030-01-01", False, date(2026, 11, 24)) == "idea"
    assert status("PUBLISHED", "2020-01-01", True, date(2026, 11, 24)) == "published"
    assert status("TENTATIVE", "2030-01-01", False, date(2026, 11, 24)) == "draft"
