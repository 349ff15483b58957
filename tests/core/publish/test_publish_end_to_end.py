"""Publishing and results, end to end on a fresh workspace connected to both local fakes.

A post goes out to Mastodon and Bluesky; a partner's boost answers their ask with evidence;
a partner's unasked repost is recorded as a reshare; and each failure (a revoked secret, a
validation error, a rate limit with Retry-After, a server error, no network) leaves the
post scheduled, with one message, and is sent exactly once when the server is back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from publish_fakes import (
    BLUESKY_HANDLE,
    BLUESKY_PASSWORD,
    MASTODON_TOKEN,
    FakeBluesky,
    FakeMastodon,
    connected_long_ago,
)
from socialdesk.core.publish import accounts
from socialdesk.core.publish.publishing import Publisher
from socialdesk.core.publish.results import fetch_results
from socialdesk.store import asks, publishing, reports
from socialdesk.store.audiences import set_audiences
from socialdesk.store.contacts import save_contact
from socialdesk.store.interactions import interactions_of
from socialdesk.store.models import Audience, Contact, PostDraft
from socialdesk.store.post_writes import create_post, get_post
from socialdesk.store.workspace import Workspace

Fake = FakeMastodon | FakeBluesky


@pytest.fixture
def connected(workspace: Workspace, mastodon_server: FakeMastodon,
              bluesky_server: FakeBluesky, fresh_keyring: None) -> Workspace:
    accounts.add_mastodon(workspace, mastodon_server.url, MASTODON_TOKEN)
    accounts.add_bluesky(workspace, BLUESKY_HANDLE, BLUESKY_PASSWORD, bluesky_server.url)
    connected_long_ago(workspace.conn)
    return workspace


def a_post(ws: Workspace, text: str, networks: tuple[str, ...]) -> int:
    when = datetime.now(UTC) - timedelta(hours=1)
    return create_post(ws, PostDraft(
        title=text, body=text, status="scheduled", scheduled_on=when.date().isoformat(),
        scheduled_time=when.strftime("%H:%M"), timezone="UTC",
        link="https://hearth.example/rye", channels=tuple((n, None) for n in networks)))


def made(fake: Fake, text: str) -> int:
    """How many posts the server holds whose text starts with ``text``."""
    if isinstance(fake, FakeMastodon):
        return sum(f">{text}" in s["content"] for s in fake.statuses)
    return sum(r["value"]["text"].startswith(text) for r in fake.records.values())


def test_a_post_goes_out_and_its_boosts_come_back_as_shares_and_reshares(
        connected: Workspace, mastodon_server: FakeMastodon,
        bluesky_server: FakeBluesky) -> None:
    ws = connected
    cafe = save_contact(ws, Contact(id=0, name="Corner Café", kind="partner"))
    set_audiences(ws, cafe, [Audience(0, cafe, "mastodon", 800, "@cafe@other.example")])
    ada = save_contact(ws, Contact(id=0, name="Ada Baker", kind="partner"))
    set_audiences(ws, ada, [Audience(0, ada, "bluesky", 300, "@ada.bsky.social")])
    post = a_post(ws, "Rye day at the market hall", ("mastodon", "bluesky"))
    (ask,) = asks.create_asks(ws, [asks.NewAsk(cafe, post, date.today().isoformat())])

    with Publisher(ws) as publisher:
        outcomes = publisher.publish(post)
    assert [(o.account.network, o.state) for o in outcomes] == [
        ("mastodon", "sent"), ("bluesky", "sent")]
    detail = get_post(ws, post)
    assert detail is not None and detail.draft.status == "published"
    (status,) = mastodon_server.statuses
    (rkey,) = bluesky_server.records
    assert bluesky_server.records[rkey]["value"]["text"] == (
        "Rye day at the market hall\n\nhttps://hearth.example/rye")

    mastodon_server.boost(status["id"], "cafe@other.example", "Corner Café")
    bluesky_server.repost(rkey, "ada.bsky.social", "Ada")
    report = fetch_results(ws)
    assert (report.read, report.problems) == (2, [])
    assert report.shared == ["Corner Café shared “Rye day at the market hall” on Mastodon."]
    assert report.reshares == ["Ada Baker shared “Rye day at the market hall” on Bluesky "
                               "without being asked."]
    answered = asks.get_ask(ws, ask)
    assert answered is not None and (answered.status, answered.observed_reach) == (
        "shared", 800)
    assert answered.note == (f"Boosted on Mastodon by cafe@other.example ({status['url']}), "
                             f"read {date.today().isoformat()}.")  # UTC today
    (reshare,) = [i for i in interactions_of(ws, ada) if i.kind == "shared"]
    assert "Reposted on Bluesky by ada.bsky.social" in reshare.note
    assert reports.post_results(ws)[0].partner_reach == 800 + 300

    with Publisher(ws) as publisher:  # again: nothing is sent twice
        assert [o.state for o in publisher.publish(post)] == ["already", "already"]
    assert fetch_results(ws).shared == []
    assert (len(mastodon_server.statuses), len(bluesky_server.records)) == (1, 1)


def _stop_and_come_back(fake: Fake) -> Callable[[], Fake]:
    """No network: the server is down; the returned call starts it again on its port."""
    port = int(fake.url.rsplit(":", 1)[1])
    fake.stop()
    return lambda: type(fake)(port).start()


# (network, failure, what the message says, the state it leaves). Mastodon's 401, 422 and
# 429 and both networks' server errors are in test_publishing.py.
FAILURES = [
    ("mastodon", None, "Cannot reach 127.0.0.1", "failed"),
    ("bluesky", (401, {"error": "AuthenticationRequired", "message": "Invalid identifier or "
                       "password"}, {}), "refused the app password (401", "failed"),
    ("bluesky", (400, {"error": "InvalidRequest", "message": "Invalid app.bsky.feed.post "
                       "record"}, {}), "refused it (400: Invalid app.bsky.feed.post", "failed"),
    ("bluesky", (429, {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                 {"Retry-After": "120"}),
     "is limiting requests (429: Rate Limit Exceeded); try again in 2 minutes", "failed"),
    ("bluesky", None, "Cannot reach 127.0.0.1", "failed"),
]


@pytest.mark.parametrize(("network", "refusal", "message", "state"), FAILURES,
                         ids=[f"{n}-{r[0] if r else 'no network'}" for n, r, _, _ in FAILURES])
def test_a_failure_leaves_the_post_scheduled_and_it_goes_out_once_later(
        connected: Workspace, mastodon_server: FakeMastodon, bluesky_server: FakeBluesky,
        network: str, refusal: tuple[int, dict[str, str], dict[str, str]] | None,
        message: str, state: str) -> None:
    ws = connected
    fake: Fake = mastodon_server if network == "mastodon" else bluesky_server
    text = f"Rye on {network}"
    post = a_post(ws, text, (network,))
    back = None
    if refusal is None:
        back = _stop_and_come_back(fake)
    else:
        fake.refuse_next(*refusal)
    now = datetime.now(UTC)
    with Publisher(ws, now=now, deadline=5.0) as publisher:
        (outcome,) = publisher.publish(post)
    assert outcome.state == state and message in outcome.message
    assert "\n" not in outcome.message and MASTODON_TOKEN not in outcome.message
    detail = get_post(ws, post)
    assert detail is not None and detail.draft.status == "scheduled"
    assert made(fake, text) == 0

    if back is not None:
        fake = back()
    limited = refusal is not None and refusal[0] == 429
    with Publisher(ws, now=now + timedelta(minutes=1)) as publisher:  # the next run
        assert [o.state for o in publisher.publish(post)] == [
            "waiting" if limited else "sent"]  # not before the 2 minutes a limit asked for
    with Publisher(ws, now=now + timedelta(minutes=3)) as publisher:
        assert [o.state for o in publisher.publish(post)] == ["sent" if limited else "already"]
        assert [o.state for o in publisher.publish(post)] == ["already"]
    try:
        assert made(fake, text) == 1
        detail = get_post(ws, post)
        assert detail is not None and detail.draft.status == "published"
        (row,) = publishing.publications_of(ws, post)
        assert row.state == "sent" and row.error == ""
    finally:
        if back is not None:
            fake.stop()
