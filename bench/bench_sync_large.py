"""A first sync of 5,000 contacts and 2,000 posts with a local Radicale, and 10 changes after.

The workspace is the small demo topped up with generated contacts and posts (made once,
cached in bench/.cache/); each run syncs a copy. Radicale runs in this process, so its
share of the time is measured (``RadicaleServer.busy_seconds``). The reference, measured
in the same run, is Radicale's time for a bare loop of 100 new events written into an
empty calendar: figures are given as ratios to it, since the machine is shared.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench_sync import put_loop
from common import CACHE, Result

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

CONTACTS = int(os.environ.get("SOCIALDESK_BENCH_SYNC_CONTACTS", "5000"))
POSTS = int(os.environ.get("SOCIALDESK_BENCH_SYNC_POSTS_LARGE", "2000"))


def run() -> list[Result]:
    """Measure and return the figures."""
    from radicale_server import RadicaleServer
    from socialdesk.core.sync import engine
    from socialdesk.core.sync.account import client_for, setup
    from socialdesk.core.sync.kinds import default_kinds
    from socialdesk.store.workspace import Workspace

    folder = Path(tempfile.mkdtemp(prefix="socialdesk-bench-sync-large-"))
    for name, value in (("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring"),
                        ("XDG_DATA_HOME", str(folder / "xdg")),
                        ("SOCIALDESK_CONFIG_DIR", str(folder / "config")),
                        ("SOCIALDESK_DATA_DIR", str(folder / "data"))):
        os.environ[name] = value
    path = folder / "team.sqlite"
    shutil.copyfile(_generated(), path)
    server = RadicaleServer(folder / "radicale", {"team": "secret"})
    kinds = default_kinds()
    try:
        reference = put_loop(server)
        load = os.getloadavg()[0]
        with Workspace.open(path) as ws:
            setup(ws, server.url, "team", "secret", name="Large team")
            busy, began = server.busy_seconds, time.perf_counter()
            with client_for(ws) as client:
                summary = engine.sync(ws, client, kinds)
            seconds = time.perf_counter() - began
            inside = server.busy_seconds - busy
            with ws.transaction():
                ws.conn.execute("UPDATE posts SET title = title || ' (changed)' WHERE id IN "
                                "(SELECT id FROM posts ORDER BY id LIMIT 5)")
                ws.conn.execute("UPDATE contacts SET notes = 'changed' WHERE id IN "
                                "(SELECT id FROM contacts ORDER BY id LIMIT 5)")
            began = time.perf_counter()
            with client_for(ws) as client:
                assert engine.sync(ws, client, kinds).sent == 10
            changed = time.perf_counter() - began
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return [
        *joining_address_book(),
        Result("Radicale: 100 new events, bare PUT loop (reference)", reference, "s",
               goal=f"load {load:.1f}"),
        Result(f"first sync, {CONTACTS:,} contacts + {POSTS:,} posts "
               f"({summary.sent:,} items)", seconds, "s", reference, goal="measured"),
        Result("  of which inside Radicale", inside, "s", reference),
        Result("  of which SocialDesk (client)", seconds - inside, "s", reference),
        Result("  sync with 10 changed items after it", changed, "s", reference,
               goal="≤ 2 s"),
        Result("  load average (1 min) after", os.getloadavg()[0], ""),
    ]


def joining_address_book(count: int = 10_000) -> list[Result]:
    """A computer joins a Radicale address book of ``count`` cards, then sends 10 changes.

    The cards (the contact kind's own, of generated contacts) are put into Radicale's
    folder directly, as restoring a server's backup would: sending them through the sync
    would cost Radicale hours (``docs/sync.md``).
    """
    from radicale_server import RadicaleServer
    from socialdesk.core.sync import engine
    from socialdesk.core.sync.account import client_for, setup
    from socialdesk.core.sync.contact_kind import CONTACT_KIND
    from socialdesk.core.sync.dav import DavClient, item_href
    from socialdesk.store import sync as state
    from socialdesk.store.workspace import Workspace

    folder = Path(tempfile.mkdtemp(prefix="socialdesk-bench-sync-book-"))
    server = RadicaleServer(folder / "radicale", {"team": "secret"})
    try:
        reference = put_loop(server)
        with Workspace.open(folder / "source.sqlite", create=True) as source:
            with source.transaction():
                source.conn.executemany(
                    "INSERT INTO contacts (uid, name, organisation, notes) VALUES (?, ?, ?, ?)",
                    [(f"bench-contact-{n}", f"Contact {n}", f"Company {n % 97}",
                      f"Met at the market, stall {n}.") for n in range(count)])
            cards = CONTACT_KIND.records(source)
        with Workspace.open(folder / "joining.sqlite", create=True) as ws:
            setup(ws, server.url, "team", "secret", name="Big book")
            account = state.account(ws)
            assert account is not None
            book = folder / "radicale" / "collections" / "collection-root" / \
                account.addressbook_url.strip("/")
            for uid, record in cards.items():
                name = item_href(account.addressbook_url, uid, "vcf").rsplit("/", 1)[1]
                (book / name).write_text(CONTACT_KIND.to_text(uid, record), encoding="utf-8",
                                         newline="")
            # Radicale reads the new files into its caches and history once (minutes: longer
            # than a sync's deadline for one request); items sent by a sync are read as sent
            with DavClient(server.url, "team", "secret", deadline=900) as client:
                client.etags(account.addressbook_url)
                client.changes(account.addressbook_url, "")
            results = [Result("Radicale: 100 new events, bare PUT loop (reference)", reference,
                              "s", goal=f"load {os.getloadavg()[0]:.1f}")]
            for what in (f"a computer joins an address book of {count:,} cards",
                         f"  10 changed contacts sent, {count:,} in the book"):
                if what.startswith("  "):
                    with ws.transaction():
                        ws.conn.execute("UPDATE contacts SET notes = 'changed' WHERE id IN "
                                        "(SELECT id FROM contacts ORDER BY id LIMIT 10)")
                busy, began = server.busy_seconds, time.perf_counter()
                with client_for(ws) as client:
                    summary = engine.sync(ws, client, [CONTACT_KIND])
                seconds = time.perf_counter() - began
                results += [Result(f"{what} ({summary.received + summary.sent:,} items)",
                                   seconds, "s", reference, goal="measured"),
                            Result("    of which inside Radicale",
                                   server.busy_seconds - busy, "s", reference)]
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return [*results, Result("  load average (1 min) after", os.getloadavg()[0], "")]


def _generated() -> Path:
    """The small demo topped up to CONTACTS contacts and POSTS posts (made once)."""
    from datetime import date

    from socialdesk.core.demo import DEMO_VERSION, create_demo
    from socialdesk.store.migrations import latest_version
    from socialdesk.store.workspace import Workspace

    path = CACHE / (f"sync-{CONTACTS}c-{POSTS}p-v{latest_version()}-demo{DEMO_VERSION}-"
                    f"{date.today().isoformat()}.sqlite")
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(f"sync-{CONTACTS}c-{POSTS}p-*.sqlite"):
        old.unlink()
    making = path.with_suffix(".making")
    making.unlink(missing_ok=True)
    create_demo(making, size="small", seed=1, today=date.today())
    with Workspace.open(making) as ws, ws.transaction():
        have = ws.conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
        ws.conn.executemany(
            "INSERT INTO contacts (uid, name, organisation, notes) VALUES (?, ?, ?, ?)",
            [(f"bench-contact-{n}", f"Contact {n}", f"Company {n % 97}",
              f"Met at the market, stall {n}.") for n in range(max(CONTACTS - have, 0))])
        have = ws.conn.execute("SELECT count(*) FROM posts").fetchone()[0]
        ws.conn.executemany(
            "INSERT INTO posts (uid, title, body, status, scheduled_on, notes) "
            "VALUES (?, ?, ?, 'draft', ?, ?)",
            [(f"bench-post-{n}", f"Post {n}", f"The text of post {n}.",
              f"2027-{1 + n % 12:02d}-{1 + n % 28:02d}", "") for n in range(max(POSTS - have, 0))])
    making.rename(path)
    return path
