"""Syncing with a local Radicale (CalDAV): a first sync, a second laptop joining, small syncs.

Goals: the first sync of the small demo ≤ 15 s; a sync with 10 changed items
≤ 2 s; no GUI stall over 100 ms while the window syncs. The small demo (about 150
contacts, 180 posts, 240 asks, 3 campaigns and the settings) syncs with the real kinds; a
second part measures the engine and the server with many posts (``tests/sync_notes.py``:
title, notes and day, one VEVENT each), the second laptop joining through its window's
Sync now while a 5 ms probe timer on the GUI thread measures how late it runs (and the
GUI thread's own CPU time between two ticks, which a loaded machine does not inflate).

The reference, measured in the same run, is Radicale's time for a bare loop of 100 new
events PUT into an empty calendar; the load average is printed beside it, since the
machine is shared. ``bench_sync_large`` syncs 5,000 contacts and 2,000 posts.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from common import Result

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

POSTS = int(os.environ.get("SOCIALDESK_BENCH_SYNC_POSTS", "500"))
TICK_MS = 5


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
    os.environ["SOCIALDESK_CONFIG_DIR"] = str(folder / "config")
    os.environ["SOCIALDESK_DATA_DIR"] = str(folder / "data")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    server = RadicaleServer(folder / "radicale", {"team": "secret"})
    reference = put_loop(server)
    results = [Result("Radicale: 100 new events, bare PUT loop (reference)", reference, "s",
                      goal=f"load average {os.getloadavg()[0]:.1f}"),
               *_small_demo(folder, server, reference)]
    bob_path = folder / "bob.sqlite"
    try:
        with Workspace.open(bob_path, create=True) as bob:
            setup(bob, server.url, "team", "secret", name="Bench")
        with Workspace.open(folder / "ann.sqlite", create=True) as ann:
            setup(ann, server.url, "team", "secret", name="Bench")
            with ann.transaction():
                for n in range(POSTS):
                    KINDS[0].apply(ann, f"post-{n}", {"title": f"Post {n}", "notes": "",
                                                      "scheduled_on": "2027-03-01"})
            busy, began = server.busy_seconds, time.perf_counter()
            with client_for(ann) as client:
                assert engine.sync(ann, client, KINDS).sent == POSTS
            seconds = time.perf_counter() - began
            results += [
                Result(f"first sync, {POSTS:,} posts sent", seconds, "s", reference,
                       goal="measured"),
                Result("  of which inside Radicale",
                       (server.busy_seconds - busy) / seconds * 100, "%")]
            # The window's part runs against Radicale in a process of its own, as a real
            # server is: in this process its Python code would take turns with the GUI's.
            server.stop()
            with _radicale_process(folder / "radicale") as url:
                for ws in (ann, bob_path):
                    if isinstance(ws, Path):
                        with Workspace.open(ws) as bob:
                            setup(bob, url, "team", "secret", name="Bench")
                    else:
                        setup(ws, url, "team", "secret", name="Bench")
                results += _window_syncs(bob_path, ann, KINDS)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return results


def put_loop(server, count: int = 100) -> float:  # type: ignore[no-untyped-def]
    """Radicale's time for ``count`` new small events PUT into an empty calendar."""
    from socialdesk.core.sync.dav import DavClient

    with DavClient(server.url, "team", "secret") as client:
        calendar_home, _books = client.homes()
        calendar = f"{calendar_home}reference-{time.monotonic_ns()}/"
        client._call("MKCALENDAR", calendar)
        busy = server.busy_seconds
        for n in range(count):
            client.put(f"{calendar}e{n}.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//b//EN"
                       f"\r\nBEGIN:VEVENT\r\nUID:e{n}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;"
                       f"VALUE=DATE:20270301\r\nSUMMARY:Event {n}\r\nEND:VEVENT\r\nEND:VCALENDAR"
                       "\r\n", "text/calendar", None)
        seconds: float = server.busy_seconds - busy
        client._call("DELETE", calendar)
    return seconds


def _small_demo(folder: Path, server, reference: float) -> list[Result]:  # type: ignore[no-untyped-def]
    """The small demo's first sync, a second laptop joining, and 10 changed items."""
    from datetime import date

    from socialdesk.core.demo import create_demo
    from socialdesk.core.sync import engine
    from socialdesk.core.sync.account import client_for, setup
    from socialdesk.core.sync.kinds import default_kinds
    from socialdesk.store.workspace import Workspace

    kinds = default_kinds()
    create_demo(folder / "demo.sqlite", size="small", seed=1, today=date.today())

    def timed_sync(ws: Workspace) -> tuple[float, engine.Summary]:
        began = time.perf_counter()
        with client_for(ws) as client:
            summary = engine.sync(ws, client, kinds)
        return time.perf_counter() - began, summary

    with Workspace.open(folder / "demo.sqlite") as ann, \
            Workspace.open(folder / "joining.sqlite", create=True) as bob:
        for ws in (ann, bob):
            setup(ws, server.url, "team", "secret", name="Small demo")
        busy = server.busy_seconds
        first, summary = timed_sync(ann)
        inside = (server.busy_seconds - busy) / first * 100
        joined, _ = timed_sync(bob)
        with ann.transaction():
            ann.conn.execute("UPDATE posts SET title = title || ' (changed)' WHERE id IN "
                             "(SELECT id FROM posts ORDER BY id LIMIT 5)")
            ann.conn.execute("UPDATE contacts SET notes = 'changed' WHERE id IN "
                             "(SELECT id FROM contacts ORDER BY id LIMIT 5)")
        sending, sent = timed_sync(ann)
        receiving, received = timed_sync(bob)
        assert sent.sent == received.received == 10, (sent.as_json(), received.as_json())
    return [Result(f"first sync of the small demo ({summary.sent:,} items sent)", first, "s",
                   reference, goal="≤ 15 s"),
            Result("  of which inside Radicale", inside, "%"),
            Result("  second laptop joins (small demo received)", joined, "s", reference,
                   goal="measured"),
            Result("sync with 10 changed items, small demo (sending)", sending, "s",
                   reference, goal="≤ 2 s"),
            Result("sync with 10 changed items, small demo (receiving)", receiving, "s",
                   reference, goal="≤ 2 s"),
            Result("  load average (1 min) after these", os.getloadavg()[0], "")]


