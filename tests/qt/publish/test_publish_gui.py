"""Publishing from the window: "Publish now" on a post, due posts sent while it is open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from calendar_helpers import add_post, centre
from PySide6.QtWidgets import QMessageBox

from publish_fakes import (
    BLUESKY_HANDLE,
    BLUESKY_PASSWORD,
    MASTODON_TOKEN,
    FakeBluesky,
    FakeMastodon,
    connected_long_ago,
)
from socialdesk.core.publish import accounts
from socialdesk.store.models import PostDraft
from socialdesk.store.post_writes import create_post, get_post
from socialdesk.store.workspace import Workspace


@pytest.fixture
def connected_path(tmp_path: Path, mastodon_server: FakeMastodon, bluesky_server: FakeBluesky,
                   fresh_keyring: None) -> Path:
    path = tmp_path / "bakery.sqlite"
    with Workspace.open(path, create=True) as ws:
        accounts.add_mastodon(ws, mastodon_server.url, MASTODON_TOKEN)
        accounts.add_bluesky(ws, BLUESKY_HANDLE, BLUESKY_PASSWORD, bluesky_server.url)
        connected_long_ago(ws.conn)
    return path


def post_at(path: Path, when: datetime, networks: tuple[str, ...], text: str = "Rye day 🍞") -> int:
    with Workspace.open(path) as ws:
        return create_post(ws, PostDraft(
            title="Rye day", body=text, status="scheduled",
            scheduled_on=when.date().isoformat(), scheduled_time=when.strftime("%H:%M"),
            timezone="UTC", channels=tuple((n, None) for n in networks)))


def test_publish_now_sends_on_the_writer_thread_and_says_so(
        qtbot, open_window, connected_path: Path, mastodon_server: FakeMastodon,
        bluesky_server: FakeBluesky) -> None:
    post = post_at(connected_path, datetime.now(UTC) + timedelta(days=3),
                   ("mastodon", "bluesky"))
    window = open_window(connected_path)
    mastodon_server.hang_after_post = True  # a slow server must not hold the window
    window.publishing.publish_now(post)
    assert window.publishing.busy  # still running: the window was not held
    assert mastodon_server.post_received.wait(10)
    mastodon_server.release.set()
    qtbot.waitUntil(lambda: not window.publishing.busy, timeout=20_000)
    assert len(mastodon_server.statuses) == 1 and len(bluesky_server.records) == 1
    host = mastodon_server.url.split("://")[1]
    assert window.statusBar().currentMessage() == (
        f"Sent to @hearth@{host}.  Sent to hearth.bsky.social.")  # each handle once
    detail = get_post(window.ws, post)
    assert detail is not None and detail.draft.status == "published"


def test_a_refused_publication_is_a_message_that_does_not_block(
        qtbot, open_window, connected_path: Path, mastodon_server: FakeMastodon) -> None:
    post = post_at(connected_path, datetime.now(UTC), ("mastodon",), text="x" * 501)
    window = open_window(connected_path)
    window.publishing.publish_now(post)
    qtbot.waitUntil(lambda: not window.publishing.busy, timeout=20_000)
    box = window.publishing.message
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "Too long for Mastodon (501 / 500 — 1 too many): not sent." in box.text()
    assert mastodon_server.statuses == []
    assert window.statusBar().currentMessage() == "Nothing was published: see the message."
    box.close()


def test_due_posts_go_out_while_the_window_is_open(
        qtbot, open_window, connected_path: Path, mastodon_server: FakeMastodon,
        bluesky_server: FakeBluesky) -> None:
    post_at(connected_path, datetime.now(UTC) - timedelta(minutes=10), ("bluesky",))
    later = post_at(connected_path, datetime.now(UTC) + timedelta(hours=2), ("bluesky",))
    window = open_window(connected_path)
    assert window.publishing.timer.isActive()
    assert window.publishing.send_due()
    qtbot.waitUntil(lambda: not window.publishing.busy, timeout=20_000)
    assert [r["value"]["text"] for r in bluesky_server.records.values()] == ["Rye day 🍞"]
    assert window.publishing.timer.isActive()  # and again in a few minutes
    detail = get_post(window.ws, later)
    assert detail is not None and detail.draft.status == "scheduled"


def test_the_calendar_offers_publish_now(calendar_view, workspace) -> None:
    post_id = add_post(workspace, "Publish me", "2031-03-10")
    calendar_view.reload()
    asked: list[int] = []
    calendar_view.publish_now.connect(asked.append)
    menu = calendar_view.grid.menu_for(centre(calendar_view.grid.chip_rect(post_id)))
    assert menu is not None
    next(a for a in menu.actions() if a.text() == "Publish now").trigger()
    assert asked == [post_id]


def test_refresh_results_reads_back_boosts_on_the_writer_thread(
        qtbot, open_window, connected_path: Path, mastodon_server: FakeMastodon) -> None:
    from PySide6.QtGui import QAction

    post = post_at(connected_path, datetime.now(UTC) - timedelta(minutes=5), ("mastodon",))
    window = open_window(connected_path)
    window.publishing.publish_now(post)
    qtbot.waitUntil(lambda: not window.publishing.busy, timeout=20_000)
    mastodon_server.boost(mastodon_server.statuses[0]["id"], "zed@elsewhere.example")
    refresh = next(a for a in window.findChildren(QAction) if a.text() == "Refresh &results")
    mastodon_server.latency = 0.3  # a slow server must not hold the window
    refresh.trigger()
    assert window.publishing.busy  # still running: the window was not held
    assert window.statusBar().currentMessage() == "Reading results…"
    qtbot.waitUntil(lambda: not window.publishing.busy, timeout=20_000)
    assert window.statusBar().currentMessage() == "Read the results of 1 post."
    detail = get_post(window.ws, post)
    assert detail is not None and detail.draft.engagements == 1


def test_a_due_post_that_cannot_go_is_reported_once_not_every_run(
        qtbot, open_window, connected_path: Path) -> None:
    post_at(connected_path, datetime.now(UTC) - timedelta(minutes=10), ("bluesky",),
            text="👍🏽" * 301)
    window = open_window(connected_path)
    assert window.publishing.send_due()
    qtbot.waitUntil(lambda: not window.publishing.busy, timeout=20_000)
    first = window.publishing.message
    assert first is not None and "Too long for Bluesky" in first.text()
    first.close()
    assert window.publishing.send_due()
    qtbot.waitUntil(lambda: not window.publishing.busy, timeout=20_000)
    assert window.publishing.message is first and not first.isVisible()


def test_the_post_editor_keeps_a_media_files_alt_text(qtbot, workspace) -> None:
    from socialdesk.qt.calendar.editor import PostEditor

    post = create_post(workspace, PostDraft(title="Loaf", media=("loaf.jpg", "oven.mp4"),
                                            media_alt=("A loaf",)))
    detail = get_post(workspace, post)
    assert detail is not None
    editor = PostEditor()
    qtbot.addWidget(editor)
    editor.edit(detail)
    assert "Alt text: A loaf" in editor.media.item(0).toolTip()
    assert not editor.is_dirty()
    editor.set_alt_text(editor.media.item(1), "The oven at dawn")
    assert editor.is_dirty() and editor.draft().media_alt == ("A loaf", "The oven at dawn")


def test_closing_the_window_stops_a_results_fetch_at_its_next_post(
        qtbot, open_window, connected_path: Path, mastodon_server: FakeMastodon) -> None:
    from socialdesk.core.publish.publishing import Publisher

    now = datetime.now(UTC) - timedelta(minutes=5)
    posts = [post_at(connected_path, now, ("mastodon",), text=f"Post {n}") for n in range(8)]
    with Workspace.open(connected_path) as ws, Publisher(ws) as publisher:
        for post in posts:
            publisher.publish(post)
    window = open_window(connected_path)
    mastodon_server.latency = 0.2
    window.publishing.refresh_results()
    qtbot.waitUntil(lambda: len([r for r in mastodon_server.requests if r[0] == "GET"]) > 0,
                    timeout=10_000)
    window.publishing.stop()
    qtbot.waitUntil(lambda: not window.publishing.busy, timeout=20_000)
    with Workspace.open(connected_path) as ws:
        read = ws.conn.execute("SELECT count(*) FROM publication_results").fetchone()[0]
    assert 0 < read < len(posts)
