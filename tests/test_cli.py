"""The command line: version, demo, check, workspace selection, exit codes."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bad_workspaces import make_hostile
from socialdesk import __version__
from socialdesk.cli import main
from socialdesk.store import migrations
from socialdesk.store.workspace import Workspace


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "socialdesk", *args], capture_output=True,
                          text=True, timeout=120, env=os.environ.copy())


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"SocialDesk {__version__}"


def test_unknown_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["frobnicate"])
    assert stopped.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_demo_writes_a_workspace_that_checks_ok(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.db"
    assert main(["demo", str(path), "--size", "small", "--seed", "3"]) == 0
    assert "contacts" in capsys.readouterr().out
    assert main(["check", "--workspace", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ok" in out and f"Schema version {migrations.latest_version()}" in out


def test_demo_refuses_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.db"
    path.write_text("precious")
    assert main(["demo", str(path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_text() == "precious"


def test_workspace_option_before_or_after_the_subcommand_and_from_env(
        demo_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--workspace", str(demo_path), "check"]) == 0
    assert main(["check", "--workspace", str(demo_path)]) == 0
    monkeypatch.setenv("SOCIALDESK_WORKSPACE", str(demo_path))
    assert main(["check"]) == 0
    assert capsys.readouterr().out.count(str(demo_path)) == 3


def test_check_never_modifies_the_workspace(demo_path: Path) -> None:
    before = digest(demo_path)
    assert main(["check", "--workspace", str(demo_path)]) == 0
    assert digest(demo_path) == before


def test_check_on_a_missing_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--workspace", str(tmp_path / "nope.db")]) == 1
    assert "no workspace here" in capsys.readouterr().err
    assert not (tmp_path / "nope.db").exists()


def test_check_on_the_default_workspace_that_does_not_exist(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 1
    assert "workspace.sqlite: no workspace here" in capsys.readouterr().err


def test_check_on_a_file_that_is_not_a_database(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "photo.db"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    before = digest(path)
    assert main(["check", "--workspace", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and "not a SQLite database" in err
    assert digest(path) == before


@pytest.mark.parametrize("damage", ["truncate", "zero_header", "scribble_pages"])
def test_check_on_a_damaged_workspace(demo_path: Path, damage: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(demo_path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "zero_header":
        data[:100] = bytes(100)
    else:
        page = 4096
        for number in range(2, len(data) // page, 3):
            data[number * page + 100: number * page + 400] = b"\xa5" * 300
    demo_path.write_bytes(bytes(data))
    before = digest(demo_path)
    assert main(["check", "--workspace", str(demo_path)]) == 1
    err = capsys.readouterr().err
    assert str(demo_path) in err
    assert "damaged" in err or "not a SQLite database" in err
    assert digest(demo_path) == before


def test_check_on_a_newer_workspace(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(demo_path) as conn:
        conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    assert main(["check", "--workspace", str(demo_path)]) == 1
    assert "newer SocialDesk" in capsys.readouterr().err


def test_check_refuses_a_workspace_that_would_run_sql_of_its_own(
        demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = make_hostile(demo_path, "trigger")
    before = digest(demo_path)
    assert main(["check", "--workspace", str(demo_path)]) == 1
    err = capsys.readouterr().err
    assert str(demo_path) in err and f"'{name}'" in err and "SocialDesk does not create" in err
    assert digest(demo_path) == before


def test_quit_after_startup_opens_the_demo_and_reports_the_time(demo_path: Path) -> None:
    done = run("--workspace", str(demo_path), "--quit-after-startup")
    assert done.returncode == 0, done.stderr
    assert "Started in" in done.stdout and "ms" in done.stdout
    with Workspace.open(demo_path) as ws:  # still a healthy workspace afterwards
        assert ws.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_gui_on_a_file_that_is_not_a_workspace_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    path.write_text("not a database")
    done = run("--workspace", str(path), "--quit-after-startup")
    assert done.returncode == 1
    assert "not a SQLite database" in done.stderr
    assert path.read_text() == "not a database"


def test_screenshot_of_each_view(demo_path: Path, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    # Each in a process of its own, as the command runs: its event loop ends the app.
    for view in ("today", "calendar", "contacts", "partners", "planner", "reports"):
        target = tmp_path / f"{view}.png"
        done = run("--workspace", str(demo_path), "--screenshot", str(target), "--view", view)
        assert done.returncode == 0, done.stderr
        image = QImage(str(target))
        assert (image.width(), image.height()) == (1280, 800)
        # A real picture, not a blank window: many distinct colours.
        colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
        assert len(colours) > 8, view


def test_python_dash_m_works() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("SocialDesk")


def test_export_calendar_writes_an_ics_every_dated_post_is_in(
        demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import icalendar

    out = tmp_path / "plan.ics"
    assert main(["export", "calendar", "--format", "ics", "--out", str(out),
                 "--workspace", str(demo_path)]) == 0
    assert "Wrote" in capsys.readouterr().out
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    with Workspace.open_readonly(demo_path) as ws:
        expected = {r[0] for r in ws.conn.execute(
            "SELECT uid FROM posts WHERE scheduled_on IS NOT NULL")}
    assert uids == expected


VCARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Locked Out\r\nEMAIL:locked@out.example\r\n"
         "END:VCARD\r\n")
ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Test//EN\r\nBEGIN:VEVENT\r\n"
       "UID:locked@test\r\nSUMMARY:Locked out\r\nDTSTART;VALUE=DATE:20300101\r\nEND:VEVENT\r\n"
       "END:VCALENDAR\r\n")


def _writing_command(command: str, workspace: Path, tmp_path: Path) -> list[str]:
    """The arguments of a command that writes ``workspace``, with the files it needs."""
    if command == "import contacts":
        (tmp_path / "in.vcf").write_text(VCARD, encoding="utf-8")
        return ["import", "contacts", str(tmp_path / "in.vcf")]
    if command == "import calendar":
        (tmp_path / "in.ics").write_text(ICS, encoding="utf-8")
        return ["import", "calendar", str(tmp_path / "in.ics")]
    if command == "restore":
        from socialdesk.core.backup.create import make_backup

        with Workspace.open(workspace) as ws:
            made = make_backup(ws, tmp_path / "made", "manual")
        return ["restore", str(made.path), "--yes"]
    if command == "backup --to":
        return ["backup", "--to", str(tmp_path / "elsewhere")]
    return [command]


@pytest.mark.parametrize("command", ["import contacts", "import calendar", "backup",
                                     "backup --to", "restore"])
def test_a_writing_command_is_refused_while_the_app_has_the_workspace(
        command: str, demo_path: Path, tmp_path: Path, isolated_environment: Path) -> None:
    from socialdesk.core.lock import WorkspaceLock, host_name

    args = _writing_command(command, demo_path, tmp_path)
    before = digest(demo_path)
    with WorkspaceLock.acquire(demo_path):  # what the window holds while it is open
        done = run(*args, "--workspace", str(demo_path))
    assert done.returncode == 1, done.stdout
    assert done.stderr == (
        f"socialdesk: {demo_path}: is already open in another SocialDesk (process "
        f"{os.getpid()} on {host_name()}, since " + done.stderr.split(", since ")[1])
    assert "Close it there first" in done.stderr
    assert digest(demo_path) == before
    assert not Path(f"{demo_path}-wal").exists()
    made = [*(isolated_environment / "data").rglob("*.sdbackup"), *tmp_path.rglob("elsewhere")]
    assert made == []


def test_demo_is_refused_where_the_app_is_creating_a_workspace(tmp_path: Path) -> None:
    from socialdesk.core.lock import WorkspaceLock

    target = tmp_path / "new.sqlite"
    with WorkspaceLock.acquire(target):  # File → New workspace, about to create it
        done = run("demo", str(target))
    assert done.returncode == 1
    assert "already open in another SocialDesk" in done.stderr
    assert not target.exists()


def test_the_process_holding_the_lock_still_writes(
        demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from socialdesk.core.lock import WorkspaceLock, lock_path

    (tmp_path / "in.vcf").write_text(VCARD, encoding="utf-8")
    with WorkspaceLock.acquire(demo_path) as held:
        assert main(["backup", "--workspace", str(demo_path)]) == 0
        assert main(["import", "contacts", str(tmp_path / "in.vcf"),
                     "--workspace", str(demo_path)]) == 0
        assert held.owned and lock_path(demo_path).exists()  # still the holder's
    assert "Backed up" in capsys.readouterr().out
    with Workspace.open_readonly(demo_path) as ws:
        assert ws.conn.execute(
            "SELECT count(*) FROM contact_details WHERE value = 'locked@out.example'"
        ).fetchone()[0] == 1


def test_export_needs_an_existing_workspace(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.csv"
    code = main(["export", "calendar", "--format", "csv", "--out", str(out),
                 "--workspace", str(tmp_path / "missing.sqlite")])
    assert code == 1
    assert "no workspace here" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "missing.sqlite").exists()


def test_every_command_is_in_the_readme() -> None:
    import argparse

    from socialdesk.cli import build_parser

    readme = (Path(__file__).parents[1] / "README.md").read_text()

    def commands(parser: argparse.ArgumentParser, prefix: str) -> list[tuple[str, list[str]]]:
        """Each command with its long options (the top-level program's too)."""
        options = [option for action in parser._actions for option in action.option_strings
                   if option.startswith("--") and option != "--help"]
        found = [(prefix, options)]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found += commands(sub, f"{prefix} {name}")
        return found

    listed = commands(build_parser(), "socialdesk")
    assert len(listed) > 10
    for command, options in listed:
        assert f"`{command}" in readme, f"{command} is not documented in README.md"
        for option in options:
            assert option in readme, f"{command} {option} is not documented in README.md"


def test_version_matches_pyproject() -> None:
    import tomllib

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert project["project"]["version"] == __version__


def test_startup_leaves_the_heavy_libraries_for_later(demo_path: Path) -> None:
    """Opening the window imports no backup engine, calendar, numpy or sqlite-utils code.

    They cost startup time and memory (cryptography alone ~12 MB); each feature imports
    what it needs when it is used. Nor does it build the subcommands' parsers, or ask
    platformdirs for folders that SOCIALDESK_DATA_DIR and SOCIALDESK_CONFIG_DIR name.
    """
    heavy = ("cryptography", "numpy", "icalendar", "sqlite_utils", "socialdesk.core.backup.archive",
             # Nor what only a subcommand or a menu action needs.
             "socialdesk.commands.plan", "socialdesk.commands.report", "platformdirs",
             "socialdesk.store.publishing", "uuid")
    probe = (
        "import sys\n"
        "from socialdesk.cli import main\n"
        f"status = main(['--workspace', {str(demo_path)!r}, '--quit-after-startup'])\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
        "sys.exit(status)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
