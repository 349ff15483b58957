"""Publishing a post to the fake Mastodon and Bluesky servers: once, on time, within limits."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from publish_fakes import (
    BLUESKY_HANDLE,
    BLUESKY_PASSWORD,
    MASTODON_TOKEN,
    FakeBluesky,
    FakeMastodon,
    connected_long_ago,
)
from socialdesk.core.calendar.media import media_folder
from socialdesk.core.publish import accounts
from socialdesk.core.publish.bluesky import link_facets
from socialdesk.core.publish.publishing import Publisher
from socialdesk.store import publishing
from socialdesk.store.models import PostDraft
from socialdesk.store.post_writes import create_post, get_post
from socialdesk.store.workspace import Workspace

MASTO_TEXT = "Fresh rye at the market hall today 🍞 https://hearth.example/rye"
SKY_TEXT = "Grüße! Frisches Roggenbrot 🍞👍🏽 heute: hearth.shop/rye — bis gleich"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


@pytest.fixture
def connected(workspace: Workspace, mastodon_server: FakeMastodon,
              bluesky_server: FakeBluesky, fresh_keyring: None) -> Workspace:
    accounts.add_mastodon(workspace, mastodon_server.url, MASTODON_TOKEN)
    accounts.add_bluesky(workspace, BLUESKY_HANDLE, BLUESKY_PASSWORD, bluesky_server.url)
    connected_long_ago(workspace.conn)
    mastodon_server.requests.clear()
    bluesky_server.requests.clear()
    return workspace


def make_post(ws: Workspace, *, when: datetime | None = None, masto: str | None = MASTO_TEXT,
              sky: str | None = SKY_TEXT, media: tuple[str, ...] = (),
              media_alt: tuple[str, ...] = ()) -> int:
    when = when or datetime.now(UTC) - timedelta(hours=1)
    channels = tuple((p, t) for p, t in (("mastodon", masto), ("bluesky", sky))
                     if t is not None)
    return create_post(ws, PostDraft(
        title="Rye day", body="Rye day at the market", status="scheduled",
        scheduled_on=when.date().isoformat(), scheduled_time=when.strftime("%H:%M"),
        timezone="UTC", channels=channels, media=media, media_alt=media_alt))


def posts_made(fake: FakeMastodon | FakeBluesky) -> int:
    return len(fake.statuses) if isinstance(fake, FakeMastodon) else len(fake.records)


def test_a_post_goes_out_to_both_networks_once(
        connected: Workspace, mastodon_server: FakeMastodon,
        bluesky_server: FakeBluesky) -> None:
    post = make_post(connected)
    with Publisher(connected) as publisher:
        outcomes = publisher.publish(post)
    assert [(o.account.network, o.state) for o in outcomes] == [
        ("mastodon", "sent"), ("bluesky", "sent")]
    (status,) = mastodon_server.statuses
    assert outcomes[0].url == status["url"] and outcomes[0].remote_id == status["id"]
    (record,) = [r["value"] for r in bluesky_server.records.values()]
    assert record["text"] == SKY_TEXT and record["$type"] == "app.bsky.feed.post"
    (facet,) = record["facets"]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert SKY_TEXT.encode()[start:end] == b"hearth.shop/rye"
    assert facet["features"] == [{"$type": "app.bsky.richtext.facet#link",
                                  "uri": "https://hearth.shop/rye"}]
    assert outcomes[1].url.startswith("https://bsky.app/profile/did:plc:")
    detail = get_post(connected, post)
    assert detail is not None
    assert (detail.draft.status, detail.draft.published_url) == ("published", status["url"])

    with Publisher(connected) as publisher:
        again = publisher.publish(post)
    assert [o.state for o in again] == ["already", "already"]
    assert (posts_made(mastodon_server), posts_made(bluesky_server)) == (1, 1)


def test_link_facets_count_utf8_bytes_around_accents_and_emoji() -> None:
    text = "Ça 👩‍👩‍👧 coûte: https://hearth.example/prix?t=é, et www.hearth.example/ü!"
    facets = link_facets(text)
    found = [text.encode()[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode()
             for f in facets]
    assert found == ["https://hearth.example/prix?t=é", "www.hearth.example/ü"]
    assert [f["features"][0]["uri"] for f in facets] == [
        "https://hearth.example/prix?t=é", "https://www.hearth.example/ü"]
    assert link_facets("no links here") == []


def test_a_text_over_the_limit_is_refused_before_anything_is_sent(
        connected: Workspace, mastodon_server: FakeMastodon,
        bluesky_server: FakeBluesky) -> None:
    post = make_post(connected, masto="x" * 501, sky="👍🏽" * 301)
    with Publisher(connected) as publisher:
        outcomes = publisher.publish(post)
    assert [(o.state, o.message) for o in outcomes] == [
        ("refused", "Too long for Mastodon (501 / 500 — 1 too many): not sent."),
        ("refused", "Too long for Bluesky (301 / 300 — 1 too many): not sent."),
    ]
    assert mastodon_server.requests == [] and bluesky_server.requests == []
    assert publishing.publications_of(connected, post) == []
    detail = get_post(connected, post)
    assert detail is not None and detail.draft.status == "scheduled"


def test_300_emoji_with_skin_tones_fit_bluesky(
        connected: Workspace, bluesky_server: FakeBluesky) -> None:
    post = make_post(connected, masto=None, sky="👍🏽" * 300)
    with Publisher(connected) as publisher:
        assert [o.state for o in publisher.publish(post)] == ["sent"]


def test_a_later_post_is_scheduled_on_mastodon_and_waits_for_due_on_bluesky(
        connected: Workspace, mastodon_server: FakeMastodon,
        bluesky_server: FakeBluesky) -> None:
    when = (datetime.now(UTC) + timedelta(days=1)).replace(second=0, microsecond=0)
    post = make_post(connected, when=when)
    with Publisher(connected) as publisher:
        outcomes = publisher.publish(post)
    assert [o.state for o in outcomes] == ["scheduled", "waiting"]
    (scheduled,) = mastodon_server.scheduled
    assert scheduled["scheduled_at"] == when.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert scheduled["params"]["text"] == MASTO_TEXT
    assert mastodon_server.statuses == [] and bluesky_server.records == {}
    detail = get_post(connected, post)
    assert detail is not None and detail.draft.status == "scheduled"

    with Publisher(connected, now=when - timedelta(minutes=1)) as publisher:
        assert publisher.due() == []
    with Publisher(connected, now=when + timedelta(minutes=1)) as publisher:
        due = publisher.due()
    assert [(o.account.network, o.state) for o in due] == [("bluesky", "sent")]
    (record,) = bluesky_server.records.values()
    assert record["value"]["text"] == SKY_TEXT
    assert len(mastodon_server.scheduled) == 1 and mastodon_server.statuses == []
    with Publisher(connected, now=when + timedelta(minutes=2)) as publisher:
        assert publisher.due() == []


def test_media_go_with_their_post(
        connected: Workspace, mastodon_server: FakeMastodon,
        bluesky_server: FakeBluesky) -> None:
    folder = media_folder(connected.path)
    folder.mkdir()
    (folder / "rye.png").write_bytes(PNG)
    post = make_post(connected, media=("rye.png",), media_alt=("A rye loaf, sliced",))
    detail = get_post(connected, post)
    assert detail is not None and detail.draft.media_alt == ("A rye loaf, sliced",)
    with Publisher(connected) as publisher:
        assert [o.state for o in publisher.publish(post)] == ["sent", "sent"]
    (status,) = mastodon_server.statuses
    assert [(m["_bytes"], m["description"]) for m in status["media_attachments"]] == [
        (len(PNG), "A rye loaf, sliced")]
    (record,) = bluesky_server.records.values()
    (image,) = record["value"]["embed"]["images"]
    assert image["alt"] == "A rye loaf, sliced"
    assert bluesky_server.blobs[image["image"]["ref"]["$link"]] == ("image/png", PNG)
    assert record["value"]["embed"]["$type"] == "app.bsky.embed.images"


def test_a_validation_error_fails_and_the_next_try_sends_once(
        connected: Workspace, mastodon_server: FakeMastodon) -> None:
    post = make_post(connected, sky=None)
    mastodon_server.refuse_next(422, {"error": "Validation failed: Text can't be blank"})
    with Publisher(connected) as publisher:
        (outcome,) = publisher.publish(post)
    assert outcome.state == "failed"
    assert outcome.message.endswith("refused it (422: Validation failed: Text can't be blank).")
    (row,) = publishing.publications_of(connected, post)
    assert (row.state, row.error) == ("failed", outcome.message)
    detail = get_post(connected, post)
    assert detail is not None and detail.draft.status == "scheduled"
    with Publisher(connected) as publisher:
        assert [o.state for o in publisher.publish(post)] == ["sent"]
    assert posts_made(mastodon_server) == 1


@pytest.mark.parametrize(("status", "payload", "headers", "message"), [
    (401, {"error": "The access token is invalid"}, {},
     "refused the access token (401: The access token is invalid). Connect the account again"),
    (429, {"error": "Too many requests"}, {"Retry-After": "30"},
     "is limiting requests (429: Too many requests); try again in 30 seconds."),
])
def test_a_refusal_leaves_the_post_scheduled_with_one_message(
        connected: Workspace, mastodon_server: FakeMastodon, status: int,
        payload: dict[str, str], headers: dict[str, str], message: str) -> None:
    post = make_post(connected, sky=None)
    mastodon_server.refuse_next(status, payload, headers)
    with Publisher(connected) as publisher:
        (outcome,) = publisher.publish(post)
    assert outcome.state == "failed" and message in outcome.message
    assert posts_made(mastodon_server) == 0
    detail = get_post(connected, post)
    assert detail is not None and detail.draft.status == "scheduled"


@pytest.mark.parametrize("network", ["mastodon", "bluesky"])
def test_a_lost_answer_is_looked_for_before_anything_is_sent_again(
        connected: Workspace, mastodon_server: FakeMastodon, bluesky_server: FakeBluesky,
        network: str) -> None:
    fake = mastodon_server if network == "mastodon" else bluesky_server
    post = make_post(connected, masto=MASTO_TEXT if network == "mastodon" else None,
                     sky=SKY_TEXT if network == "bluesky" else None)
    fake.hang_after_post = True  # the post is made, its answer never comes in time
    with Publisher(connected, deadline=1.0) as publisher:
        (outcome,) = publisher.publish(post)
    assert outcome.state == "unknown" and "did not answer within 1 seconds" in outcome.message
    (row,) = publishing.publications_of(connected, post)
    assert row.state == "intent"
    fake.hang_after_post = False
    fake.release.set()
    with Publisher(connected) as publisher:
        (again,) = publisher.publish(post)
    assert (again.state, again.message) == ("sent", f"Found already sent to "
                                            f"{again.account.handle}.")
    assert posts_made(fake) == 1
    (row,) = publishing.publications_of(connected, post)
    assert row.state == "sent" and row.remote_id == again.remote_id


@pytest.mark.parametrize("network", ["mastodon", "bluesky"])
def test_a_server_error_before_posting_is_sent_again_with_the_same_key(
        connected: Workspace, mastodon_server: FakeMastodon, bluesky_server: FakeBluesky,
        network: str) -> None:
    fake = mastodon_server if network == "mastodon" else bluesky_server
    post = make_post(connected, masto=MASTO_TEXT if network == "mastodon" else None,
                     sky=SKY_TEXT if network == "bluesky" else None)
    if network == "bluesky":  # the session first, so that the refusal hits the post
        with Publisher(connected) as publisher:
            publisher._client(publishing.accounts(connected)[1]).login()
    fake.refuse_next(502, {"error": "Bad Gateway"})
    with Publisher(connected) as publisher:
        (outcome,) = publisher.publish(post)
        assert outcome.state == "unknown" and "(502: Bad Gateway); try again later" in \
            outcome.message
        (intent,) = publishing.publications_of(connected, post)
        (again,) = publisher.publish(post)
    assert again.state == "sent" and posts_made(fake) == 1
    (row,) = publishing.publications_of(connected, post)
    assert row.idempotency_key == intent.idempotency_key


def test_a_post_without_a_connected_network_says_what_to_do(
        connected: Workspace) -> None:
    from socialdesk.core.publish.web import PublishError

    post = create_post(connected, PostDraft(title="Insta only", channels=(("instagram", None),)))
    with Publisher(connected) as publisher, pytest.raises(PublishError, match="no channel on "
                                                          "a connected account"):
        publisher.publish(post)
    with Publisher(connected) as publisher, pytest.raises(LookupError):
        publisher.publish(9999)


def test_many_posts_in_one_run_get_record_keys_of_their_own(
        connected: Workspace, bluesky_server: FakeBluesky) -> None:
    from socialdesk.core.publish.bluesky import new_tid

    posts = [make_post(connected, masto=None, sky=f"Post {n}") for n in range(40)]
    with Publisher(connected) as publisher:
        states = [o.state for post in posts for o in publisher.publish(post)]
    assert states == ["sent"] * 40 and len(bluesky_server.records) == 40
    keys = [new_tid(1_700_000_000.0) for _ in range(3)]  # one clock reading, three keys
    assert len(set(keys)) == 3 and all(len(k) == 13 for k in keys)


def test_a_rate_limited_post_is_not_sent_again_before_the_server_said(
        connected: Workspace, mastodon_server: FakeMastodon) -> None:
    post = make_post(connected, sky=None)
    mastodon_server.refuse_next(429, {"error": "Too many requests"}, {"Retry-After": "600"})
    now = datetime.now(UTC)
    with Publisher(connected, now=now) as publisher:
        assert [o.state for o in publisher.publish(post)] == ["failed"]
    mastodon_server.requests.clear()
    with Publisher(connected, now=now + timedelta(minutes=5)) as publisher:
        (waiting,) = publisher.publish(post)
        assert [o.state for o in publisher.due()] == ["waiting"]
    assert waiting.state == "waiting" and "asked to wait until" in waiting.message
    assert mastodon_server.requests == []
    with Publisher(connected, now=now + timedelta(minutes=11)) as publisher:
        assert [o.state for o in publisher.publish(post)] == ["sent"]
    assert posts_made(mastodon_server) == 1


def test_300_long_emoji_are_refused_by_bytes_before_sending(
        connected: Workspace, bluesky_server: FakeBluesky) -> None:
    family = "👩‍👩‍👧‍👦"  # one grapheme, 25 bytes
    post = make_post(connected, masto=None, sky=family * 200)
    with Publisher(connected) as publisher:
        (outcome,) = publisher.publish(post)
    assert (outcome.state, outcome.message) == (
        "refused", "Too long for Bluesky (5,000 bytes; at most 3,000): not sent.")
    assert bluesky_server.requests == []


def test_a_lost_scheduled_post_whose_time_came_goes_out_at_once(
        connected: Workspace, mastodon_server: FakeMastodon) -> None:
    when = (datetime.now(UTC) + timedelta(hours=1)).replace(second=0, microsecond=0)
    post = make_post(connected, when=when, sky=None)
    mastodon_server.refuse_next(503, {"error": "Service Unavailable"})  # its answer is lost
    with Publisher(connected) as publisher:
        assert [o.state for o in publisher.publish(post)] == ["unknown"]
    (intent,) = publishing.publications_of(connected, post)
    assert intent.scheduled_at == when.strftime("%Y-%m-%dT%H:%M:%SZ")
    with Publisher(connected, now=when + timedelta(minutes=3)) as publisher:
        assert [o.state for o in publisher.publish(post)] == ["sent"]
    assert posts_made(mastodon_server) == 1 and mastodon_server.scheduled == []


def test_hashtags_are_tag_facets_and_a_links_fragment_is_not() -> None:
    text = "Frisch! #Brot 🍞 und #café, siehe https://hearth.example/a#brot #2024 ##x"
    facets = link_facets(text)
    spans = [(text.encode()[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode(),
              f["features"][0]) for f in facets]
    assert spans == [
        ("#Brot", {"$type": "app.bsky.richtext.facet#tag", "tag": "Brot"}),
        ("#café", {"$type": "app.bsky.richtext.facet#tag", "tag": "café"}),
        ("https://hearth.example/a#brot", {"$type": "app.bsky.richtext.facet#link",
                                           "uri": "https://hearth.example/a#brot"}),
    ]


def test_the_posts_link_goes_with_a_text_that_lacks_it(
        connected: Workspace, mastodon_server: FakeMastodon,
        bluesky_server: FakeBluesky) -> None:
    when = datetime.now(UTC) - timedelta(hours=1)
    post = create_post(connected, PostDraft(
        title="Rye day", body="Rye day at the market", status="scheduled",
        scheduled_on=when.date().isoformat(), scheduled_time=when.strftime("%H:%M"),
        timezone="UTC", link="https://hearth.example/rye",
        channels=(("mastodon", "Rye is back 🍞 (see hearth.example/rye)"),
                  ("bluesky", "Roggenbrot ist zurück 🍞👍🏽"))))
    with Publisher(connected) as publisher:
        assert [o.state for o in publisher.publish(post)] == ["sent", "sent"]
    (status,) = mastodon_server.statuses
    assert status["content"] == "<p>Rye is back 🍞 (see hearth.example/rye)</p>"  # had it
    (record,) = [r["value"] for r in bluesky_server.records.values()]
    assert record["text"] == "Roggenbrot ist zurück 🍞👍🏽\n\nhttps://hearth.example/rye"
    (facet,) = record["facets"]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert (start, end) == (37, 63)  # UTF-8 bytes: ü 2, 🍞 4, 👍🏽 8, the link 26
    assert facet["features"] == [{"$type": "app.bsky.richtext.facet#link",
                                  "uri": "https://hearth.example/rye"}]


def test_the_appended_link_counts_in_the_limit(
        connected: Workspace, mastodon_server: FakeMastodon) -> None:
    when = datetime.now(UTC) - timedelta(hours=1)
    post = create_post(connected, PostDraft(
        title="Long", body="x" * 480, status="scheduled", link="https://hearth.example/rye",
        scheduled_on=when.date().isoformat(), scheduled_time=when.strftime("%H:%M"),
        timezone="UTC", channels=(("mastodon", None),)))
    with Publisher(connected) as publisher:
        (outcome,) = publisher.publish(post)
    assert outcome.state == "refused"
    assert outcome.message == ("Too long for Mastodon with the post's link "
                               "(505 / 500 — 5 too many): not sent.")  # 480 + 2 + 23
    assert mastodon_server.statuses == []


@pytest.mark.parametrize("stored", ["/etc/hostname", "../outside.png", "C:\\secret.png"])
def test_a_media_path_leaving_the_media_folder_is_never_read(
        connected: Workspace, mastodon_server: FakeMastodon, tmp_path: Path,
        stored: str) -> None:
    # a workspace from elsewhere (a restored backup, another SQLite tool) may hold any path
    (tmp_path / "outside.png").write_bytes(PNG)
    post = make_post(connected, sky=None, media=("rye.png",))
    with connected.transaction():
        connected.conn.execute("UPDATE post_media SET path = ? WHERE post_id = ?",
                               (stored, post))
    with Publisher(connected) as publisher:
        (outcome,) = publisher.publish(post)
    assert outcome.state == "refused"
    assert outcome.message.endswith("is not a file of the media folder: not sent.")
    assert mastodon_server.statuses == [] and mastodon_server.media == {}
