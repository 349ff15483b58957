"""Reading back the results of 500 posts published to Mastodon and Bluesky (local fakes).

Goal: ``results fetch`` for 500 published posts (each on both networks: 1,000
publications, 2,000 reads) within 10 s, with at most 4 requests in flight per server.
The fakes (``tests/publish_fakes.py``) answer each request after 10 ms, as a near server
would; each post has a few boosters, one of them a partner with an open ask.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from common import Result

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

POSTS = 500
LATENCY = 0.010


def run() -> list[Result]:
    """Measure and return the figures."""
    import os

    from publish_fakes import (
        BLUESKY_HANDLE,
        BLUESKY_PASSWORD,
        MASTODON_TOKEN,
        FakeBluesky,
        FakeMastodon,
    )
    from socialdesk.core.publish import accounts
    from socialdesk.core.publish.publishing import Publisher
    from socialdesk.core.publish.results import IN_FLIGHT, fetch_results
    from socialdesk.store import asks
    from socialdesk.store.audiences import set_audiences
    from socialdesk.store.contacts import save_contact
    from socialdesk.store.models import Audience, Contact, PostDraft
    from socialdesk.store.post_writes import create_post
    from socialdesk.store.workspace import Workspace

    folder = Path(tempfile.mkdtemp(prefix="socialdesk-bench-publish-"))
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    os.environ["XDG_DATA_HOME"] = str(folder / "xdg")
    mastodon, bluesky = FakeMastodon().start(), FakeBluesky().start()
    try:
        with Workspace.open(folder / "bench.sqlite", create=True) as ws:
            accounts.add_mastodon(ws, mastodon.url, MASTODON_TOKEN)
            accounts.add_bluesky(ws, BLUESKY_HANDLE, BLUESKY_PASSWORD, bluesky.url)
            cafe = save_contact(ws, Contact(id=0, name="Corner Café", kind="partner"))
            set_audiences(ws, cafe, [Audience(0, cafe, "mastodon", 800, "cafe@other.example"),
                                     Audience(0, cafe, "bluesky", 500, "cafe.bsky.social")])
            when = datetime.now(UTC) - timedelta(days=1)
            post_ids = [create_post(ws, PostDraft(
                title=f"Post {n}", body=f"Post number {n} 🍞 https://hearth.example/{n}",
                status="scheduled", scheduled_on=when.date().isoformat(),
                scheduled_time=when.strftime("%H:%M"), timezone="UTC",
                channels=(("mastodon", None), ("bluesky", None)))) for n in range(POSTS)]
            asks.create_asks(ws, [asks.NewAsk(cafe, post, date.today().isoformat())
                                  for post in post_ids])
            with Publisher(ws) as publisher:
                for post in post_ids:
                    publisher.publish(post)
            for status in mastodon.statuses:
                for acct in ("cafe@other.example", "zed", "amy@far.example"):
                    mastodon.boost(status["id"], acct)
            for rkey in bluesky.records:
                for handle in ("cafe.bsky.social", "zed.bsky.social"):
                    bluesky.repost(rkey, handle)
            mastodon.latency = bluesky.latency = LATENCY
            started = time.perf_counter()
            report = fetch_results(ws)
            seconds = time.perf_counter() - started
        assert report.read == 2 * POSTS and not report.problems, report.problems
        most = max(mastodon.most_in_flight, bluesky.most_in_flight)
    finally:
        mastodon.stop()
        bluesky.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return [
        Result(f"results fetch, {POSTS} posts × 2 networks ({LATENCY * 1000:g} ms a request)",
               seconds, "s", goal="≤ 10 s"),
        Result("most requests in flight on one server", float(most), "",
               goal=f"≤ {IN_FLIGHT}"),
    ]
