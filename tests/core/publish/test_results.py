"""Reading back results: counts, who shared, asks turned shared, unprompted reshares."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest

from publish_fakes import (
    BLUESKY_HANDLE,
    BLUESKY_PASSWORD,
    MASTODON_TOKEN,
    FakeBluesky,
    FakeMastodon,
)
from socialdesk.core.planner.track_record import track_record
from socialdesk.core.publish import accounts
from socialdesk.core.publish.publishing import Publisher
from socialdesk.core.publish.results import fetch_results, handle_key
from socialdesk.core.publish.web import MAX_PAGES
from socialdesk.store import asks, reports
from socialdesk.store.audiences import set_audiences
from socialdesk.store.contacts import save_contact
from socialdesk.store.interactions import interactions_of
from socialdesk.store.models import Audience, Contact, PostDraft
from socialdesk.store.post_writes import create_post, get_post
from socialdesk.store.workspace import Workspace


@pytest.fixture
def published(workspace: Workspace, mastodon_server: FakeMastodon,
              bluesky_server: FakeBluesky, fresh_keyring: None) -> dict[str, int]:
    """A post out on both networks, a partner asked for it, a partner not asked."""
    accounts.add_mastodon(workspace, mastodon_server.url, MASTODON_TOKEN)
    accounts.add_bluesky(workspace, BLUESKY_HANDLE, BLUESKY_PASSWORD, bluesky_server.url)
    when = datetime.now(UTC) - timedelta(hours=1)
    post = create_post(workspace, PostDraft(
        title="Rye day", body="Rye day 🍞 at the market hall", status="scheduled",
        scheduled_on=when.date().isoformat(), scheduled_time=when.strftime("%H:%M"),
        timezone="UTC", channels=(("mastodon", None), ("bluesky", None))))
    cafe = save_contact(workspace, Contact(id=0, name="Corner Café", kind="partner"))
    set_audiences(workspace, cafe, [Audience(0, cafe, "mastodon", 800, "@Cafe@other.example")])
    ada = save_contact(workspace, Contact(id=0, name="Ada Baker", kind="partner"))
    set_audiences(workspace, ada, [Audience(0, ada, "bluesky", 300,
                                            url="https://bsky.app/profile/ada.bsky.social")])
    (ask,) = asks.create_asks(workspace, [asks.NewAsk(
        cafe, post, date.today().isoformat(), note="Said yes at the market",
        forecast=asks.Forecast(p=0.5, reach=500.0, x0=0.2, model_version=1))])
    with Publisher(workspace) as publisher:
        assert [o.state for o in publisher.publish(post)] == ["sent", "sent"]
    (status,) = mastodon_server.statuses
    mastodon_server.boost(status["id"], "cafe@other.example", "Corner Café")
    mastodon_server.boost(status["id"], "zed", "A stranger")
    (rkey,) = bluesky_server.records
    bluesky_server.repost(rkey, "ada.bsky.social", "Ada")
    return {"post": post, "cafe": cafe, "ada": ada, "ask": ask}


def test_a_fetch_reads_counts_and_turns_a_partners_boost_into_a_shared_ask(
        workspace: Workspace, published: dict[str, int], mastodon_server: FakeMastodon) -> None:
    report = fetch_results(workspace)
    assert report.read == 2 and report.problems == []
    assert report.shared == ["Corner Café shared “Rye day” on Mastodon."]
    assert report.reshares == ["Ada Baker shared “Rye day” on Bluesky without being asked."]
    ask = asks.get_ask(workspace, published["ask"])
    assert ask is not None and (ask.status, ask.observed_reach) == ("shared", 800)
    assert ask.note.startswith("Said yes at the market\nBoosted on Mastodon by "
                               "cafe@other.example (http://127.0.0.1:")
    (reshare,) = [i for i in interactions_of(workspace, published["ada"]) if i.kind == "shared"]
    assert reshare.note.startswith("Shared “Rye day” without being asked: Reposted on "
                                   "Bluesky by ada.bsky.social")
    detail = get_post(workspace, published["post"])
    # Mastodon: 2 boosts; Bluesky: 1 repost, 7 likes, 2 replies, 1 quote.
    assert detail is not None and detail.draft.engagements == 13
    sharers = workspace.conn.execute(
        "SELECT handle, contact_id, ask_id FROM publication_sharers ORDER BY handle").fetchall()
    assert [tuple(r) for r in sharers] == [
        ("ada.bsky.social", published["ada"], None),
        ("cafe@other.example", published["cafe"], published["ask"]),
        (f"zed@{mastodon_server.url.split('://')[1]}", None, None)]

    again = fetch_results(workspace)
    assert (again.read, again.shared, again.reshares) == (2, [], [])
    assert len([i for i in interactions_of(workspace, published["ada"])
                if i.kind == "shared"]) == 1


def test_shares_read_back_count_in_realised_reach_and_the_track_record(
        workspace: Workspace, published: dict[str, int]) -> None:
    fetch_results(workspace)
    # The café's ask, shared on Mastodon: its audience there, 800. Ada reposted unasked on
    # Bluesky: her audience there, 300. The stranger is no partner: nothing.
    (row,) = reports.post_results(workspace)
    assert (row.status, row.asks, row.shared, row.partner_reach) == ("published", 1, 1, 1100)
    (campaign,) = reports.campaign_rows(workspace)
    assert (campaign.shared, campaign.partner_reach) == (1, 1100)
    day = workspace.conn.execute("SELECT scheduled_on FROM posts WHERE id = ?",
                                 (published["post"],)).fetchone()[0]  # yesterday after midnight
    (week,) = reports.weekly_reach(workspace, day, day)
    assert week.partner_reach == 1100
    record = track_record(workspace)
    # One ask planned at p = 0.5 came true: Brier (1 − 0.5)² = 0.25; its reach 800
    # against E_c (1 − x_0) = 500 × 0.8 = 400: a log bias of ln 2.
    assert (record.resolved, record.brier) == (1, 0.25)
    assert record.reach_bias.asks == 1
    assert record.reach_bias.mean_log == pytest.approx(math.log(2))

    fetch_results(workspace)  # read again: nothing counts twice
    assert reports.post_results(workspace)[0].partner_reach == 1100


def test_a_reshare_by_a_partner_asked_later_counts_once_through_the_ask(
        workspace: Workspace, published: dict[str, int]) -> None:
    fetch_results(workspace)
    (late,) = asks.create_asks(workspace, [asks.NewAsk(
        published["ada"], published["post"], date.today().isoformat())])
    assert reports.post_results(workspace)[0].partner_reach == 800  # asked, not shared yet
    asks.record_outcome(workspace, late, "shared", observed_reach=350)
    assert reports.post_results(workspace)[0].partner_reach == 1150


def test_a_rate_limit_stops_the_account_and_keeps_what_was_read(
        workspace: Workspace, published: dict[str, int], mastodon_server: FakeMastodon) -> None:
    mastodon_server.refuse_next(429, {"error": "Too many requests"}, {"Retry-After": "60"})
    report = fetch_results(workspace)
    assert report.read == 1  # Bluesky's
    assert report.problems == [f"@hearth@{mastodon_server.url.split('://')[1]}: "
                               f"{mastodon_server.url.split('://')[1]} is limiting requests "
                               "(429: Too many requests); try again in 60 seconds."]
    ask = asks.get_ask(workspace, published["ask"])
    assert ask is not None and ask.status == "asked"
    assert fetch_results(workspace).shared == ["Corner Café shared “Rye day” on Mastodon."]


def test_boosters_beyond_the_first_page_are_read_by_the_link_header(
        workspace: Workspace, published: dict[str, int], mastodon_server: FakeMastodon) -> None:
    (status,) = mastodon_server.statuses
    mastodon_server.boosters[status["id"]].reverse()  # the café boosted first: read last
    for n in range(200):
        mastodon_server.boost(status["id"], f"fan{n}@elsewhere.example")
    report = fetch_results(workspace)
    assert report.shared == ["Corner Café shared “Rye day” on Mastodon."]
    assert mastodon_server.requests.count(
        ("GET", f"/api/v1/statuses/{status['id']}/reblogged_by")) == 3  # 80 + 80 + 42
    assert workspace.conn.execute(
        "SELECT count(*) FROM publication_sharers").fetchone()[0] == 203


@pytest.mark.parametrize("network", ["mastodon", "bluesky"])
def test_a_server_whose_pages_never_end_is_read_up_to_the_bound(
        workspace: Workspace, published: dict[str, int], mastodon_server: FakeMastodon,
        bluesky_server: FakeBluesky, network: str) -> None:
    mastodon_server.endless_boosts = network == "mastodon"
    bluesky_server.endless_reposts = network == "bluesky"
    report = fetch_results(workspace)
    assert (report.read, report.problems) == (2, [])
    server = mastodon_server if network == "mastodon" else bluesky_server
    pages = [path for _, path in server.requests
             if path.endswith(("/reblogged_by", "getRepostedBy"))]
    assert len(pages) == MAX_PAGES
    per_page = 80 if network == "mastodon" else 100
    assert workspace.conn.execute(
        "SELECT count(*) FROM publication_sharers s JOIN publications x "
        "ON x.id = s.publication_id JOIN accounts a ON a.id = x.account_id "
        "WHERE a.network = ?", (network,)).fetchone()[0] == MAX_PAGES * per_page


def test_a_post_deleted_on_its_network_is_named_in_the_problem(
        workspace: Workspace, published: dict[str, int], mastodon_server: FakeMastodon) -> None:
    mastodon_server.statuses.clear()  # deleted on the instance: 404 Record not found
    report = fetch_results(workspace)
    host = mastodon_server.url.split("://")[1]
    assert report.read == 1  # Bluesky's
    assert report.problems == [f"@hearth@{host}, “Rye day”: {host} refused it "
                               "(404: Record not found)."]


def test_a_revoked_token_is_one_message_not_one_per_post(
        workspace: Workspace, published: dict[str, int], mastodon_server: FakeMastodon) -> None:
    when = datetime.now(UTC) - timedelta(hours=1)
    for n in range(5):
        post = create_post(workspace, PostDraft(
            title=f"Oat day {n}", body=f"Oat day {n}", status="scheduled",
            scheduled_on=when.date().isoformat(), scheduled_time=when.strftime("%H:%M"),
            timezone="UTC", channels=(("mastodon", None),)))
        with Publisher(workspace) as publisher:
            assert [o.state for o in publisher.publish(post)] == ["sent"]
    mastodon_server.token = "revoked"
    report = fetch_results(workspace)
    host = mastodon_server.url.split("://")[1]
    assert report.read == 1  # Bluesky's
    assert report.problems == [f"@hearth@{host}: {host} refused the access token (401: The "
                               "access token is invalid). Connect the account again with a "
                               "new one."]


@pytest.mark.parametrize(("network", "text", "key"), [
    ("mastodon", "@Cafe@Other.Example", "cafe@other.example"),
    ("mastodon", "https://other.example/@cafe", "cafe@other.example"),
    ("bluesky", "@ada.bsky.social", "ada.bsky.social"),
    ("bluesky", "https://bsky.app/profile/ada.bsky.social/", "ada.bsky.social"),
])
def test_handles_and_profile_addresses_compare_as_one_key(network: str, text: str,
                                                          key: str) -> None:
    assert handle_key(network, text) == key


def test_a_scheduled_status_is_followed_to_the_status_the_server_made(
        workspace: Workspace, mastodon_server: FakeMastodon, fresh_keyring: None) -> None:
    accounts.add_mastodon(workspace, mastodon_server.url, MASTODON_TOKEN)
    when = (datetime.now(UTC) + timedelta(days=1)).replace(second=0, microsecond=0)
    post = create_post(workspace, PostDraft(
        title="Tomorrow", body="Fresh tomorrow", status="scheduled",
        scheduled_on=when.date().isoformat(), scheduled_time=when.strftime("%H:%M"),
        timezone="UTC", channels=(("mastodon", None),)))
    with Publisher(workspace) as publisher:
        assert [o.state for o in publisher.publish(post)] == ["scheduled"]
    assert fetch_results(workspace).read == 0  # not out yet
    later = when + timedelta(minutes=1)
    report = fetch_results(workspace, now=later)
    assert (report.read, report.problems) == (0, [])  # its time came, the server is late
    mastodon_server.publish_scheduled()
    (status,) = mastodon_server.statuses
    mastodon_server.boost(status["id"], "zed")
    report = fetch_results(workspace, now=later)
    assert (report.read, report.problems) == (1, [])
    detail = get_post(workspace, post)
    assert detail is not None
    assert (detail.draft.status, detail.draft.published_url, detail.draft.engagements) == (
        "published", status["url"], 1)
