"""Reports on the large workspace: each store query, the whole view's read, the PDF.

Every query of ``socialdesk.store.reports`` is timed (best of 5) on the large demo
(20k posts, 30k asks). Reference: one bare pass over every ask on its own connection
(``SELECT count(*), sum(observed_reach) FROM asks``), the least any set-based report over
the asks can cost. Goal: each query ≤ 100 ms; the campaign PDF of the biggest
campaign (hundreds of posts, many pages, its chart drawn as ``socialdesk report`` draws
it) ≤ 1 s.

Run alone with ``.venv/bin/python bench/bench_reports.py`` or through ``bench/run reports``.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Result, best_of, large_workspace, print_table

TODAY = date(2026, 11, 24)


def run() -> list[Result]:
    """Time every report query, the view's whole read and a campaign PDF."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from socialdesk.core.share.asking_hours import asking_hours
    from socialdesk.qt.reports.view import read_figures
    from socialdesk.store import asks, reports
    from socialdesk.store.workspace import Workspace

    path = large_workspace()
    bare = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    reference = best_of(lambda: bare.execute(
        "SELECT count(*), sum(observed_reach) FROM asks").fetchone()) * 1000
    ws = Workspace.open_readonly(path)
    biggest = ws.conn.execute(
        "SELECT campaign_id FROM posts WHERE campaign_id IS NOT NULL "
        "GROUP BY campaign_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    first, last = reports.week_window(TODAY)
    queries = {
        "leverage_by_week (12 weeks)": lambda: reports.leverage_by_week(ws, first, last),
        "waiting_asks": lambda: asks.waiting_asks(ws, last, limit=200),
        "partner_asks (every partner asked)": lambda: reports.partner_asks(ws),
        "post_results (predictions to check)": lambda: reports.post_results(
            ws, until=last, compared_only=True),
        "campaign_rows": lambda: reports.campaign_rows(ws),
        "campaign_report (biggest campaign)": lambda: reports.campaign_report(ws, biggest),
        "asking_hours (asks by hour of the day)": lambda: asking_hours(ws),
    }
    results = [Result("bare pass over every ask (reference)", reference, "ms")]
    for name, query in queries.items():
        results.append(Result(f"query: {name}", best_of(query) * 1000, "ms", reference,
                              "≤ 100 ms"))
    results.append(Result("Reports view read (all of the above it needs, on a worker)",
                          best_of(lambda: read_figures(ws, TODAY), 3) * 1000, "ms",
                          reference))
    results.append(_pdf(reports.campaign_report(ws, biggest)))
    return results


def _pdf(report: object) -> Result:
    from socialdesk.qt.app import create_application
    from socialdesk.qt.reports.pdf import pdf_chart, write_campaign_pdf

    create_application()
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "report.pdf"
        pages = [0]

        def write() -> None:
            pages[0] = write_campaign_pdf(target, report, pdf_chart(report),  # type: ignore[arg-type]
                                          made_on=TODAY)

        seconds = best_of(write, 3)
    return Result(f"campaign PDF, biggest campaign ({pages[0]} pages)", seconds * 1000, "ms",
                  None, "≤ 1000 ms")


if __name__ == "__main__":
    print_table(run())
