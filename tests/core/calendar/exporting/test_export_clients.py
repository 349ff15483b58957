"""The exported .ics in real calendar programs (Debian packages ``calcurse`` and ``khal``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import icalendar
import pytest
from calendar_samples import (
    INJECTED_LINK,
    SERIES_ICS,
    SERIES_UID,
    TRICKY_TITLE,
    add_post,
    series_post,
)

from socialdesk.core.calendar.export import export_calendar
from socialdesk.core.calendar.importing import import_calendar
from socialdesk.store.post_writes import delete_post, move_post
from socialdesk.store.workspace import Workspace

ONE_LINE_TITLE = "Crème brûlée, 2 for 1; «today» 🥐 back\\slash, 東京"


@pytest.fixture
def exported(sample: Workspace, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The sample workspace (plus a post with a tricky one-line title, and one whose
    link holds line breaks and a whole event) as an .ics file."""
    with sample.transaction():
        add_post(sample, uid="tricky@test", title=ONE_LINE_TITLE, status="scheduled",
                 scheduled_on="2024-03-11", scheduled_time="16:45", timezone="Asia/Tokyo")
        add_post(sample, uid="link@test", title="Menu", status="scheduled",
                 scheduled_on="2024-03-13", link=INJECTED_LINK)
    out = tmp_path / "export.ics"
    export_calendar(sample, out, "ics", default_tz="Europe/Paris")
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    titles = {str(e["UID"]): str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    return out, titles


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TZ="UTC", HOME=str(tmp_path / "home"), LANG="C.UTF-8", LC_ALL="C.UTF-8")
    return env


@pytest.mark.skipif(shutil.which("calcurse") is None, reason="calcurse is not installed")
def test_calcurse_imports_everything(exported: tuple[Path, dict[str, str]],
                                     tmp_path: Path) -> None:
    ics_file, titles = exported
    data = tmp_path / "calcurse"
    data.mkdir()
    run = subprocess.run(
        ["calcurse", "-D", str(data), "-i", str(ics_file)],
        capture_output=True, text=True, env=_env(tmp_path), timeout=60, check=False,
    )
    report = run.stdout + run.stderr
    counts = re.search(r"(\d+) apps / (\d+) events? / (\d+) todos? / (\d+) skipped", report)
    assert counts, report
    apps, events, todos, skipped = map(int, counts.groups())
    assert skipped == 0, report
    assert run.returncode == 0, report
    assert apps + events == len(titles) == 7
    assert todos == 3
    apts = (data / "apts").read_text(encoding="utf-8")
    for title in titles.values():
        assert title in apts
    assert f"|{ONE_LINE_TITLE}" in apts
    assert TRICKY_TITLE.replace("\n", " ") in apts
    # 09:30 in Berlin (CET) is 08:30 UTC; the all-day weekly post keeps its end date
    assert "03/10/2024 @ 08:30 -> 03/10/2024 @ 09:00" in apts
    assert "03/12/2024 [1] {1W -> 04/30/2024} Market day" in apts
    todo = (data / "todo").read_text(encoding="utf-8")
    assert "Follow up with Anna Café (Anna Café Ltd)" in todo


KHAL_CONFIG = """\
[calendars]
[[socialdesk]]
path = {vdir}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Europe/Paris
default_timezone = Europe/Paris

[sqlite]
path = {db}
"""


def _khal(tmp_path: Path) -> tuple[Callable[..., str], Path]:
    """A khal with its own configuration and calendar folder (returned) under ``tmp_path``."""
    vdir = tmp_path / "khal" / "calendar"
    vdir.mkdir(parents=True)
    config = tmp_path / "khal" / "config"
    config.write_text(KHAL_CONFIG.format(vdir=vdir, db=tmp_path / "khal" / "khal.db"),
                      encoding="utf-8")
    env = _env(tmp_path)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "khal")

    def khal(*args: str) -> str:
        run = subprocess.run(["khal", "-c", str(config), *args], capture_output=True,
                             text=True, env=env, timeout=120, check=False)
        assert run.returncode == 0, run.stdout + run.stderr
        return run.stdout

    return khal, vdir


