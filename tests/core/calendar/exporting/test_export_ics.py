from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from calendar_samples import INJECTED_LINK, TRICKY_TITLE, add_post
from hypothesis import example, given
from hypothesis import strategies as st

from socialdesk.core.calendar import ics, ics_lines
from socialdesk.core.calendar.export import ExportError, export_calendar
from socialdesk.core.calendar.importing import parse_bytes
from socialdesk.store.calendar_export import (
    CalendarData,
    ExportAsk,
    ExportChannel,
    ExportPost,
    calendar_export_data,
)
from socialdesk.store.workspace import Workspace

ONE_LINE_TRICKY = TRICKY_TITLE.replace("\n", " ")


def export(ws: Workspace, path: Path, **kwargs: object) -> icalendar.Calendar:
    kwargs.setdefault("default_tz", "Europe/Paris")
    export_calendar(ws, path, "ics", **kwargs)  # type: ignore[arg-type]
    return icalendar.Calendar.from_ical(path.read_bytes())


def events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def todos(cal: icalendar.Calendar) -> dict[str, icalendar.Todo]:
    return {str(t["UID"]): t for t in cal.walk("VTODO")}


def test_counts_and_result(sample: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "cal.ics"
    result = export_calendar(sample, out, "ics", default_tz="Europe/Paris")
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    assert set(events(cal)) == {"p1@test", "p2@test", "p4@test", "p5@test", "p6@test"}
    # open asks (asked, agreed) and the follow-up; the shared ask is not a to-do
    assert set(todos(cal)) == {"ask-1@test", "ask-3@test", "followup-1@socialdesk"}
    assert (result.posts, result.todos, result.files) == (5, 3, (out,))
    assert result.skipped == {"post without a date (ideas are left out of the calendar)": 1}


def test_calendar_properties(sample: Workspace, tmp_path: Path) -> None:
    cal = export(sample, tmp_path / "cal.ics")
    assert str(cal["VERSION"]) == "2.0"
    assert "SocialDesk" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"]) == "SocialDesk – Corner Bakery"
    assert str(cal["NAME"]) == "SocialDesk – Corner Bakery"
    raw = (tmp_path / "cal.ics").read_bytes()
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in raw
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in raw
    named = export(sample, tmp_path / "named.ics", calendar_name="Shop")
    assert str(named["X-WR-CALNAME"]) == "SocialDesk – Shop"


def test_uids_stable_and_sequence_carried(sample: Workspace, tmp_path: Path) -> None:
    first = (tmp_path / "a.ics")
    cal1 = export(sample, first)
    again = tmp_path / "b.ics"
    export(sample, again)
    assert first.read_bytes() == again.read_bytes()  # deterministic: DTSTAMP = updated_at
    assert events(cal1)["p1@test"]["SEQUENCE"] == 3

    with sample.transaction():
        sample.conn.execute(
            "UPDATE posts SET title = 'Renamed', sequence = sequence + 1, "
            "updated_at = '2024-02-07T10:00:00Z' WHERE uid = 'p1@test'"
        )
    cal2 = export(sample, tmp_path / "c.ics")
    assert set(events(cal2)) == set(events(cal1))
    assert set(todos(cal2)) == set(todos(cal1))
    edited = events(cal2)["p1@test"]
    assert (str(edited["SUMMARY"]), edited["SEQUENCE"]) == ("Renamed", 4)
    assert edited.decoded("DTSTAMP") == datetime(2024, 2, 7, 10, tzinfo=ZoneInfo("UTC"))


def test_timed_all_day_and_zones(sample: Workspace, tmp_path: Path) -> None:
    cal = export(sample, tmp_path / "cal.ics")
    ev = events(cal)
    berlin = ev["p1@test"].decoded("DTSTART")
    assert berlin == datetime(2024, 3, 10, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    assert berlin.utcoffset() == timedelta(hours=1)
    assert ev["p1@test"].decoded("DTEND") - berlin == timedelta(minutes=30)
    # no zone of its own: the default zone passed in
    assert ev["p4@test"].decoded("DTSTART") == datetime(
        2024, 3, 14, 18, tzinfo=ZoneInfo("Europe/Paris")
    )
    # UTC: written with Z, and no VTIMEZONE for it
    assert ev["p6@test"].decoded("DTSTART") == datetime(2024, 3, 20, 12, tzinfo=ZoneInfo("UTC"))
    # all day: VALUE=DATE, ends the next day
    assert ev["p2@test"].decoded("DTSTART") == date(2024, 3, 12)
    assert ev["p2@test"].decoded("DTEND") == date(2024, 3, 13)
    assert ev["p2@test"]["DTSTART"].params.get("VALUE") == "DATE"
    tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    assert tzids == {"Europe/Berlin", "Europe/Paris", "America/New_York"}
    assert cal.get_missing_tzids() == set()


def test_recurrence(sample: Workspace, tmp_path: Path) -> None:
    ev = events(export(sample, tmp_path / "cal.ics"))
    weekly = ev["p2@test"]["RRULE"]
    assert weekly["FREQ"] == ["WEEKLY"] and weekly["UNTIL"] == [date(2024, 4, 30)]
    evergreen = ev["p4@test"]["RRULE"]
    assert evergreen["FREQ"] == ["WEEKLY"] and evergreen["INTERVAL"] == [4]
    assert "UNTIL" not in evergreen
    monthly = ev["p5@test"]["RRULE"]
    assert monthly["FREQ"] == ["MONTHLY"]
    # UNTIL of a zoned start is in UTC and includes the last occurrence (7:05 in New York)
    assert monthly["UNTIL"] == [datetime(2024, 6, 15, 11, 5, tzinfo=ZoneInfo("UTC"))]
    assert "RRULE" not in ev["p1@test"]


def test_status_categories_url_description(sample: Workspace, tmp_path: Path) -> None:
    ev = events(export(sample, tmp_path / "cal.ics"))
    statuses = {uid: str(e["STATUS"]) for uid, e in ev.items()}
    assert statuses == {
        "p1@test": "CONFIRMED", "p2@test": "TENTATIVE", "p4@test": "CONFIRMED",
        "p5@test": "CONFIRMED", "p6@test": "CANCELLED",
    }
    p1 = ev["p1@test"]
    assert list(p1["CATEGORIES"].cats) == ["Spring, launch; 🌸", "bread", "events"]
    assert str(p1["URL"]) == "https://bakery.example/a?b=1,2"
    assert str(p1["LOCATION"]) == "Hall 2; stand 7, by the door"
    assert "LOCATION" not in ev["p2@test"]  # no location, no empty property
    description = str(p1["DESCRIPTION"])
    assert "Fresh = warm, +1 @friends" in description
    assert "Channels: facebook, instagram" in description
    assert "Link: https://bakery.example/a?b=1,2" in description
    assert '=HYPERLINK("x")' in description  # the instagram variant
    assert p1["CREATED"].dt == datetime(2024, 1, 5, 8, tzinfo=ZoneInfo("UTC"))
    assert p1["LAST-MODIFIED"].dt == datetime(2024, 2, 6, 9, 30, tzinfo=ZoneInfo("UTC"))


ENCODED_LINK = INJECTED_LINK.replace("\r", "%0D").replace("\n", "%0A").replace(
    "\x00", "%00").replace("\x7f", "%7F")


def test_a_link_with_line_breaks_stays_one_value_of_one_event(
    ws: Workspace, tmp_path: Path
) -> None:
    with ws.transaction():
        add_post(ws, uid="menu@test", title="Menu", scheduled_on="2024-03-12",
                 link=INJECTED_LINK, channels=["instagram"])
    out = tmp_path / "cal.ics"
    ev = events(export(ws, out))
    assert list(ev) == ["menu@test"]
    # the whole link, its line breaks percent-encoded as in any URI
    assert str(ev["menu@test"]["URL"]) == ENCODED_LINK
    assert f"Link: {ENCODED_LINK}" in str(ev["menu@test"]["DESCRIPTION"])
    # the reference writer (icalendar objects) says the same
    data = calendar_export_data(ws)
    reference = ics.build_calendar(data, name="W", default_tz="Europe/Paris").to_ical()
    assert [str(e["URL"]) for e in icalendar.Calendar.from_ical(reference).walk("VEVENT")] \
        == [ENCODED_LINK]
    # and SocialDesk's own import reads one post with that link and nothing else
    (post,) = parse_bytes(out.read_bytes(), "cal.ics", default_tz="Europe/Paris").posts
    assert (post.uid, post.link, post.body) == ("menu@test", ENCODED_LINK, "")


# Whatever the texts of a post and an ask hold, the calendar has one event and one
# to-do, each with only the properties the exporter writes.
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=60))
@example("https://a.example/\\:b")  # a backslash in a URI: icalendar 7.3 read it as an escape
def test_no_text_can_add_a_component_or_a_property(text: str) -> None:
    post = ExportPost(
        id=1, uid=text, title=text, body=text, status="draft", scheduled_on="2024-03-12",
        scheduled_time="09:30", timezone="Europe/Paris", link=text, location=text,
        repeat_rule=None, repeat_until=None, evergreen_weeks=None, sequence=0,
        created_at="2024-01-01T00:00:00Z", updated_at="2024-01-02T00:00:00Z",
        campaign=text, channels=(ExportChannel("instagram", text),), topics=(text,),
    )
    ask = ExportAsk(
        id=1, uid=text + "-ask", status="asked", asked_on="2024-03-01", due_on="2024-03-10",
        message=text, contact_id=1, contact_name=text, post_id=1, post_uid=text,
        post_title=text, created_at="2024-01-01T00:00:00Z", updated_at="2024-01-02T00:00:00Z",
    )
    out = io.BytesIO()
    ics.write_ics(CalendarData(posts=(post,), asks=(ask,), follow_ups=()), out, name=text,
                  default_tz="Europe/Paris")
    cal = icalendar.Calendar.from_ical(out.getvalue())
    (event,) = cal.walk("VEVENT")
    (todo,) = cal.walk("VTODO")
    assert set(event) == {
        "UID", "DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE", "DTSTART", "DTEND",
        "SUMMARY", "STATUS", "X-SOCIALDESK-STATUS", "DESCRIPTION", "CATEGORIES", "URL",
        "LOCATION", "TRANSP",
    }
    assert set(todo) == {"UID", "DTSTAMP", "CREATED", "LAST-MODIFIED", "SUMMARY", "STATUS",
                         "DUE", "DESCRIPTION", "RELATED-TO"}
    assert str(event["URL"]) == ics_lines.uri_value(text)


