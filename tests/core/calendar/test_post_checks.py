"""Posts that need fixing before they go out: no channel, or a text over a limit."""

from __future__ import annotations

from datetime import date

from socialdesk.core.calendar.post_checks import posts_needing_attention
from socialdesk.store.models import PostDraft
from socialdesk.store.post_writes import create_post
from socialdesk.store.workspace import Workspace


def test_the_link_sent_after_the_text_counts_on_mastodon(workspace: Workspace) -> None:
    day = date(2026, 3, 10)
    create_post(workspace, PostDraft(
        title="Rye", body="x" * 480, status="scheduled", scheduled_on=day.isoformat(),
        link="https://hearth.example/rye", channels=(("mastodon", None), ("instagram", None))))
    create_post(workspace, PostDraft(
        title="Oats", body="x" * 480, status="scheduled", scheduled_on=day.isoformat(),
        channels=(("mastodon", None),)))
    (found,) = posts_needing_attention(workspace, day, day)
    assert found.row.title == "Rye"
    assert found.problems == ("Too long for Mastodon: 505 / 500 — 5 too many",)  # 480 + 2 + 23
    assert found.summary == "Too long for Mastodon (+5)"