@pytest.mark.skipif(shutil.which("khal") is None, reason="khal is not installed")
def test_khal_imports_and_lists(exported: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    ics_file, titles = exported
    khal, vdir = _khal(tmp_path)
    khal("import", "--batch", "-a", "socialdesk", str(ics_file))
    # khal keeps events (not to-dos), one file per UID in the vdir
    stored = {p.name for p in vdir.iterdir()}
    assert stored == {f"{uid}.ics" for uid in titles}
    tricky = icalendar.Calendar.from_ical((vdir / "p1@test.ics").read_bytes())
    event = tricky.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == TRICKY_TITLE.replace("\n", " ")
    assert str(event["DESCRIPTION"]).startswith(TRICKY_TITLE)

    listing = khal("list", "--format", "{uid}|{title}|{start}", "2024-03-01", "2024-03-31")
    lines = dict(
        line.split("|", 1) for line in listing.splitlines() if "|" in line
    )
    assert lines["tricky@test"] == f"{ONE_LINE_TITLE}|2024-03-11 08:45"  # 16:45 Tokyo
    assert lines["p1@test"] == TRICKY_TITLE.replace("\n", " ") + "|2024-03-10 09:30"
    assert set(lines) == set(titles)
    places = khal("list", "--format", "{uid}|{location}", "2024-03-10", "2024-03-10")
    assert "p1@test|Hall 2; stand 7, by the door" in places.splitlines()


@pytest.mark.skipif(shutil.which("khal") is None, reason="khal is not installed")
def test_khal_lists_an_imported_series_on_the_same_dates(ws: Workspace,
                                                         tmp_path: Path) -> None:
    """A Thunderbird series, imported, one date deleted and one moved, exported, in khal."""
    source = tmp_path / "lessons.ics"
    source.write_bytes(SERIES_ICS)
    import_calendar(ws, source, default_tz="Europe/Paris", since=date(2026, 1, 1))
    delete_post(ws, series_post(ws, "2026-10-06"))
    move_post(ws, series_post(ws, "2026-10-08"), "2026-10-09", "08:15")
    out = tmp_path / "out.ics"
    export_calendar(ws, out, "ics", default_tz="Europe/Paris")
    khal, vdir = _khal(tmp_path)
    khal("import", "--batch", "-a", "socialdesk", str(out))
    assert [p.name for p in vdir.iterdir()] == [f"{SERIES_UID}.ics"]  # one event, not 97
    expected = {  # what Thunderbird shows: the posts' own dates and times
        f"{row[0]} {row[1]}" for row in ws.conn.execute(
            "SELECT scheduled_on, scheduled_time FROM posts")}
    assert len(expected) == 96 and "2026-10-09 08:15" in expected
    listing = khal("list", "--format", "{start}", "2026-09-01", "2027-09-01")
    shown = {line for line in listing.splitlines() if line[:2] == "20"}
    assert shown == expected


@pytest.mark.skipif(shutil.which("calcurse") is None or shutil.which("khal") is None,
                    reason="calcurse and khal are not installed")
def test_the_demo_workspace_goes_into_calcurse_and_khal(demo: Workspace, tmp_path: Path) -> None:
    """The whole demo calendar, 0 skipped, every dated post present."""
    out = tmp_path / "demo.ics"
    export_calendar(demo, out, "ics", default_tz="Europe/London")
    events = {str(e["UID"]): str(e["SUMMARY"])
              for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    dated = {r[0] for r in demo.conn.execute(
        "SELECT uid FROM posts WHERE scheduled_on IS NOT NULL")}
    assert set(events) == dated

    data = tmp_path / "calcurse"
    data.mkdir()
    run = subprocess.run(["calcurse", "-D", str(data), "-i", str(out)], capture_output=True,
                         text=True, env=_env(tmp_path), timeout=120, check=False)
    report = run.stdout + run.stderr
    counts = re.search(r"(\d+) apps / (\d+) events? / (\d+) todos? / (\d+) skipped", report)
    assert counts and run.returncode == 0, report
    apps, day_events, _todos, skipped = map(int, counts.groups())
    assert skipped == 0, report
    assert apps + day_events == len(dated)
    apts = (data / "apts").read_text(encoding="utf-8")
    assert all(title in apts for title in events.values())

    vdir = tmp_path / "khal" / "calendar"
    vdir.mkdir(parents=True)
    config = tmp_path / "khal" / "config"
    config.write_text(KHAL_CONFIG.format(vdir=vdir, db=tmp_path / "khal" / "khal.db"),
                      encoding="utf-8")
    env = _env(tmp_path)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "khal")
    done = subprocess.run(["khal", "-c", str(config), "import", "--batch", "-a", "socialdesk",
                           str(out)], capture_output=True, text=True, env=env, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {p.stem for p in vdir.iterdir()} == dated
