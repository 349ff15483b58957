"""``socialdesk import calendar FILE.ics [--json]``: posts in, one message on failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared_files import INTEROP
from socialdesk.cli import main
from socialdesk.store.workspace import Workspace

INTEROP_ICS = INTEROP / "ics"
CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:a@test\r\nSUMMARY:Bread\\, butter\r\nDTSTART;VALUE=DATE:20300101\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:b@test\r\nSUMMARY:No start\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:c@test\r\nSUMMARY:Weekly\r\nDTSTART:20300102T090000\r\n"
    "RRULE:FREQ=WEEKLY;COUNT=4\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def titles(path: Path) -> list[str]:
    with Workspace.open_readonly(path) as ws:
        return [row[0] for row in ws.conn.execute("SELECT title FROM posts ORDER BY uid")]


def test_json_report_and_no_duplicates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "plan.ics"
    source.write_text(CALENDAR, encoding="utf-8")
    workspace = tmp_path / "new.sqlite"
    assert main(["import", "calendar", str(source), "--json", "--workspace", str(workspace)]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "imported": 2, "merged": 0, "unchanged": 0, "skipped": 1,
        "problems": [{"line": 9, "message": "event without a start date (DTSTART) left out."}],
    }
    assert titles(workspace) == ["Bread, butter", "Weekly"]
    assert main(["--workspace", str(workspace), "import", "calendar", str(source)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Nothing changed: the 2 posts in plan.ics are already there.")
    assert f"{source}, line 9: event without a start date" in out
    assert titles(workspace) == ["Bread, butter", "Weekly"]


def test_a_broken_event_is_listed_with_its_line_and_the_rest_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "broken.ics"
    source.write_text(CALENDAR.replace("DTSTART:20300102T090000", "DTSTART;;X:1"))
    workspace = tmp_path / "w.sqlite"
    assert main(["import", "calendar", str(source), "--workspace", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Imported 1 post from broken.ics.")
    assert f"{source}, line 16: this line cannot be read" in out
    assert titles(workspace) == ["Bread, butter"]


def test_a_file_of_which_nothing_can_be_read_names_the_line_and_imports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "broken.ics"
    source.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;;X:1\r\n"
                      "END:VEVENT\r\nEND:VCALENDAR\r\n")
    workspace = tmp_path / "w.sqlite"
    assert main(["import", "calendar", str(source), "--workspace", str(workspace)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"socialdesk: {source}, line 4: this line cannot be read")
    assert err.rstrip().endswith("Nothing was imported.")
    assert titles(workspace) == []


def test_an_old_series_starts_today_or_on_the_date_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALDESK_TODAY", "2026-06-15")
    source = tmp_path / "club.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:club@test\r\nSUMMARY:Club\r\nDTSTART;VALUE=DATE:20190107\r\n"
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TH\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")

    def first_and_count(*options: str) -> tuple[str, int]:
        workspace = tmp_path / f"w{len(options)}.sqlite"
        assert main(["import", "calendar", str(source), "--workspace", str(workspace),
                     *options]) == 0
        with Workspace.open_readonly(workspace) as ws:
            row = ws.conn.execute("SELECT min(scheduled_on), count(*) FROM posts").fetchone()
            return tuple(row)

    assert first_and_count() == ("2026-06-15", 105)
    assert first_and_count("--from", "2025-01-01") == ("2025-01-02", 104)
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["import", "calendar", str(source), "--from", "last year"])
    assert "is not a date" in capsys.readouterr().err


def test_not_a_calendar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "notes.ics"
    source.write_text("shopping list\nflour\n")
    assert main(["import", "calendar", str(source), "--workspace", str(tmp_path / "w")]) == 1
    assert f"{source}, line 1: this is not an iCalendar file" in capsys.readouterr().err


@pytest.mark.skipif(not INTEROP_ICS.is_dir(), reason="interop corpus not present")
@pytest.mark.parametrize(
    "path", sorted(INTEROP_ICS.glob("*.ics")) if INTEROP_ICS.is_dir() else [],
    ids=lambda p: p.name,
)
def test_interop_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], path: Path) -> None:
    code = main(["import", "calendar", str(path), "--json", "--from", "2000-01-01",
                 "--workspace", str(tmp_path / "w.sqlite")])
    captured = capsys.readouterr()
    if path.name == "icalendar_broken_double_semicolon_invalid.ics":  # its only event
        assert code == 1
        assert captured.err.startswith(f"socialdesk: {path}, line ")
        assert titles(tmp_path / "w.sqlite") == []
    else:
        assert code == 0, captured.err
        assert json.loads(captured.out)["imported"] == len(titles(tmp_path / "w.sqlite")) > 0


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "socialdesk", *args], capture_output=True,
                          text=True, timeout=120, env=os.environ.copy())


def test_a_calendar_csv_round_trips_through_the_command_line(demo_path: Path,
                                                             tmp_path: Path) -> None:
    exported = tmp_path / "calendar.csv"
    done = _cli("--workspace", str(demo_path), "export", "calendar", "--format", "csv",
                "--out", str(exported))
    assert done.returncode == 0, done.stderr
    workspace = tmp_path / "copy.sqlite"
    first = _cli("import", "calendar", str(exported), "--json", "--workspace", str(workspace))
    assert first.returncode == 0, first.stderr
    with Workspace.open_readonly(demo_path) as demo:
        count = demo.conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    assert json.loads(first.stdout) == {"imported": count, "merged": 0, "unchanged": 0,
                                        "skipped": 0, "problems": []}
    again = _cli("import", "calendar", str(exported), "--workspace", str(workspace))
    assert again.returncode == 0 and again.stdout.startswith(
        f"Nothing changed: the {count} posts in {exported.name} are already there.")
    assert len(titles(workspace)) == count

    broken = tmp_path / "broken.csv"
    broken.write_text('uid,title,text,date\r\na,"never closed,x,2030-01-01\r\n')
    failed = _cli("import", "calendar", str(broken), "--workspace", str(workspace))
    assert failed.returncode == 1
    assert failed.stderr.startswith(f"socialdesk: {broken}, line 2: the CSV structure is broken")
    assert failed.stderr.rstrip().endswith("Nothing was imported.")
    assert len(titles(workspace)) == count


def test_templates_are_listed(tmp_path: Path) -> None:
    from socialdesk.store import post_templates
    from socialdesk.store.post_templates import PostTemplate

    workspace = tmp_path / "w.sqlite"
    with Workspace.open(workspace, create=True) as ws:
        post_templates.create_template(ws, PostTemplate(
            0, "Weekly bread", title="Bread of the week", body="Today: …",
            channels=(("instagram", None), ("mastodon", "Today! #bread")), topics=("bread",)))
    listed = _cli("templates", "--workspace", str(workspace))
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip() == ("Weekly bread: Bread of the week (instagram, mastodon; "
                                     "topics bread)")
    as_json = json.loads(_cli("templates", "--json", "--workspace", str(workspace)).stdout)
    assert as_json[0]["channels"] == [{"platform": "instagram", "text": None},
                                      {"platform": "mastodon", "text": "Today! #bread"}]
