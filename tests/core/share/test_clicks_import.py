"""Importing clicks: figures replace the period's, unmatched sources are listed, all or nothing."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import pytest

from clicks_samples import GA4_DAILY_CONTENT, two_partners
from socialdesk.core.contacts.importing.textstream import BLOCK
from socialdesk.core.share.clicks import (
    ClicksImportCancelled,
    ClicksImportError,
    import_clicks,
    read_clicks,
)
from socialdesk.store.clicks import visits_per_ask
from socialdesk.store.workspace import Workspace

FIXTURES = Path(__file__).parents[2] / "store" / "fixtures"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def rows(ws: Workspace) -> list[tuple[int, str, str, int]]:
    return [tuple(r) for r in ws.conn.execute(
        "SELECT ask_id, first_day, last_day, visits FROM ask_visits ORDER BY 1, 2, 3")]


def test_importing_the_same_file_again_replaces_rather_than_adds(
        demo: Workspace, tmp_path: Path) -> None:
    corner, _ = two_partners(demo)
    path = write(tmp_path / "ga4.csv", GA4_DAILY_CONTENT.format(post=corner.post))
    first = import_clicks(demo, path)
    before = rows(demo)
    again = import_clicks(demo, path)
    assert rows(demo) == before
    assert visits_per_ask(demo) == {corner.ask: 10}
    assert again.as_json() == first.as_json()


def test_the_same_period_from_another_file_replaces_its_figures(
        demo: Workspace, tmp_path: Path) -> None:
    corner, market = two_partners(demo)
    period = {"first_day": "2026-11-01", "last_day": "2026-11-30"}
    import_clicks(demo, write(tmp_path / "a.csv", "source,visits\ncorner-cafe,5\n"), **period)
    import_clicks(demo, write(tmp_path / "b.csv", "source,visits\nmarket-hall,2\n"), **period)
    assert rows(demo) == [(market.ask, "2026-11-01", "2026-11-30", 2)]
    # A later period is kept beside it.
    import_clicks(demo, write(tmp_path / "c.csv", "source,visits\ncorner-cafe,7\n"),
                  first_day="2026-12-01", last_day="2026-12-31")
    assert visits_per_ask(demo) == {market.ask: 2, corner.ask: 7}


def test_unmatched_sources_are_listed_with_their_visits(demo: Workspace, tmp_path: Path) -> None:
    two_partners(demo)
    path = write(tmp_path / "s.csv", "utm_source,visits\ngoogle,40\ncorner-cafe,3\n"
                 "newsletter,4\ngoogle,2\n")
    report = import_clicks(demo, path, first_day="2026-11-01", last_day="2026-11-30")
    assert report.as_json()["unmatched"] == [{"source": "google", "visits": 42},
                                             {"source": "newsletter", "visits": 4}]
    assert (report.matched, report.visits) == (1, 3)


def test_visits_before_a_partner_was_asked_are_unmatched_and_said(
        demo: Workspace, tmp_path: Path) -> None:
    two_partners(demo)  # asked on 2026-10-01
    path = write(tmp_path / "d.csv", "date,source,visits\n2026-09-30,corner-cafe,4\n")
    report = import_clicks(demo, path)
    assert report.unmatched == (("corner-cafe", 4),)
    assert report.problems[0].line == 2 and "had not been asked" in report.problems[0].message
    assert rows(demo) == []


def test_a_bad_line_imports_nothing_and_keeps_earlier_figures(
        demo: Workspace, tmp_path: Path) -> None:
    corner, _ = two_partners(demo)
    period = {"first_day": "2026-11-01", "last_day": "2026-11-30"}
    import_clicks(demo, write(tmp_path / "ok.csv", "source,visits\ncorner-cafe,5\n"), **period)
    bad = write(tmp_path / "bad.csv", "source,visits\nmarket-hall,2\ncorner-cafe,n/a\n")
    with pytest.raises(ClicksImportError, match=r"bad\.csv, line 3"):
        import_clicks(demo, bad, **period)
    assert rows(demo) == [(corner.ask, "2026-11-01", "2026-11-30", 5)]


def test_deleting_an_ask_deletes_its_visits(demo: Workspace, tmp_path: Path) -> None:
    corner, _ = two_partners(demo)
    import_clicks(demo, write(tmp_path / "s.csv", "source,visits\ncorner-cafe,5\n"),
                  first_day="2026-11-01", last_day="2026-11-30")
    with demo.transaction():
        demo.conn.execute("DELETE FROM asks WHERE id = ?", (corner.ask,))
    assert rows(demo) == []


def test_an_older_workspace_gains_the_visits_table(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v2.sqlite", path)
    with Workspace.open(path) as ws:
        assert "0008_ask_visits" in [r[0] for r in ws.conn.execute(
            "SELECT name FROM _sqlite_migrations")]
        assert rows(ws) == []


def test_a_cancelled_import_leaves_the_period_as_it_was(demo: Workspace, tmp_path: Path) -> None:
    two_partners(demo)
    period = {"first_day": "2026-11-01", "last_day": "2026-11-30"}
    import_clicks(demo, write(tmp_path / "a.csv", "source,visits\ncorner-cafe,5\n"), **period)
    before = rows(demo)
    told: list[tuple[int, int]] = []

    def cancel_at_the_end(done: int, total: int) -> bool:
        told.append((done, total))
        return done < total  # every row is written, the commit is what is left

    with pytest.raises(ClicksImportCancelled, match=r"b\.csv: import cancelled"):
        import_clicks(demo, write(tmp_path / "b.csv", "source,visits\nmarket-hall,2\n"),
                      progress=cancel_at_the_end, **period)
    assert told[-1] == (1, 1)
    assert rows(demo) == before  # neither the earlier figures removed nor the new ones added
    assert not demo.conn.in_transaction


def _daily(path: Path, days: int, per_day: int, pad: str = "") -> dict[tuple[str, str], int]:
    """A daily export by source of several 1 MB blocks; visits per (source, day) in it."""
    expected: dict[tuple[str, str], int] = {}
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("Date,Session source,Session manual ad content,Sessions\r\n")
        for day in range(1, days + 1):
            iso = f"2026-11-{day:02d}"
            for n in range(per_day):
                source = ("corner-cafe", "market-hall", "google")[n % 3]
                visits = 1 + (n * day) % 7
                handle.write(f"{iso.replace('-', '')},{source},\"{pad}\",{visits}\r\n")
                expected[(source, iso)] = expected.get((source, iso), 0) + visits
    return expected


def test_an_export_of_many_blocks_is_summed_as_it_is_read(demo: Workspace,
                                                          tmp_path: Path) -> None:
    corner, market = two_partners(demo)
    path = tmp_path / "daily.csv"
    expected = _daily(path, days=30, per_day=4000)
    assert path.stat().st_size > 2 * BLOCK
    report = import_clicks(demo, path)
    asks = {"corner-cafe": corner.ask, "market-hall": market.ask}
    assert rows(demo) == sorted((asks[source], day, day, visits) for (source, day), visits
                                in expected.items() if source in asks)
    assert report.matched == 30 * (1334 + 1333)  # rows of corner-cafe and market-hall
    assert report.unmatched == (("google", sum(v for (s, _), v in expected.items()
                                               if s == "google")),)
    assert (report.first_day, report.last_day) == ("2026-11-01", "2026-11-30")


def test_a_bad_row_after_the_first_blocks_names_its_line(demo: Workspace,
                                                         tmp_path: Path) -> None:
    two_partners(demo)
    path = tmp_path / "daily.csv"
    _daily(path, days=30, per_day=4000)
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write("20261130,corner-cafe,,many\r\n")
    with pytest.raises(ClicksImportError) as caught:
        import_clicks(demo, path)
    assert str(caught.value).startswith(f"{path}, line {30 * 4000 + 2}: the Sessions column "
                                        "holds 'many'")
    assert rows(demo) == []


def test_an_export_is_never_held_whole(tmp_path: Path) -> None:
    # reading holds a few blocks' worth, not the file, its text (four bytes a character in
    # a StringIO) nor a row per line
    path = tmp_path / "daily.csv"
    _daily(path, days=30, per_day=500, pad="(not set) " * 200)
    assert path.stat().st_size > 28 * BLOCK
    tracemalloc.start()
    try:
        data = read_clicks(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data.dated and data.format == "csv"
    assert peak < 16 * BLOCK, peak


def test_the_first_ten_thousand_problems_are_listed_then_how_many_more(
        demo: Workspace, tmp_path: Path) -> None:
    two_partners(demo)  # asked on 2026-10-01: every row below is before
    path = write(tmp_path / "early.csv", "date,source,visits\n" + "".join(
        f"2026-09-{1 + n % 30:02d},corner-cafe,1\n" for n in range(10_005)))
    report = import_clicks(demo, path)
    assert len(report.problems) == 10_001
    assert [p.line for p in report.problems[:2]] == [2, 3]
    assert "had not been asked" in report.problems[9_999].message
    last = report.problems[-1]
    assert (last.line, last.message) == (10_002, "… and 5 more problems from this line on, "
                                                 "not listed.")
    assert report.unmatched == (("corner-cafe", 10_005),)
