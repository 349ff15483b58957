"""Importing again matches on UID: newer events update posts, nothing is duplicated."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ics_import_helpers import calendar, counts, event, posts

from socialdesk.core.calendar.importing import import_calendar
from socialdesk.store.workspace import Workspace

Write = Callable[..., Path]


def test_same_file_twice_adds_nothing(ws: Workspace, write: Write) -> None:
    path = write(calendar(
        event("CATEGORIES:bread", uid="a"),
        event("RRULE:FREQ=DAILY;COUNT=3", uid="b", start="DTSTART;VALUE=DATE:20300101"),
    ))
    first = import_calendar(ws, path)
    assert (first.imported, first.merged, first.skipped) == (4, 0, 0)
    after_first = counts(ws)
    second = import_calendar(ws, path)
    assert second.as_json() == {"imported": 0, "merged": 0, "unchanged": 4, "skipped": 0,
                               "problems": []}
    assert second.unchanged == 4
    assert counts(ws) == after_first


def test_higher_sequence_updates_what_the_file_says_and_keeps_the_rest(
    ws: Workspace, write: Write
) -> None:
    import_calendar(ws, write(calendar(event(
        "SEQUENCE:1", "CATEGORIES:bread", "DESCRIPTION:Old text", "LOCATION:Shop",
        summary="Old title",
    ))))
    with ws.transaction():  # the user adds notes and a channel in SocialDesk
        ws.conn.execute("UPDATE posts SET notes = 'call Ann first'")
        ws.conn.execute("INSERT INTO post_channels (post_id, platform) SELECT id, 'instagram' "
                        "FROM posts")
    report = import_calendar(ws, write(calendar(event(
        "SEQUENCE:2", "CATEGORIES:cakes", "DESCRIPTION:New text", "STATUS:CONFIRMED",
        "LOCATION:Market hall", summary="New title",
        start="DTSTART;TZID=Europe/Paris:20300108T120000",
    ))))
    assert (report.imported, report.merged) == (0, 1)
    (post,) = posts(ws).values()
    assert (post["title"], post["body"], post["status"], post["sequence"]) \
        == ("New title", "New text", "scheduled", 2)
    assert (post["scheduled_on"], post["scheduled_time"], post["timezone"]) \
        == ("2030-01-08", "12:00", "Europe/Paris")
    assert post["topics"] == ["cakes"]
    assert post["notes"] == "call Ann first"
    assert post["location"] == "Market hall"
    assert post["channels"] == {"instagram": None}


def test_newer_last_modified_updates_and_raises_the_sequence(
    ws: Workspace, write: Write
) -> None:
    import_calendar(ws, write(calendar(event("SEQUENCE:3", summary="Before"))))
    report = import_calendar(ws, write(calendar(event(
        "SEQUENCE:3", "LAST-MODIFIED:20990101T000000Z", summary="After",
    ))))
    assert report.merged == 1
    (post,) = posts(ws).values()
    assert (post["title"], post["sequence"]) == ("After", 4)


def test_older_or_equal_copies_never_overwrite(ws: Workspace, write: Write) -> None:
    import_calendar(ws, write(calendar(event("SEQUENCE:5", summary="Current"))))
    for props in (["SEQUENCE:5"], ["SEQUENCE:4"], ["SEQUENCE:5", "LAST-MODIFIED:20000101T000000Z"]):
        report = import_calendar(ws, write(calendar(event(*props, summary="Stale"))))
        assert (report.imported, report.merged, report.unchanged) == (0, 0, 1)
    assert next(iter(posts(ws).values()))["title"] == "Current"


def test_newer_but_identical_is_not_counted_as_merged(ws: Workspace, write: Write) -> None:
    import_calendar(ws, write(calendar(event("SEQUENCE:1"))))
    report = import_calendar(ws, write(calendar(event("SEQUENCE:2"))))
    assert (report.merged, report.unchanged) == (0, 1)
    assert next(iter(posts(ws).values()))["sequence"] == 1


def test_edits_made_in_socialdesk_survive_importing_the_old_file(
    ws: Workspace, write: Write
) -> None:
    path = write(calendar(event("SEQUENCE:0", summary="From the file")))
    import_calendar(ws, path)
    with ws.transaction():  # the editor raises SEQUENCE and updated_at on every change
        ws.conn.execute("UPDATE posts SET title = 'Edited', sequence = sequence + 1")
    report = import_calendar(ws, path)
    assert (report.merged, report.unchanged) == (0, 1)
    assert next(iter(posts(ws).values()))["title"] == "Edited"


def test_moving_an_occurrence_updates_only_that_post(ws: Workspace, write: Write) -> None:
    series = event("RRULE:FREQ=DAILY;COUNT=3", "SEQUENCE:0", uid="s",
                   start="DTSTART;VALUE=DATE:20300101")
    import_calendar(ws, write(calendar(series)))
    moved = event("RECURRENCE-ID;VALUE=DATE:20300102", "SEQUENCE:1", uid="s",
                  summary="Moved", start="DTSTART;VALUE=DATE:20300105")
    report = import_calendar(ws, write(calendar(series, moved)))
    assert (report.imported, report.merged, report.unchanged) == (0, 1, 2)
    found = posts(ws)
    assert (found["s/2030-01-02"]["title"], found["s/2030-01-02"]["scheduled_on"]) \
        == ("Moved", "2030-01-05")


def test_a_series_imported_before_series_were_kept_is_linked_by_importing_it_again(
    ws: Workspace, write: Write
) -> None:
    path = write(calendar(event("RRULE:FREQ=DAILY;COUNT=3", "EXDATE;VALUE=DATE:20300102",
                                uid="b", start="DTSTART;VALUE=DATE:20300101")))
    import_calendar(ws, path)
    with ws.transaction():  # as an import of an older SocialDesk left it
        ws.conn.execute("UPDATE posts SET series_id = NULL, recurrence_id = NULL")
        ws.conn.execute("DELETE FROM post_series")
    before = ws.conn.execute("SELECT uid, updated_at, sequence FROM posts").fetchall()
    again = import_calendar(ws, path)
    assert (again.imported, again.merged, again.unchanged) == (0, 0, 2)
    assert ws.conn.execute("SELECT uid, updated_at, sequence FROM posts").fetchall() == before
    assert [tuple(r) for r in ws.conn.execute(
        "SELECT p.uid, s.uid, p.recurrence_id, s.exdates FROM posts p "
        "JOIN post_series s ON s.id = p.series_id ORDER BY p.uid")] == [
        ("b/2030-01-01", "b", "20300101", "20300102"),
        ("b/2030-01-03", "b", "20300103", "20300102")]