@contextlib.contextmanager
def _radicale_process(folder: Path) -> Iterator[str]:
    """``python -m radicale`` serving ``folder`` (as RadicaleServer left it) on a free port."""
    import socket
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = folder / "config"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = htpasswd\n"
        f"htpasswd_filename = {folder / 'users'}\nhtpasswd_encryption = plain\ndelay = 0\n"
        f"[rights]\ntype = owner_only\n[storage]\nfilesystem_folder = "
        f"{folder / 'collections'}\nuse_mtime_and_size_for_item_cache = True\n"
        "[logging]\nlevel = warning\n", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("Radicale did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(10)


def _window_syncs(bob_path: Path, ann, kinds) -> list[Result]:  # type: ignore[no-untyped-def]
    """Bob's window joins, then takes in 10 changes; the worst GUI stall of each."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from socialdesk.core.sync import engine
    from socialdesk.core.sync.account import client_for
    from socialdesk.qt.app import create_application
    from socialdesk.qt.appsettings import app_settings
    from socialdesk.qt.main_window import MainWindow
    from socialdesk.store.workspace import Workspace

    create_application()
    # The code the window's preloader loads on the GUI thread once it shows: loaded at
    # startup on any machine (measured by bench_startup), not during a sync
    from socialdesk.qt.main_window import VIEWS
    from socialdesk.qt.preload import LIBRARIES
    for module in [*LIBRARIES, *(view[3].partition(":")[0] for view in VIEWS)]:
        importlib.import_module(module)
    clock = QElapsedTimer()
    clock.start()
    last, worst = [clock.elapsed()], [0.0]
    # The GUI thread's own CPU time between two ticks: what it did in one go, whatever the
    # machine's load (a late tick on a busy machine may only be a thread waiting for a core)
    last_cpu, worst_cpu = [time.thread_time()], [0.0]

    def tick() -> None:
        now, cpu = clock.elapsed(), time.thread_time()
        worst[0] = max(worst[0], float(now - last[0] - TICK_MS))
        worst_cpu[0] = max(worst_cpu[0], (cpu - last_cpu[0]) * 1000)
        last[0], last_cpu[0] = now, cpu

    probe = QTimer()
    probe.setInterval(TICK_MS)
    probe.timeout.connect(tick)
    window = MainWindow(Workspace.open(bob_path), app_settings())
    window.syncing.kinds = lambda: list(kinds)
    window.show()

    def window_sync() -> tuple[float, float, float]:
        loop = QEventLoop()
        began = time.perf_counter()
        worst[0], last[0] = 0.0, clock.elapsed()
        worst_cpu[0], last_cpu[0] = 0.0, time.thread_time()
        window.syncing.sync_now()
        poll = QTimer()
        poll.timeout.connect(lambda: None if window.syncing.busy else loop.quit())
        poll.start(20)
        loop.exec()
        poll.stop()
        return time.perf_counter() - began, worst[0], worst_cpu[0]

    probe.start()
    seconds, stall, cpu = window_sync()
    results = [Result(f"second laptop joins, {POSTS:,} posts received (window)", seconds, "s",
                      goal="measured"),
               Result("  worst GUI stall meanwhile", stall, "ms", goal="≤ 100 ms"),
               Result("  GUI thread's longest work in one go (CPU)", cpu, "ms",
                      goal="≤ 100 ms")]
    with ann.transaction():
        for n in range(10):
            kinds[0].apply(ann, f"post-{n}", {"title": f"Post {n} changed", "notes": "",
                                              "scheduled_on": ""})
    began = time.perf_counter()
    with client_for(ann) as client:
        assert engine.sync(ann, client, kinds).sent == 10
    results.append(Result("sync with 10 changed posts (sending)", time.perf_counter() - began,
                          "s", goal="≤ 2 s"))
    seconds, stall, cpu = window_sync()
    results += [Result("sync with 10 changed posts (receiving, window)", seconds, "s",
                       goal="≤ 2 s"),
                Result("  worst GUI stall meanwhile", stall, "ms", goal="≤ 100 ms"),
                Result("  GUI thread's longest work in one go (CPU)", cpu, "ms",
                       goal="≤ 100 ms")]
    probe.stop()
    window.hide()
    return results
