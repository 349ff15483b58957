"""Posts, asks, campaigns and settings as the shared calendar carries them."""

from __future__ import annotations

import time
from pathlib import Path

import icalendar
import pytest
import vobject
from radicale import item as radicale_item

from socialdesk.core.settings import update_setting
from socialdesk.core.sync.calendar_kinds import (
    CALENDAR_KINDS,
    SETTINGS_UID,
    AskDeferred,
    AskKind,
    CampaignKind,
    PostKind,
    SettingsKind,
    kind_of_text,
)
from socialdesk.core.sync.kind import KIND_ORDER, SyncFormatError
from socialdesk.store.workspace import Workspace

POSTS, ASKS = PostKind(), AskKind()


def _with_team_setting(ws: Workspace) -> None:
    update_setting(ws, "reshare", 0.25)
    update_setting(ws, "sender_business", "Rosie's Bakery")


def _radicale_accepts(text: str) -> None:
    """Radicale's own checks of a PUT body (what it refuses with 4xx)."""
    components = list(vobject.readComponents(text))
    radicale_item.check_and_sanitize_items(
        components, max_vevent_rrule_occurrence=1000, tag="VCALENDAR")
    item = radicale_item.Item(collection_path="team/calendar", vobject_item=components[0])
    item.prepare()


def test_every_demo_item_reads_back_as_written(demo: Workspace) -> None:
    _with_team_setting(demo)
    seen = {}
    for kind in CALENDAR_KINDS:
        records = kind.records(demo)
        seen[kind.name] = len(records)
        for uid, record in records.items():
            text = kind.to_text(uid, record)
            assert kind.from_text(text) == (uid, record), (kind.name, uid)
            assert kind_of_text(text) == kind.name
            icalendar.Calendar.from_ical(text)
    counts = {table: demo.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("campaigns", "posts", "asks")}
    assert seen == {"settings": 1, "campaign": counts["campaigns"], "post": counts["posts"],
                    "ask": counts["asks"]}
    assert min(seen.values()) > 0


def test_radicale_accepts_every_item(demo: Workspace) -> None:
    _with_team_setting(demo)
    for kind in CALENDAR_KINDS:
        for uid, record in kind.records(demo).items():
            _radicale_accepts(kind.to_text(uid, record))


def _add_contacts_like(source: Workspace, target: Workspace) -> None:
    """The contacts an ask needs, as the address book would have brought them."""
    rows = source.conn.execute("SELECT uid, name FROM contacts").fetchall()
    with target.transaction():
        target.conn.executemany("INSERT INTO contacts (uid, name) VALUES (?, ?)",
                                [tuple(r) for r in rows])


def test_a_second_computer_joining_gets_the_same_items(demo: Workspace,
                                                       workspace: Workspace) -> None:
    _with_team_setting(demo)
    _add_contacts_like(demo, workspace)
    order = sorted(CALENDAR_KINDS, key=lambda k: KIND_ORDER.index(k.name))
    for kind in order:
        with workspace.transaction():
            for uid, record in kind.records(demo).items():
                kind.apply(workspace, *kind.from_text(kind.to_text(uid, record)))
    for kind in order:
        assert kind.records(workspace) == kind.records(demo), kind.name


def test_applying_again_changes_only_what_changed(demo: Workspace) -> None:
    uid, record = next(iter(POSTS.records(demo).items()))
    changed = {**record, "title": "New title", "topics": ["zz new topic"],
               "channels": [{"platform": "Mastodon", "body": "toot"}]}
    with demo.transaction():
        POSTS.apply(demo, uid, changed)
    after = POSTS.records(demo)[uid]
    assert after["title"] == "New title"
    assert after["channels"] == [{"platform": "mastodon", "body": "toot"}]
    assert after["topics"] == ["zz new topic"]
    with demo.transaction():
        POSTS.delete(demo, uid)
        POSTS.delete(demo, uid)  # nothing left: no error
    assert uid not in POSTS.records(demo)


def test_an_ask_whose_partner_is_not_here_is_deferred(demo: Workspace,
                                                      workspace: Workspace) -> None:
    uid, record = next(iter(ASKS.records(demo).items()))
    with pytest.raises(AskDeferred, match="partner"):
        ASKS.apply(workspace, uid, record)
    assert ASKS.records(workspace) == {}


