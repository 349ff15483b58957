"""Share kits for 5,000 asks of the large demo: data, slug, text and HTML page of each.

Goal: the kits of 5,000 asks ≤ 5 s. Each kit is made as ``socialdesk share-kit``
and the Planner make it (:func:`socialdesk.core.share.kits.make_kit`: the partner's first
kit gives them a slug, written to the workspace), then turned into its plain text and its
self-contained page. Runs on a copy of the large demo, whose partners have no slug yet.
The reference: reading the same asks' kit data alone.

Run alone with ``.venv/bin/python bench/bench_kits.py`` or through ``bench/run kits``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Result, large_workspace, print_table

ASKS = 5_000


def run() -> list[Result]:
    """Time up to 5,000 kits on a fresh copy of the demo (the small one has about 3,000)."""
    from socialdesk.core.share.kit import kit_text
    from socialdesk.core.share.kits import make_kit
    from socialdesk.store import share as stored
    from socialdesk.store.workspace import Workspace

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "large.sqlite"
        shutil.copyfile(large_workspace(), path)
        with Workspace.open(path) as ws:
            ids = [row[0] for row in ws.conn.execute(
                "SELECT id FROM asks WHERE post_id IS NOT NULL ORDER BY id LIMIT ?", (ASKS,))]
            assert ids, "the workspace has no asks for a post"
            start = time.perf_counter()
            for ask in ids:
                stored.ask_kit_data(ws, ask)
            reference = time.perf_counter() - start
            start = time.perf_counter()
            size = 0
            for ask in ids:
                made = make_kit(ws, ask)
                size += len(kit_text(made.kit)) + len(made.page())
            kits = time.perf_counter() - start
            assert size > 0
    return [
        Result(f"read {len(ids):,} asks' kit data (reference)", reference, "s"),
        Result(f"share kits (slug, text, page) of {len(ids):,} asks", kits, "s", reference,
               "≤ 5 s"),
    ]


if __name__ == "__main__":
    print_table(run())
