"""Syncing with a local Radicale (CalDAV): a first sync, a second laptop joining, small syncs.

Goals (issue 17): a sync with 10 changed items ≤ 2 s; the first sync of many posts is
measured with the server's share of the time. Until the post, ask and contact kinds are
in, the items are posts' title, notes and day (``tests/sync_notes.py``), one VEVENT each.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from common import Result

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

POSTS = 2000


def run() -> list[Result]:
    """Measure and return the figures."""
    from radicale_server import RadicaleServer
    from socialdesk.core.sync import engine
    from socialdesk.core.sync.account import client_for, setup
    from socialdesk.store.workspace import Workspace
    from sync_notes import KINDS

    folder = Path(tempfile.mkdtemp(prefix="socialdesk-bench-sync-"))
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    os.environ["XDG_DATA_HOME"] = str(folder / "xdg")
    server = RadicaleServer(folder / "radicale", {"team": "secret"})
    results: list[Result] = []

    def timed_sync(ws: Workspace) -> tuple[float, float, engine.Summary]:
        busy = server.busy_seconds
        began = time.perf_counter()
        with client_for(ws) as client:
            summary = engine.sync(ws, client, KINDS)
        return time.perf_counter() - began, server.busy_seconds - busy, summary

    try:
        with Workspace.open(folder / "ann.sqlite", create=True) as ann, \
                Workspace.open(folder / "bob.sqlite", create=True) as bob:
            for ws in (ann, bob):
                setup(ws, server.url, "team", "secret", name="Bench")
            with ann.transaction():
                for n in range(POSTS):
                    KINDS[0].apply(ann, f"post-{n}", {"title": f"Post {n}", "notes": "",
                                                      "scheduled_on": "2027-03-01"})
            seconds, busy, summary = timed_sync(ann)
            assert summary.sent == POSTS
            results.append(Result(f"first sync, {POSTS:,} posts sent", seconds, "s",
                                  goal="measured"))
            results.append(Result("  of which inside Radicale", busy / seconds * 100, "%"))
            seconds, busy, summary = timed_sync(bob)
            assert summary.received == POSTS
            results.append(Result(f"second laptop joins, {POSTS:,} posts received", seconds,
                                  "s", goal="measured"))
            results.append(Result("  of which inside Radicale", busy / seconds * 100, "%"))
            with ann.transaction():
                for n in range(10):
                    KINDS[0].apply(ann, f"post-{n}", {"title": f"Post {n} changed",
                                                      "notes": "", "scheduled_on": ""})
            seconds, _busy, summary = timed_sync(ann)
            assert summary.sent == 10
            results.append(Result("sync with 10 changed posts (sending)", seconds, "s",
                                  goal="≤ 2 s"))
            seconds, _busy, summary = timed_sync(bob)
            assert summary.received == 10
            results.append(Result("sync with 10 changed posts (receiving)", seconds, "s",
                                  goal="≤ 2 s"))
    finally:
        server.stop()
    return results