def test_an_ask_whose_post_is_not_here_keeps_no_post(demo: Workspace,
                                                     workspace: Workspace) -> None:
    _add_contacts_like(demo, workspace)
    uid, record = next((u, r) for u, r in ASKS.records(demo).items() if r["post"])
    ASKS.apply(workspace, uid, record)
    assert ASKS.records(workspace)[uid] == {**record, "post": None}


PHONE_EVENT = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Apple Inc.//iPhone OS 17.0//EN\r
BEGIN:VEVENT\r
UID:2F1C-phone-event\r
DTSTAMP:20260301T101500Z\r
DTSTART{start}\r
SUMMARY:Spring menu launch\r
END:VEVENT\r
END:VCALENDAR\r
"""


@pytest.mark.parametrize(("start", "day", "clock", "zone"), [
    (";TZID=Europe/Berlin:20260310T183000", "2026-03-10", "18:30", "Europe/Berlin"),
    (":20260310T173000Z", "2026-03-10", "17:30", "UTC"),
    (";VALUE=DATE:20260310", "2026-03-10", None, None),
    (":20260310T183000", "2026-03-10", "18:30", None),
])
def test_a_phones_new_event_reads_as_a_post(start: str, day: str, clock: str | None,
                                            zone: str | None) -> None:
    text = PHONE_EVENT.format(start=start)
    assert kind_of_text(text) == "post"
    uid, record = POSTS.from_text(text)
    assert uid == "2F1C-phone-event"
    assert (record["title"], record["scheduled_on"], record["scheduled_time"],
            record["timezone"]) == ("Spring menu launch", day, clock, zone)
    assert (record["status"], record["body"], record["channels"], record["topics"],
            record["campaign"], record["repeat_rule"]) == ("idea", "", [], [], None, None)


def test_an_event_moved_by_another_program_keeps_the_rest(demo: Workspace) -> None:
    uid, record = next((u, r) for u, r in POSTS.records(demo).items()
                       if r["scheduled_time"] and r["channels"] and not r["repeat_rule"]
                       and not r["evergreen_weeks"])
    calendar = icalendar.Calendar.from_ical(POSTS.to_text(uid, record))
    event = calendar.walk("VEVENT")[0]
    event["DTSTART"].dt = event.decoded("DTSTART").replace(year=2030, hour=7, minute=45)
    event["SUMMARY"] = icalendar.vText("Renamed on the phone")
    _, moved = POSTS.from_text(calendar.to_ical().decode())
    assert moved == {**record, "scheduled_on": "2030" + record["scheduled_on"][4:],
                     "scheduled_time": "07:45", "title": "Renamed on the phone"}


def test_an_undated_idea_is_out_of_the_way_and_comes_back_undated(demo: Workspace) -> None:
    uid, record = next((u, r) for u, r in POSTS.records(demo).items() if not r["scheduled_on"])
    text = POSTS.to_text(uid, record)
    assert "DTSTART;VALUE=DATE:19700101" in text
    assert POSTS.from_text(text) == (uid, record)
    moved = text.replace("DTSTART;VALUE=DATE:19700101", "DTSTART;VALUE=DATE:20270105")
    assert POSTS.from_text(moved)[1]["scheduled_on"] == "2027-01-05"


def test_a_phone_ticking_an_ask_done_records_a_share(demo: Workspace) -> None:
    uid, record = next((u, r) for u, r in ASKS.records(demo).items() if r["status"] == "asked")
    text = ASKS.to_text(uid, record).replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED")
    assert ASKS.from_text(text) == (uid, {**record, "status": "shared"})


def test_campaigns_have_distinct_stable_uids(demo: Workspace) -> None:
    first = CampaignKind().records(demo)
    assert len(first) == 3 and all(len(uid) >= 32 for uid in first)
    with demo.transaction():
        demo.conn.execute("INSERT INTO campaigns (name) VALUES ('Made by another tool')")
    second = CampaignKind().records(demo)
    assert set(first) < set(second) and len(second) == 4
    assert len(next(iter(set(second) - set(first)))) == 32  # the trigger's
    assert CampaignKind().records(demo) == second


def test_settings_travel_only_once_changed(workspace: Workspace) -> None:
    kind = SettingsKind()
    assert kind.records(workspace) == {}
    update_setting(workspace, "default_effort_minutes", 25)
    update_setting(workspace, "backup_daily", 3)  # this computer's own
    (uid, record), = kind.records(workspace).items()
    assert uid == SETTINGS_UID and record["default_effort_minutes"] == 25
    assert "backup_daily" not in record
    assert kind.from_text(kind.to_text(uid, record)) == (uid, record)
    kind.delete(workspace, uid)
    assert kind.records(workspace) == {}
    kind.apply(workspace, uid, record)
    assert kind.records(workspace) == {uid: record}


def _bounded(text: str, kind: object = POSTS) -> None:
    started = time.perf_counter()
    with pytest.raises(SyncFormatError):
        kind.from_text(text)  # type: ignore[attr-defined]
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("extra", [
    "X-SOCIALDESK-CHANNELS:" + "[" * 100_000 + "]" * 100_000,
    "X-SOCIALDESK-MEDIA:" + "[" * 50_000,
    "X-SOCIALDESK-MEDIA:[{\"path\": \"/etc/passwd\"}]",
    "X-SOCIALDESK-MEDIA:[{\"path\": \"../../secret\"}]",
    "X-SOCIALDESK-MEDIA:[{\"path\": \"C:\\\\\\\\ann\\\\\\\\secret.png\"}]",
    "X-SOCIALDESK-MEDIA:[{\"path\": \"C:secret.png\"}]",
    "X-SOCIALDESK-RESULTS:{\"reach\": -5}",
    "X-SOCIALDESK-RESULTS:{\"reach\": 1e400}",
    "X-SOCIALDESK-REPEAT:{\"repeat_until\": \"2026-02-30\"}",
    "X-SOCIALDESK-CHANNELS:[{\"platform\": \"" + "x" * 300_000 + "\"}]",
])
def test_hostile_x_properties_are_refused_quickly(extra: str) -> None:
    _bounded(PHONE_EVENT.format(start=":20260310T173000Z").replace(
        "SUMMARY:", extra + "\r\nSUMMARY:"))


@pytest.mark.parametrize("text", [
    "",
    "not a calendar",
    PHONE_EVENT.format(start=":20261310T173000Z"),
    PHONE_EVENT.format(start=":20260310T173000Z").replace("UID:2F1C-phone-event\r\n", ""),
    PHONE_EVENT.format(start=":20260310T173000Z").replace(
        "SUMMARY:", "DESCRIPTION:" + "x" * 1_100_000 + "\r\nSUMMARY:"),
    PHONE_EVENT.format(start=":20260310T173000Z").replace("X", "X") * 2,
])
def test_unreadable_objects_are_a_format_error(text: str) -> None:
    _bounded(text)


def test_an_ask_with_a_bad_date_is_a_format_error(demo: Workspace) -> None:
    uid, record = next(iter(ASKS.records(demo).items()))
    text = ASKS.to_text(uid, {**record, "due_on": None}).replace(
        '"asked_on":"', '"asked_on":"9999-99-99","was":"')
    _bounded(text, ASKS)


def test_a_post_from_another_kind_is_refused(demo: Workspace) -> None:
    uid, record = next(iter(CampaignKind().records(demo).items()))
    with pytest.raises(SyncFormatError, match="campaign"):
        SettingsKind().from_text(CampaignKind().to_text(uid, record))


def test_records_take_a_few_queries_whatever_the_number_of_items(demo: Workspace) -> None:
    _with_team_setting(demo)
    statements: list[str] = []
    demo.conn.set_trace_callback(statements.append)
    try:
        for kind in CALENDAR_KINDS:
            statements.clear()
            assert kind.records(demo)
            assert len(statements) <= 5, (kind.name, statements)
    finally:
        demo.conn.set_trace_callback(None)


@pytest.mark.slow
def test_records_of_the_large_demo_are_every_post_and_ask(tmp_path: Path) -> None:
    """Their speed is measured in bench/bench_sync_records.py."""
    from socialdesk.core.demo import create_demo

    path = tmp_path / "large.sqlite"
    create_demo(path, size="large", seed=1)
    with Workspace.open(path) as ws:
        posts, asks = POSTS.records(ws), ASKS.records(ws)
        counts = [ws.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("posts", "asks")]
    assert [len(posts), len(asks)] == counts and min(counts) > 10_000


def test_one_date_of_a_repeating_post_changed_elsewhere_keeps_the_series(
        demo: Workspace) -> None:
    uid, record = next((u, r) for u, r in POSTS.records(demo).items()
                       if r["evergreen_weeks"] and r["scheduled_time"])
    text = POSTS.to_text(uid, record)
    event = text[text.index("BEGIN:VEVENT"):text.index("END:VEVENT") + 12]
    moved = (event.replace("RRULE:", "X-WAS-RRULE:")
             .replace("BEGIN:VEVENT\r\n", "BEGIN:VEVENT\r\nRECURRENCE-ID;TZID="
                      f"{record['timezone']}:20300101T090000\r\n"))
    both = text.replace("END:VCALENDAR", moved + "END:VCALENDAR")
    assert POSTS.from_text(both) == (uid, record)


def test_seconds_of_another_programs_time_are_dropped() -> None:
    _, record = POSTS.from_text(PHONE_EVENT.format(start=":20260310T173015Z"))
    assert record["scheduled_time"] == "17:30"


OWN_ZONE = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Microsoft Corporation//Outlook 16.0//EN\r
BEGIN:VTIMEZONE\r
TZID:Bakery Time\r
BEGIN:STANDARD\r
DTSTART:16010101T000000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0100\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:outlook-1\r
DTSTAMP:20260301T101500Z\r
DTSTART;TZID="Bakery Time":20260310T183000\r
SUMMARY:Tasting evening\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_time_in_a_zone_of_its_own_is_read_in_utc() -> None:
    _, record = POSTS.from_text(OWN_ZONE)
    assert (record["scheduled_on"], record["scheduled_time"], record["timezone"]) == (
        "2026-03-10", "17:30", "UTC")


def _with_x(extra: str) -> str:
    return PHONE_EVENT.format(start=";VALUE=DATE:20260310").replace(
        "SUMMARY:", extra + "\r\nSUMMARY:")


def test_channels_from_another_version_read_as_the_workspace_keeps_them(
        workspace: Workspace) -> None:
    uid, record = POSTS.from_text(_with_x(
        'X-SOCIALDESK-CHANNELS:[{"platform": "Mastodon"\\, "body": ""}\\, '
        '{"platform": "mastodon"\\, "body": "toot"}\\, {"platform": "Carrier pigeon"}]'))
    assert record["channels"] == [{"platform": "Carrier pigeon", "body": None},
                                  {"platform": "mastodon", "body": "toot"}]
    POSTS.apply(workspace, uid, record)
    assert POSTS.records(workspace)[uid] == record


def test_topics_and_channels_keep_one_order_whatever_their_letters(
        workspace: Workspace) -> None:
    uid, record = POSTS.from_text(_with_x(
        "CATEGORIES:Zest,Éz,éa,Eclairs long,apple\r\n"
        r'X-SOCIALDESK-CHANNELS:[{"platform": "Ébéniste club"}\, {"platform": "Zine"}\, '
        '{"platform": "blog"}]'))
    assert record["topics"] == ["apple", "Eclairs long", "Zest", "éa", "Éz"]
    POSTS.apply(workspace, uid, record)
    assert POSTS.records(workspace)[uid] == record


@pytest.mark.parametrize("extra", [
    'X-SOCIALDESK-RESULTS:{"occurrences": [{"on": "2026-03-17"\\, "status": "published"}\\, '
    '{"on": "2026-03-17"\\, "status": "skipped"}]}',
])
def test_a_date_given_results_twice_is_a_format_error(extra: str) -> None:
    _bounded(_with_x(extra))


def test_an_ask_with_the_same_visit_period_twice_is_a_format_error(demo: Workspace) -> None:
    uid, record = next(iter(ASKS.records(demo).items()))
    visit = {"first_day": "2026-01-01", "last_day": "2026-01-07", "visits": 3,
             "source_file": "a.csv"}
    _bounded(ASKS.to_text(uid, {**record, "visits": [visit, {**visit, "visits": 4}]}), ASKS)


def test_deeply_nested_components_are_a_format_error() -> None:
    nested = "BEGIN:VALARM\r\n" * 40_000 + "END:VALARM\r\n" * 40_000
    _bounded(PHONE_EVENT.format(start=":20260310T173000Z").replace(
        "BEGIN:VEVENT\r\n", "BEGIN:VEVENT\r\n" + nested, 1))


def test_another_programs_to_do_is_not_taken_for_an_ask() -> None:
    todo = PHONE_EVENT.replace("VEVENT", "VTODO").format(start=";VALUE=DATE:20260310")
    assert kind_of_text(todo) is None
    assert kind_of_text(todo.replace("VTODO", "VJOURNAL")) is None


@pytest.mark.parametrize("change", [
    {"timezone": None},  # a floating time
    {"timezone": "Mars/Olympus_Mons"},  # a zone zoneinfo does not know
    {"timezone": "Etc/UTC"},
    {"scheduled_on": None, "scheduled_time": None},  # an idea that will repeat
    {"repeat_rule": "weekly", "evergreen_weeks": 1},
])
def test_repeats_read_back_whatever_the_time_zone(demo: Workspace, change: dict) -> None:
    uid, record = next((u, r) for u, r in POSTS.records(demo).items()
                       if r["scheduled_time"] and not r["repeat_rule"])
    record = {**record, "repeat_rule": "monthly", "repeat_until": "2031-06-30",
              "evergreen_weeks": None, **change}
    text = POSTS.to_text(uid, record)
    _radicale_accepts(text)
    assert POSTS.from_text(text) == (uid, record)


def test_own_channels_travel_with_the_settings(demo: Workspace, workspace: Workspace) -> None:
    kind = SettingsKind()
    (uid, record), = kind.records(demo).items()
    assert [c["platform"] for c in record["channels"]] == [
        "facebook", "instagram", "newsletter", "tiktok"]
    kind.apply(workspace, *kind.from_text(kind.to_text(uid, record)))
    assert kind.records(workspace) == {uid: record}
    ids = dict(workspace.conn.execute("SELECT platform, id FROM channels").fetchall())
    fewer = [{**c, "followers": 5000} for c in record["channels"] if c["platform"] != "tiktok"]
    kind.apply(workspace, uid, {**record, "channels": fewer})
    assert kind.records(workspace)[uid]["channels"] == fewer
    after = dict(workspace.conn.execute("SELECT platform, id FROM channels").fetchall())
    assert after == {k: v for k, v in ids.items() if k != "tiktok"}  # the same rows


def _timed(demo: Workspace, **change: object) -> tuple[str, dict]:
    uid, record = next((u, r) for u, r in POSTS.records(demo).items() if r["scheduled_time"])
    return uid, {**record, "scheduled_on": "2027-03-01", "scheduled_time": "18:30",
                 "timezone": "Europe/Berlin", "repeat_rule": None, "repeat_until": None,
                 "evergreen_weeks": None, **change}


@pytest.mark.parametrize(("change", "in_utc"), [
    ({}, True),
    ({"scheduled_on": "2027-10-31", "scheduled_time": "02:30"}, True),  # the hour twice
    ({"scheduled_on": "2027-03-28", "scheduled_time": "02:30"}, False),  # an hour skipped
    ({"repeat_rule": "weekly"}, False),  # keeps its time of day across summer time
    ({"evergreen_weeks": 4}, False),
])
def test_a_post_that_does_not_repeat_travels_in_utc_and_comes_back_in_its_zone(
        demo: Workspace, change: dict, in_utc: bool) -> None:
    uid, record = _timed(demo, **change)
    text = POSTS.to_text(uid, record)
    _radicale_accepts(text)
    assert ("BEGIN:VTIMEZONE" not in text) == in_utc
    assert ("DTSTART:2027" in text and "Z\r\n" in text.split("DTSTART:")[1][:20]) == in_utc
    assert POSTS.from_text(text) == (uid, record)


def test_a_phone_moving_a_post_sent_in_utc_keeps_the_posts_zone(demo: Workspace) -> None:
    from datetime import UTC, datetime

    uid, record = _timed(demo)
    calendar = icalendar.Calendar.from_ical(POSTS.to_text(uid, record))
    event = calendar.walk("VEVENT")[0]
    event["DTSTART"].dt = datetime(2027, 7, 1, 6, 45, tzinfo=UTC)  # summer: UTC+2
    _, moved = POSTS.from_text(calendar.to_ical().decode())
    assert moved == {**record, "scheduled_on": "2027-07-01", "scheduled_time": "08:45"}
