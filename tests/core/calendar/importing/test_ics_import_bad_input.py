"""Bad files: one clear message naming the file and the line, and nothing imported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ics_import_helpers import calendar, counts, event

from socialdesk.core.calendar.importing import (
    CalendarImportCancelled,
    CalendarImportError,
    import_calendar,
)
from socialdesk.store.workspace import Workspace

Write = Callable[..., Path]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


@pytest.mark.parametrize(("data", "line", "words"), [
    (b"", 1, "empty"),
    (b"\r\n  \r\n", 1, "empty"),
    (b"Dear Anna,\nhere is the plan.\n", 1, "not an iCalendar file"),
    (b"\n\nBEGIN:VCARD\nFN:Ann\nEND:VCARD\n", 3, "contacts (vCard)"),
    (PNG, 3, "not a text file"),  # the line of the first NUL byte
    (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20300101\nEND:VCALENDAR\n", 4,
     "END:VCALENDAR where END:VEVENT was expected (BEGIN:VEVENT is on line 2)"),
    (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20300101\n", 2, "never closed"),
    (b"BEGIN:VCALENDAR\nEND:VEVENT\nEND:VCALENDAR\n", 2,
     "END:VEVENT where END:VCALENDAR was expected"),
    (b"BEGIN:VCALENDAR\nEND:VCALENDAR\nEND:VEVENT\n", 3, "without a matching BEGIN"),
    (b"BEGIN:VCALENDAR\nEND:VCALENDAR\nSUMMARY:stray\n", 3, "outside the calendar"),
    (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nthis line has no colon\nEND:VEVENT\n"
     b"END:VCALENDAR\n", 4, "this line cannot be read"),
    (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART;;VALUE=DATE:20300101\nEND:VEVENT\n"
     b"END:VCALENDAR\n", 4, "this line cannot be read"),
    (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nSUMMARY:x\n DESCRIPTION-ish\nDTSTART:2030-01-01"
     b"\nEND:VEVENT\nEND:VCALENDAR\n", 6, "DTSTART has a value that cannot be read"),
    (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART:20300101\nRRULE:FREQ=SOMETIMES\n"
     b"END:VEVENT\nEND:VCALENDAR\n", 5, "RRULE has a value that cannot be read"),
    (b"BEGIN:VCALENDAR\nBEGIN:VTODO\nUID:1\nDUE:tomorrow\nEND:VTODO\nEND:VCALENDAR\n", 4,
     "DUE has a value that cannot be read"),
])
def test_a_file_that_fails_as_a_whole_names_its_line_and_writes_nothing(
    demo: Workspace, write: Write, data: bytes, line: int, words: str
) -> None:
    path = write(data)
    before = counts(demo)
    with pytest.raises(CalendarImportError) as failed:
        import_calendar(demo, path, include_todos=True)
    assert str(failed.value).startswith(f"{path}, line {line}: "), str(failed.value)
    assert words in str(failed.value)
    assert counts(demo) == before


def test_one_event_without_a_start_is_listed_and_the_rest_imported(
    ws: Workspace, write: Write
) -> None:
    path = write(calendar(event(uid="a"), event(uid="b", start=None), event(uid="c")))
    report = import_calendar(ws, path)
    assert report.as_json() == {
        "imported": 2, "merged": 0, "unchanged": 0, "skipped": 1,
        "problems": [{"line": 9, "message": "event without a start date (DTSTART) left out."}],
    }


def test_a_bad_value_loses_only_its_own_event_listed_with_its_line(
    ws: Workspace, write: Write
) -> None:
    path = write(calendar(
        event(uid="good-1", summary="Kept"),                                    # lines 4-8
        event("EXDATE;VALUE=DATE:", uid="empty-exdate", summary="Gone 1"),      # 9-14
        event(uid="semicolons", summary="Gone 2",                               # 15-19
              start="DTSTART;;VALUE=DATE-TIME:20300109T093000"),
        event("RRULE:FREQ=SOMETIMES", uid="bad-rule", summary="Gone 3"),        # 20-25
        event("DESCRIPTION:no colon follows", "this line has no colon",         # 26-32
              uid="no-colon", summary="Gone 4"),
        event(uid="good-2", summary="Also kept", start="DTSTART:20300110T100000"),  # 33-37
    ))
    before = counts(ws)
    report = import_calendar(ws, path)
    assert (report.imported, report.skipped) == (2, 4)
    assert [(p.line, p.message.split(":")[0]) for p in report.problems] == [
        (13, "EXDATE has a value that cannot be read"),
        (18, "this line cannot be read"),
        (24, "RRULE has a value that cannot be read"),
        (31, "this line cannot be read"),
    ]
    assert all(p.message.endswith("this event was left out.") for p in report.problems)
    assert counts(ws)["posts"] == before["posts"] + 2
    titles = {row[0] for row in ws.conn.execute("SELECT title FROM posts")}
    assert titles == {"Kept", "Also kept"}


def test_a_file_whose_every_event_is_bad_fails_as_a_whole(ws: Workspace, write: Write) -> None:
    path = write(calendar(
        event("EXDATE;VALUE=DATE:", uid="a"),
        event("EXDATE:2030", uid="b"),
    ))
    with pytest.raises(CalendarImportError) as failed:
        import_calendar(ws, path)
    assert str(failed.value).startswith(f"{path}, line 8: EXDATE has a value that cannot")
    assert counts(ws)["posts"] == 0


def test_a_missing_file(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(CalendarImportError, match="cannot be read"):
        import_calendar(ws, tmp_path / "nowhere.ics")


def test_utf16_and_windows_1252_files_are_read(ws: Workspace, write: Write) -> None:
    text = calendar(event(summary="Crème brûlée")).decode()
    import_calendar(ws, write(text.encode("utf-16"), "a.ics"))
    import_calendar(ws, write(text.replace("e1@test", "e2").encode("cp1252"), "b.ics"))
    titles = [row[0] for row in ws.conn.execute("SELECT title FROM posts ORDER BY uid")]
    assert titles == ["Crème brûlée", "Crème brûlée"]


@pytest.mark.parametrize("stop_at", [0, 1, 2, 3])
def test_cancel_at_any_point_writes_nothing(ws: Workspace, write: Write, stop_at: int) -> None:
    path = write(calendar(*(event(uid=f"e{i}") for i in range(450))))
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) <= stop_at

    before = counts(ws)
    with pytest.raises(CalendarImportCancelled, match="nothing was imported"):
        import_calendar(ws, path, progress=progress)
    assert counts(ws) == before
    assert len(calls) == stop_at + 1


def test_progress_reaches_the_total(ws: Workspace, write: Write) -> None:
    path = write(calendar(*(event(uid=f"e{i}") for i in range(450))))
    calls: list[tuple[int, int]] = []
    import_calendar(ws, path, progress=lambda done, total: calls.append((done, total)) or True)
    assert calls[-1][0] == calls[-1][1] > 0
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
