"""Clicks import of a 100k-row analytics export against `sqlite-utils insert --csv`.

Goal: SocialDesk's import (read, recognise, match each row to an ask, replace
the period's figures in one transaction) within 2× of sqlite-utils inserting the same file
into a fresh database. The export is a daily table by source and post (`Date,Session
source,Session manual ad content,Sessions`) over a year: the small demo's partners (each
given a slug) and sources that are no partner's.
"""

from __future__ import annotations

import csv
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import CACHE, Result

ROWS = 100_000
OTHERS = ["google", "(direct)", "newsletter", "bing", "duckduckgo", "instagram.com"]


def workspace_with_slugs(folder: Path) -> tuple[Path, list[tuple[str, int]]]:
    """The small demo, every partner with an ask given a slug; (slug, post id) pairs."""
    from socialdesk.core.demo import create_demo
    from socialdesk.core.share.links import unique_slug
    from socialdesk.store.share import keep_slug
    from socialdesk.store.workspace import Workspace

    path = folder / "demo.sqlite"
    create_demo(path, size="small", seed=1, today=date(2026, 12, 1))
    pairs = []
    with Workspace.open(path) as ws:
        taken: set[str] = set()
        rows = ws.conn.execute(
            "SELECT a.contact_id, c.name, a.post_id FROM asks a JOIN contacts c ON "
            "c.id = a.contact_id JOIN posts p ON p.id = a.post_id WHERE p.link <> ''"
        ).fetchall()
        for contact, name, post in rows:
            slug = keep_slug(ws, contact, unique_slug(name, taken))
            taken.add(slug)
            pairs.append((slug, post))
    return path, pairs


def clicks_csv(pairs: list[tuple[str, int]]) -> Path:
    """A 100k-row daily export over a year (written once per set of partners)."""
    path = CACHE / f"clicks-100k-{len(pairs)}.csv"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1)
    start = date(2026, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Session source", "Session manual ad content", "Sessions"])
        for i in range(ROWS):
            day = (start + timedelta(days=i % 365)).strftime("%Y%m%d")
            if rng.random() < 0.6:
                slug, post = rng.choice(pairs)
                writer.writerow([day, slug, f"post-{post}", rng.randint(1, 40)])
            else:
                writer.writerow([day, rng.choice(OTHERS), "(not set)", rng.randint(1, 400)])
    return path


def run() -> list[Result]:
    """Time both imports (best of two), each into a fresh copy."""
    from socialdesk.core.share.clicks import import_clicks
    from socialdesk.store.workspace import Workspace

    ours, theirs = [], []
    sqlite_utils = Path(sys.executable).with_name("sqlite-utils")
    with tempfile.TemporaryDirectory() as scratch:
        template, pairs = workspace_with_slugs(Path(scratch))
        source = clicks_csv(pairs)
        for attempt in range(2):
            copy = Path(scratch) / f"w{attempt}.sqlite"
            shutil.copyfile(template, copy)
            start = time.perf_counter()
            with Workspace.open(copy) as ws:
                report = import_clicks(ws, source)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run([str(sqlite_utils), "insert", str(Path(scratch) / f"x{attempt}.db"),
                            "clicks", str(source), "--csv"], check=True,
                           stdout=subprocess.DEVNULL)
            theirs.append(time.perf_counter() - start)
    assert report.matched > ROWS // 2, report.matched
    return [Result("import a 100k-row clicks export", min(ours), "s", min(theirs),
                   "≤ 2× sqlite-utils insert --csv")]


if __name__ == "__main__":
    from common import print_table

    print_table(run())
