"""The calendar's month view: painting a dense month, and loading a month of the large demo.

Figures, each against a reference measured in the same run:
- painting a month with 300 posts (10 a day, 1–3 channels each) at 1280×800, layout
  included, against painting the same grid with no posts (goal: under 100 ms);
- loading the visible six weeks of the large demo (20k posts, repeats expanded) against
  a bare ``SELECT`` of the same posts' rows;
- painting the densest month of the large demo.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Result, large_workspace, median_of, print_table

GRID_SIZE = (1170, 690)  # the month grid's size in the 1280×800 window
BIG_GRID_SIZE = (1800, 960)  # and in a 1920×1080 window
CHANNELS = ("instagram", "facebook", "x", "tiktok", "newsletter", "bluesky")


def _dense_month(path: Path) -> date:
    """A workspace with 300 posts in March 2031 (10 a day); returns the month."""
    from socialdesk.store import campaigns
    from socialdesk.store.models import Campaign, PostDraft
    from socialdesk.store.post_writes import create_post
    from socialdesk.store.workspace import Workspace

    rng = random.Random(1)
    with Workspace.open(path, create=True) as ws, ws.transaction():
        ids = [campaigns.create_campaign(ws, Campaign(0, f"Campaign {i}", colour=colour))
               for i, colour in enumerate(("#4e79a7", "#f28e2b", "#e15759", "#59a14f"))]
        for number in range(300):
            day = date(2031, 3, 1) + timedelta(days=number % 30)
            create_post(ws, PostDraft(
                title=f"Post {number}: fresh bread and a story from the bakery",
                status=rng.choice(("idea", "draft", "scheduled", "published")),
                scheduled_on=day.isoformat(),
                scheduled_time=f"{8 + number % 10:02d}:{rng.choice(('00', '30')):s}",
                campaign_id=rng.choice([*ids, None]),
                channels=tuple((p, None) for p in rng.sample(CHANNELS, rng.randint(1, 3)))))
    return date(2031, 3, 1)


def _paint_time(grid: object, image: object) -> float:
    """Median seconds to lay out and paint ``grid`` into ``image``."""
    def paint() -> None:
        grid._layout = None  # type: ignore[attr-defined]  # lay out again, as after a change
        grid.render(image)  # type: ignore[attr-defined]

    paint()  # warm the icon cache, as the first paint of a session does
    return median_of(paint, 21)


def run() -> list[Result]:
    """Measure month painting (dense and empty) and a month's load on the large demo."""
    from PySide6.QtGui import QImage

    from socialdesk.core.calendar.recurrence import posts_in_range
    from socialdesk.qt.app import create_application
    from socialdesk.qt.calendar.month import MonthGrid, month_days
    from socialdesk.store.workspace import Workspace

    create_application()
    grid = MonthGrid()
    grid.resize(*GRID_SIZE)
    image = QImage(grid.size(), QImage.Format.Format_ARGB32_Premultiplied)
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        month = _dense_month(Path(scratch) / "dense.sqlite")
        with Workspace.open_readonly(Path(scratch) / "dense.sqlite") as ws:
            days = month_days(month.year, month.month)
            rows = posts_in_range(ws, days[0], days[-1])
        grid.set_month(month.year, month.month, [])
        empty = _paint_time(grid, image)
        grid.set_month(month.year, month.month, rows)
        dense = _paint_time(grid, image)
        drawn = len(grid.layout_items().chips)
        results.append(Result(f"month view paint, {len(rows)} posts ({drawn} lines drawn)",
                              dense * 1000, "ms", empty * 1000,
                              "< 100 ms (reference: the empty grid)"))
        grid.resize(*BIG_GRID_SIZE)
        big = QImage(grid.size(), QImage.Format.Format_ARGB32_Premultiplied)
        big_dense = _paint_time(grid, big)
        drawn = len(grid.layout_items().chips)
        grid.set_month(month.year, month.month, [])
        big_empty = _paint_time(grid, big)
        results.append(Result(f"  same at 1920×1080 ({drawn} lines drawn)",
                              big_dense * 1000, "ms", big_empty * 1000,
                              "< 100 ms (reference: the empty grid)"))
        grid.resize(*GRID_SIZE)

    with Workspace.open_readonly(large_workspace()) as ws:
        busiest = ws.conn.execute(
            "SELECT substr(scheduled_on, 1, 7) AS m FROM posts WHERE scheduled_on IS NOT NULL "
            "GROUP BY m ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        year, number = int(busiest[:4]), int(busiest[5:])
        days = month_days(year, number)
        load = median_of(lambda: posts_in_range(ws, days[0], days[-1]), 11)
        bare = median_of(lambda: ws.conn.execute(
            "SELECT * FROM posts WHERE scheduled_on BETWEEN ? AND ?",
            (days[0].isoformat(), days[-1].isoformat())).fetchall(), 11)
        rows = posts_in_range(ws, days[0], days[-1])
        results.append(Result(f"month load, large demo ({busiest}, {len(rows)} incl. repeats)",
                              load * 1000, "ms", bare * 1000,
                              "stays interactive (reference: bare SELECT of the rows)"))
        grid.set_month(year, number, rows)
        results.append(Result("month view paint, large demo's busiest month",
                              _paint_time(grid, image) * 1000, "ms", empty * 1000,
                              "< 100 ms (reference: the empty grid)"))
    return results


if __name__ == "__main__":
    print_table(run())