def test_tricky_title_round_trips(ws: Workspace, tmp_path: Path) -> None:
    one_line = "Crème brûlée, 2 for 1; «today» 🥐 back\\slash \\n not a newline, 東京"
    with ws.transaction():
        add_post(ws, uid="t1@test", title=one_line, scheduled_on="2024-05-01")
        add_post(ws, uid="t2@test", title=TRICKY_TITLE, scheduled_on="2024-05-02")
    ev = events(export(ws, tmp_path / "cal.ics"))
    assert str(ev["t1@test"]["SUMMARY"]) == one_line
    # SUMMARY is one line (calendar programs refuse or mangle line breaks there); the
    # exact title, line breaks and all, opens the description.
    assert str(ev["t2@test"]["SUMMARY"]) == ONE_LINE_TRICKY
    assert str(ev["t2@test"]["DESCRIPTION"]).startswith(TRICKY_TITLE)
    raw = (tmp_path / "cal.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    raw.decode("utf-8")  # folding never splits a UTF-8 sequence


def test_todos(sample: Workspace, tmp_path: Path) -> None:
    td = todos(export(sample, tmp_path / "cal.ics"))
    ask = td["ask-1@test"]
    assert ask.decoded("DUE") == date(2024, 3, 9)
    assert str(ask["RELATED-TO"]) == "p1@test"
    assert str(ask["STATUS"]) == "NEEDS-ACTION"
    assert str(ask["SUMMARY"]) == f"Ask Anna Café to share: {ONE_LINE_TRICKY}"
    assert str(td["ask-3@test"]["STATUS"]) == "IN-PROCESS"
    follow = td["followup-1@socialdesk"]
    assert follow.decoded("DUE") == date(2024, 3, 18)
    assert "RELATED-TO" not in follow
    assert str(follow["SUMMARY"]) == "Follow up with Anna Café (Anna Café Ltd)"


def test_date_range(sample: Workspace, tmp_path: Path) -> None:
    cal = export(sample, tmp_path / "cal.ics", first=date(2024, 3, 13), last=date(2024, 3, 16))
    # p2 started on the 12th but repeats weekly into the range; p4 and p5 are inside
    assert set(events(cal)) == {"p2@test", "p4@test", "p5@test"}
    assert set(todos(cal)) == {"ask-3@test"}
    only_march_18 = export(sample, tmp_path / "b.ics", first=date(2024, 3, 18),
                           last=date(2024, 3, 18))
    assert set(todos(only_march_18)) == {"followup-1@socialdesk"}
    with pytest.raises(ExportError, match="starts"):
        export(sample, tmp_path / "c.ics", first=date(2024, 3, 18), last=date(2024, 3, 1))


def test_default_zone_and_bad_zones(ws: Workspace, tmp_path: Path) -> None:
    with ws.transaction():
        add_post(ws, uid="z1@test", title="Nowhere", scheduled_on="2024-05-01",
                 scheduled_time="10:00", timezone="Mars/Olympus_Mons")
    with pytest.raises(ExportError, match="Unknown time zone"):
        export_calendar(ws, tmp_path / "x.ics", "ics", default_tz="Not/AZone")
    assert not (tmp_path / "x.ics").exists()
    result = export_calendar(ws, tmp_path / "x.ics", "ics", default_tz="Asia/Tokyo")
    assert any("Mars/Olympus_Mons" in note for note in result.notes)
    ev = events(icalendar.Calendar.from_ical((tmp_path / "x.ics").read_bytes()))
    assert ev["z1@test"].decoded("DTSTART") == datetime(2024, 5, 1, 10,
                                                        tzinfo=ZoneInfo("Asia/Tokyo"))
    # without a default, the computer's zone (or UTC) is used and the export works
    assert export_calendar(ws, tmp_path / "y.ics", "ics").posts == 1


def test_bad_targets(sample: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="folder"):
        export_calendar(sample, tmp_path, "ics")
    with pytest.raises(ExportError, match="does not exist"):
        export_calendar(sample, tmp_path / "missing" / "cal.ics", "ics")
    with pytest.raises(ExportError, match="format"):
        export_calendar(sample, tmp_path / "cal.x", "xml")  # type: ignore[arg-type]


def test_direct_writer_matches_icalendar(sample: Workspace) -> None:
    data = calendar_export_data(sample)
    out = io.BytesIO()
    ics.write_ics(data, out, name="W", default_tz="Europe/Paris")
    reference = ics.build_calendar(data, name="W", default_tz="Europe/Paris")
    ours = icalendar.Calendar.from_ical(out.getvalue())
    theirs = icalendar.Calendar.from_ical(reference.to_ical())

    def normal(cal: icalendar.Calendar) -> list[tuple[str, list[tuple[str, object]]]]:
        return [
            (c.name, sorted((k, getattr(v, "to_ical", lambda v=v: v)())
                            for k, v in c.property_items(recursive=False)))
            for c in cal.walk()
        ]

    assert normal(ours) == normal(theirs)
    assert len(normal(ours)) > 10


def test_empty_workspace(ws: Workspace, tmp_path: Path) -> None:
    cal = export(ws, tmp_path / "cal.ics")
    assert cal.walk("VEVENT") == [] and cal.walk("VTODO") == []


# Any text, escaped and folded by the writer, reads back unchanged with icalendar
# (line breaks normalised to \n and control characters other than tab dropped).
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300))
def test_text_round_trip(text: str) -> None:
    line = ics_lines.fold(ics_lines.content_line("DESCRIPTION", text))
    assert all(len(part.encode()) <= 75 for part in line.split("\r\n"))
    event = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n")
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    expected = ics_lines.CONTROLS.sub("", expected)
    assert str(event["DESCRIPTION"]) == expected


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]),
                        min_size=1, max_size=30), min_size=1, max_size=5))
