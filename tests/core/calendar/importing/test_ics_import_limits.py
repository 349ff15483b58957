"""Hostile and huge calendars: time zones and repeats are expanded within bounds.

A file that made the importer run without end is read in a child process with a memory
limit and a timeout, so that a regression fails the test instead of eating the machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pytest
from ics_import_helpers import calendar, event

import socialdesk
from shared_files import INTEROP
from socialdesk.core.calendar.importing import parse_bytes, recurrence

HOSTILE = INTEROP / "hostile"
MEMORY_LIMIT = 1_500_000_000  # bytes of address space for the child
TIME_LIMIT = 30  # seconds

# Parses the file named by argv[2] with the address space limited to argv[1] bytes, and
# prints each post's (day, time, zone) and the problems as JSON.
PARSE = """
import json, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from socialdesk.core.calendar.importing import parse_calendar
preview = parse_calendar(sys.argv[2], default_tz="Europe/Berlin")
print(json.dumps({
    "posts": [[p.scheduled_on, p.scheduled_time, p.timezone] for p in preview.posts],
    "problems": [p.message for p in preview.problems],
}))
"""


def parse_bounded(path: Path) -> dict[str, list]:
    """Parse ``path`` in a child process limited to 1.5 GB and 30 s."""
    env = dict(os.environ, PYTHONPATH=str(Path(socialdesk.__file__).parents[1]))
    try:
        ran = subprocess.run(
            [sys.executable, "-c", PARSE, str(MEMORY_LIMIT), str(path)],
            capture_output=True, text=True, timeout=TIME_LIMIT, env=env, check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading {path.name} took more than {TIME_LIMIT} s")
    assert ran.returncode == 0, ran.stderr[-2000:]
    return json.loads(ran.stdout)


def zone(tzid: str, *subcomponents: tuple[str, str, str, str, list[str]]) -> str:
    """A VTIMEZONE; each sub-component is (kind, DTSTART, from, to, extra lines)."""
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    for kind, start, offset_from, offset_to, extra in subcomponents:
        lines += [f"BEGIN:{kind}", f"DTSTART:{start}", f"TZOFFSETFROM:{offset_from}",
                  f"TZOFFSETTO:{offset_to}", *extra, f"END:{kind}"]
    lines.append("END:VTIMEZONE")
    return "\r\n".join(lines)


@pytest.mark.skipif(not HOSTILE.is_dir(), reason="interop corpus not present")
def test_a_vtimezone_changing_every_second_since_1601_is_read_by_its_name() -> None:
    # The DAYLIGHT part repeats every second from 1601: followed literally, that is
    # 13 billion changes before the event's date. The zone's name says Brasília.
    found = parse_bounded(HOSTILE / "fuzz_issue_237_vtimezone_rrule_secondly_hang.ics")
    assert found["posts"] == [["2017-05-11", "13:30", "America/Sao_Paulo"]]
    assert any("Brasília" in p and "cannot be followed" in p for p in found["problems"])


def test_a_vtimezone_changing_almost_every_day_is_not_followed(tmp_path: Path) -> None:
    many_days = "RRULE:FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=" + ",".join(
        str(day) for day in range(1, 29))
    busy = zone(
        "Office time",
        ("STANDARD", "00010101T000000", "+0200", "+0100", [many_days]),
        ("DAYLIGHT", "00010101T120000", "+0100", "+0200", [many_days]),
    )
    path = tmp_path / "busy.ics"
    path.write_bytes(calendar(busy, event(start="DTSTART;TZID=Office time:20300107T100000")))
    found = parse_bounded(path)
    # the zone cannot be used and its name says nothing: the time is kept as written
    assert found["posts"] == [["2030-01-07", "10:00", None]]
    assert any("Office time" in p and "cannot be followed" in p for p in found["problems"])


def test_a_zone_known_only_from_its_vtimezone_follows_its_daylight_saving_rules() -> None:
    studio = zone(
        "Studio time",
        ("STANDARD", "16011028T030000", "+0300", "+0200",
         ["RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"]),
        ("DAYLIGHT", "16010325T020000", "+0200", "+0300",
         ["RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"]),
    )
    preview = parse_bytes(calendar(
        studio,
        event(uid="winter", start="DTSTART;TZID=Studio time:20300107T100000"),
        event(uid="summer", start="DTSTART;TZID=Studio time:20300707T100000"),
        # an EXDATE in UTC is moved into the zone: 07:00 UTC on 8 July is 10:00 there
        event("RRULE:FREQ=DAILY;COUNT=2", "EXDATE:20300708T070000Z", uid="daily",
              start="DTSTART;TZID=Studio time:20300707T100000"),
    ), "test.ics", default_tz="Europe/Berlin")
    found = {p.uid: (p.scheduled_on, p.scheduled_time, p.timezone) for p in preview.posts}
    assert found == {
        # 10:00 +02:00 is 09:00 in Berlin (+01:00); in July +03:00 against Berlin's +02:00
        "winter": ("2030-01-07", "09:00", "Europe/Berlin"),
        "summer": ("2030-07-07", "09:00", "Europe/Berlin"),
        "daily/2030-07-07": ("2030-07-07", "09:00", "Europe/Berlin"),
    }
    assert preview.problems == ()


def test_repeats_stop_being_expanded_past_the_files_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recurrence, "MAX_FILE_OCCURRENCES", 1_000)
    series = [event("RRULE:FREQ=DAILY", uid=f"s{n}", start=f"DTSTART:2030010{n + 1}T090000")
              for n in range(5)]
    preview = parse_bytes(calendar(*series), "test.ics", default_tz="Europe/Berlin")
    by_series: dict[str, int] = {}
    for post in preview.posts:
        key = post.uid.split("/")[0]
        by_series[key] = by_series.get(key, 0) + 1
    # 365 a year each: the first two fit, the third is cut, the rest keep their first date
    assert sum(by_series.values()) <= 1_000 + 5
    assert by_series["s0"] == by_series["s1"] == 365
    assert by_series["s3"] == by_series["s4"] == 1
    budget_notes = [p for p in preview.problems if "1,000" in p.message]
    assert len(budget_notes) == 1, preview.problems


def test_following_old_series_up_to_today_has_a_budget_per_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recurrence, "MAX_FILE_PASSED", 1_000)
    # Today is 2026-06-15: each daily series of January passes 150-odd dates to get there.
    series = [event("RRULE:FREQ=DAILY;BYHOUR=9,21", uid=f"s{n}",
                    start=f"DTSTART:2026010{n + 1}T090000") for n in range(8)]
    preview = parse_bytes(calendar(*series), "test.ics", default_tz="Europe/Berlin")
    firsts = {post.uid.split("/")[0]: post.scheduled_on for post in reversed(preview.posts)}
    assert firsts["s0"] == firsts["s1"] == "2026-06-15"  # the first fit in the budget
    assert "s7" not in firsts  # the last are left out (their first date is long past)
    assert any("too many" in p.message for p in preview.problems), preview.problems


def daily_events(count: int) -> bytes:
    """``count`` all-day events, one a day, as a calendar program writes them."""
    first = date(2026, 1, 1)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Daily//EN"]
    for n in range(count):
        lines += ["BEGIN:VEVENT", f"UID:day-{n:06d}@test.example", "DTSTAMP:20260101T000000Z",
                  f"DTSTART;VALUE=DATE:{first + timedelta(days=n):%Y%m%d}",
                  f"SUMMARY:Daily special {n}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def test_memory_per_event_stays_small() -> None:
    data = daily_events(2_000)
    parse_bytes(daily_events(2), "warm-up.ics", default_tz="Europe/Berlin")
    tracemalloc.start()
    try:
        preview = parse_bytes(data, "daily.ics", default_tz="Europe/Berlin")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(preview.posts) == 2_000
    # about 10× the file's own bytes per event; all events parsed at once took 25×
    assert peak / len(preview.posts) < 12 * len(data) / 2_000, peak


def test_a_huge_media_paragraph_of_our_own_export_is_bounded() -> None:
    from socialdesk.core.calendar.ics import PRODID
    from socialdesk.core.calendar.importing.media import MAX_MEDIA

    lines = ["/etc/passwd (alt text: key)", "..\\\\x.dll (no alt text)", "ok.jpg (alt text: Fine)"]
    lines += ["f.jpg (no alt text)"] * 200_000
    text = "Body\\n\\nMedia:\\n" + "\\n".join(lines) + "\\n\\nFirst comment:\\nThanks"
    data = calendar(event(f"DESCRIPTION:{text}", "X-SOCIALDESK-STATUS:draft"), prodid=PRODID)
    started = time.monotonic()
    preview = parse_bytes(data, "huge-media.ics", default_tz="Europe/Berlin")
    assert time.monotonic() - started < 10
    (post,) = preview.posts
    assert (post.body, post.first_comment) == ("Body", "Thanks")
    assert post.media is not None and len(post.media) == MAX_MEDIA
    assert post.media[:2] == (("ok.jpg", "Fine"), ("f.jpg", ""))
    assert [p.message for p in preview.problems] == [
        f"more than {MAX_MEDIA} media files: those after the first {MAX_MEDIA} were left out.",
        "media file '/etc/passwd' (and 1 more) left out: a media path is a file in the "
        "workspace's media folder.",
    ]


def test_a_calendar_file_past_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    # every event of a file is held for the preview: a bigger file is refused before its
    # events are read, and only a little more than the limit is read from the disk
    from socialdesk.core.calendar.importing import CalendarImportError, parse_calendar
    from socialdesk.core.calendar.importing.reader import MAX_FILE_BYTES

    one = event(uid="big", start="DTSTART:20270301T090000Z", summary="x" * 60)
    path = tmp_path / "everything.ics"
    with path.open("wb") as out:
        out.write(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n")
        body = (one + "\r\n").encode()
        out.write(body * (MAX_FILE_BYTES // len(body) + 1))
        out.write(b"END:VCALENDAR\r\n")
    tracemalloc.start()
    try:
        with pytest.raises(CalendarImportError, match=r"larger than a calendar file may be "
                                                      r"\(16 MB\)") as caught:
            parse_calendar(path, default_tz="Europe/Berlin")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(path) in str(caught.value)
    assert peak < 3 * MAX_FILE_BYTES, peak
