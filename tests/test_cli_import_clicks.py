"""``socialdesk import clicks``: the summary, ``--json``, the period, refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clicks_samples import GA4_SOURCE_MEDIUM, two_partners
from socialdesk.cli import main
from socialdesk.store.workspace import Workspace

SRC = Path(__file__).parents[1] / "src"


def slugged(path: Path) -> tuple[int, int]:
    with Workspace.open(path) as ws:
        corner, market = two_partners(ws)
    return corner.ask, market.ask


def test_json_lists_asks_unmatched_sources_and_problems(
        demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corner, market = slugged(demo_path)
    export = tmp_path / "ga4.csv"
    export.write_text(GA4_SOURCE_MEDIUM, encoding="utf-8")
    assert main(["import", "clicks", str(export), "--json", "--workspace",
                 str(demo_path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"matched", "visits", "unmatched", "asks", "problems"}
    assert result["matched"] == 2 and result["visits"] == 34
    assert sorted((a["ask"], a["visits"]) for a in result["asks"]) == sorted(
        [(corner, 25), (market, 9)])
    assert all(set(a) == {"ask", "partner", "visits"} for a in result["asks"])
    assert result["unmatched"][0] == {"source": "google / organic", "visits": 402}
    assert result["problems"] == []


def test_the_summary_names_partners_and_unmatched_sources(
        demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    slugged(demo_path)
    export = tmp_path / "utm_sources.csv"
    export.write_text("name,visitors,bounce_rate,visit_duration\r\ncorner-cafe,12,0,0\r\n"
                      "google,40,0,0\r\n", encoding="utf-8")
    assert main(["import", "clicks", str(export), "--from", "2026-11-01", "--to",
                 "2026-11-30", "--workspace", str(demo_path)]) == 0
    out = capsys.readouterr().out
    assert "Recorded 12 visits for 1 ask from utm_sources.csv (2026-11-01 to 2026-11-30)." in out
    assert "google: 40 visits" in out


def test_an_export_without_dates_asks_for_the_period(
        demo_path: Path, tmp_path: Path) -> None:
    export = tmp_path / "utm_sources.csv"
    export.write_text("name,visitors,bounce_rate,visit_duration\r\ncorner-cafe,12,0,0\r\n",
                      encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "socialdesk", "import", "clicks", str(export), "--workspace",
         str(demo_path)], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(SRC)})
    assert run.returncode == 1
    assert f"{export}: this Plausible export holds no dates" in run.stderr
    assert "--from and --to" in run.stderr and "Nothing was imported." in run.stderr


def test_a_file_that_is_no_export_is_refused_naming_its_line(
        demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "notes.txt"
    export.write_text("shopping list\nflour\n", encoding="utf-8")
    assert main(["import", "clicks", str(export), "--workspace", str(demo_path)]) == 1
    assert f"{export}, line 1: not an analytics export" in capsys.readouterr().err


def test_a_period_needs_both_ends(demo_path: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "utm_sources.csv"
    export.write_text("name,visitors,bounce_rate,visit_duration\r\ncorner-cafe,1,0,0\r\n",
                      encoding="utf-8")
    assert main(["import", "clicks", str(export), "--from", "2026-11-01", "--workspace",
                 str(demo_path)]) == 1
    assert "Give both --from and --to" in capsys.readouterr().err


def test_the_command_offers_every_format_the_readers_know() -> None:
    from socialdesk.commands.importing import CLICK_FORMATS
    from socialdesk.core.share.clicks import FORMATS

    assert CLICK_FORMATS == FORMATS