def test_categories_round_trip(names: list[str]) -> None:
    line = ics_lines.fold(ics_lines.content_line("CATEGORIES", names))
    event = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n")
    assert list(event["CATEGORIES"].cats) == names


def test_demo_workspace_exports(tmp_path: Path) -> None:
    demo = pytest.importorskip("socialdesk.core.demo")
    ws = Workspace.open(tmp_path / "demo.sqlite", create=True)
    try:
        demo.populate_demo(ws, "small", seed=1, today=date(2024, 3, 1))
        result = export_calendar(ws, tmp_path / "demo.ics", "ics", default_tz="Europe/London")
        dated = ws.conn.execute(
            "SELECT count(*) FROM posts WHERE scheduled_on IS NOT NULL"
        ).fetchone()[0]
    finally:
        ws.close()
    cal = icalendar.Calendar.from_ical((tmp_path / "demo.ics").read_bytes())
    assert len(cal.walk("VEVENT")) == result.posts == dated
    assert len(cal.walk("VTODO")) == result.todos
    assert cal.get_missing_tzids() == set()


def test_local_timezone_falls_back_to_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    import tzlocal

    from socialdesk.core.calendar.export import local_timezone

    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: "Europe/Vienna")
    assert local_timezone() == "Europe/Vienna"
    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: None)
    assert local_timezone() == "UTC"

    def broken() -> str:
        raise LookupError("no zone configured")

    monkeypatch.setattr(tzlocal, "get_localzone_name", broken)
    assert local_timezone() == "UTC"
