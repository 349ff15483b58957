"""Writing posts, campaigns and own channels: one transaction each, SEQUENCE raised."""

from __future__ import annotations

import pytest

from socialdesk.store import campaigns, post_writes, posts
from socialdesk.store.models import Campaign, Channel, PostDraft
from socialdesk.store.post_writes import (
    create_post,
    delete_post,
    get_post,
    move_post,
    restore_post,
    update_post,
)

FULL = PostDraft(
    title="Stollen season", body="Our stollen is back. https://bakery.example/stollen",
    status="scheduled", scheduled_on="2031-12-01", scheduled_time="08:30",
    timezone="Europe/London", link="https://bakery.example/stollen", notes="Photo: Mia",
    location="Market hall, stall 4",
    repeat_rule="weekly", repeat_until="2031-12-22", evergreen_weeks=None,
    published_url="", reach=None, clicks=None, engagements=None,
    channels=(("instagram", "Stollen! #bakery"), ("x", None)),
    topics=("Christmas", "bread"), media=("stollen.jpg", "oven.mp4"),
)


def _sequence(ws, post_id: int) -> int:
    return ws.conn.execute("SELECT sequence FROM posts WHERE id = ?", (post_id,)).fetchone()[0]


def test_create_and_read_back_everything(workspace) -> None:
    post_id = create_post(workspace, FULL)
    detail = get_post(workspace, post_id)
    assert detail is not None and detail.sequence == 0 and len(detail.uid) == 36
    assert detail.draft == post_writes.canonical(FULL)
    assert detail.draft.topics == ("bread", "Christmas")  # case-insensitive order
    assert detail.draft.media == ("stollen.jpg", "oven.mp4")  # order kept
    row = posts.posts_between(workspace, "2031-12-01", "2031-12-01")[0]
    assert row.platforms == ("instagram", "x") and row.repeats and row.timezone == "Europe/London"


def test_update_bumps_sequence_and_replaces_parts(workspace) -> None:
    post_id = create_post(workspace, FULL)
    changed = PostDraft(title="Stollen", body="Shorter", status="published",
                        scheduled_on="2031-12-02", channels=(("facebook", None),),
                        topics=("bread",), reach=1200, clicks=30, engagements=95,
                        published_url="https://facebook.com/p/1")
    update_post(workspace, post_id, changed)
    detail = get_post(workspace, post_id)
    assert detail is not None and detail.sequence == 1
    assert detail.draft == post_writes.canonical(changed)
    assert workspace.conn.execute("SELECT count(*) FROM post_media").fetchone()[0] == 0


def test_move_keeps_time_unless_told(workspace) -> None:
    post_id = create_post(workspace, FULL)
    move_post(workspace, post_id, "2031-12-05")
    detail = get_post(workspace, post_id)
    assert detail is not None
    assert (detail.draft.scheduled_on, detail.draft.scheduled_time) == ("2031-12-05", "08:30")
    assert detail.sequence == 1
    move_post(workspace, post_id, "2031-12-06", None)
    assert get_post(workspace, post_id).draft.scheduled_time is None  # type: ignore[union-attr]
    assert _sequence(workspace, post_id) == 2
    with pytest.raises(LookupError):
        move_post(workspace, 999, "2031-12-06")


def test_delete_and_restore_bring_back_the_same_post_and_its_asks(workspace) -> None:
    post_id = create_post(workspace, FULL)
    contact = workspace.conn.execute(
        "INSERT INTO contacts (name) VALUES ('Corner Café')").lastrowid
    workspace.conn.execute(
        "INSERT INTO asks (uid, post_id, contact_id, asked_on) VALUES ('a1', ?, ?, '2031-11-20')",
        (post_id, contact))
    before = get_post(workspace, post_id)
    deleted = delete_post(workspace, post_id)
    assert get_post(workspace, post_id) is None
    assert workspace.conn.execute("SELECT post_id FROM asks").fetchone()[0] is None
    restore_post(workspace, deleted)
    after = get_post(workspace, post_id)
    assert after is not None and before is not None
    assert (after.uid, after.draft) == (before.uid, before.draft)
    assert after.sequence == before.sequence + 1  # calendar programs see a change
    assert workspace.conn.execute("SELECT post_id FROM asks").fetchone()[0] == post_id


@pytest.mark.parametrize(("change", "message"), [
    ({"title": "  "}, "title"),
    ({"status": "posted"}, "status"),
    ({"scheduled_time": "25:00"}, "time"),
    ({"scheduled_on": None, "repeat_until": None}, "needs a date"),
    ({"timezone": "Mars/Olympus"}, "time zone"),
    ({"repeat_until": "2031-11-01"}, "ends before"),
])
def test_invalid_drafts_are_refused_with_a_message(workspace, change, message) -> None:
    from dataclasses import replace

    with pytest.raises(ValueError, match=message):
        create_post(workspace, replace(FULL, **change))
    assert workspace.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 0


def test_a_failed_write_leaves_nothing_half_done(workspace) -> None:
    post_id = create_post(workspace, FULL)
    bad = PostDraft(title="Broken", channels=(("x", None),), reach=-1)
    with pytest.raises(ValueError):
        update_post(workspace, post_id, bad)
    assert get_post(workspace, post_id).draft == post_writes.canonical(FULL)  # type: ignore[union-attr]


def test_topics_are_shared_and_case_insensitive(workspace) -> None:
    create_post(workspace, PostDraft(title="a", topics=("Bread",)))
    create_post(workspace, PostDraft(title="b", topics=("bread", "events")))
    assert post_writes.topic_names(workspace) == ["Bread", "events"]


def test_campaign_edit_delete_restore(workspace) -> None:
    campaign_id = campaigns.create_campaign(
        workspace, Campaign(0, "Christmas", "Sell out the stollen", "2031-12-01", "2031-12-24",
                            "#E15759"))
    post_id = create_post(workspace, PostDraft(title="a", campaign_id=campaign_id))
    stored = campaigns.get_campaign(workspace, campaign_id)
    assert stored == Campaign(campaign_id, "Christmas", "Sell out the stollen", "2031-12-01",
                              "2031-12-24", "#e15759")
    assert campaigns.campaign_post_counts(workspace) == {campaign_id: 1}
    campaigns.update_campaign(workspace, Campaign(campaign_id, "Xmas", "", None, None, "#000000"))
    assert _sequence(workspace, post_id) == 1  # renamed: exported categories change
    campaign, post_ids = campaigns.delete_campaign(workspace, campaign_id)
    assert post_ids == (post_id,) and get_post(workspace, post_id).draft.campaign_id is None  # type: ignore[union-attr]
    campaigns.restore_campaign(workspace, campaign, post_ids)
    assert get_post(workspace, post_id).draft.campaign_id == campaign_id  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="ends before"):
        campaigns.create_campaign(workspace, Campaign(0, "x", "", "2031-02-01", "2031-01-01"))
    with pytest.raises(ValueError, match="colour"):
        campaigns.create_campaign(workspace, Campaign(0, "x", colour="red"))


def test_channels_edit_delete_restore(workspace) -> None:
    channel_id = campaigns.create_channel(workspace, Channel(0, "instagram", "@bakery", 1800,
                                                             "https://instagram.com/bakery"))
    campaigns.create_channel(workspace, Channel(0, "tiktok", "@bakery", 50, active=False))
    assert [c.platform for c in posts.channels(workspace)] == ["instagram"]  # active only
    assert [c.platform for c in campaigns.all_channels(workspace)] == ["instagram", "tiktok"]
    campaigns.update_channel(workspace, Channel(channel_id, "instagram", "@bakery", 2100))
    assert campaigns.get_channel(workspace, channel_id).followers == 2100  # type: ignore[union-attr]
    gone = campaigns.delete_channel(workspace, channel_id)
    campaigns.restore_channel(workspace, gone)
    assert campaigns.get_channel(workspace, channel_id) == gone
    with pytest.raises(ValueError, match="negative"):
        campaigns.create_channel(workspace, Channel(0, "x", "", -5))


def test_post_texts_for_limit_checks(workspace) -> None:
    create_post(workspace, PostDraft(title="long", body="a" * 300, scheduled_on="2031-01-02",
                                     channels=(("x", None), ("instagram", "short"))))
    found = posts.post_texts_between(workspace, "2031-01-01", "2031-01-07")
    assert [(t.body, t.channels) for t in found] == [
        ("a" * 300, (("instagram", "short"), ("x", None)))]


def _repeats(ws, first: str, last: str, today: str) -> dict[str, tuple[str, int | None]]:
    from datetime import date

    from socialdesk.core.calendar.recurrence import posts_in_range

    rows = posts_in_range(ws, date.fromisoformat(first), date.fromisoformat(last),
                          today=date.fromisoformat(today))
    return {r.scheduled_on: (r.status, r.reach) for r in rows}


def test_marking_one_repeat_published_leaves_the_others_as_they_were(workspace) -> None:
    from socialdesk.store.models import OccurrenceDraft
    from socialdesk.store.occurrences import get_occurrence, set_occurrence

    weekly = PostDraft(title="Bread club", status="scheduled", scheduled_on="2031-12-01",
                       repeat_rule="weekly", repeat_until="2031-12-29")
    post_id = create_post(workspace, weekly)
    marked = OccurrenceDraft("published", "https://social.example/p/8", 640, 12, 30)
    set_occurrence(workspace, post_id, "2031-12-08", marked)
    assert get_occurrence(workspace, post_id, "2031-12-08") == marked
    assert _repeats(workspace, "2031-12-01", "2031-12-31", today="2031-12-10") == {
        "2031-12-01": ("scheduled", None), "2031-12-08": ("published", 640),
        "2031-12-15": ("scheduled", None), "2031-12-22": ("scheduled", None),
        "2031-12-29": ("scheduled", None)}
    detail = get_post(workspace, post_id)
    assert detail is not None and detail.draft.status == "scheduled"  # the series is as it was
    set_occurrence(workspace, post_id, "2031-12-08", None)
    assert get_occurrence(workspace, post_id, "2031-12-08") is None


def test_a_published_series_is_never_published_on_a_date_still_to_come(workspace) -> None:
    from socialdesk.store.models import OccurrenceDraft
    from socialdesk.store.occurrences import set_occurrence

    post_id = create_post(workspace, PostDraft(
        title="Bread club", status="published", scheduled_on="2031-12-01", reach=900,
        repeat_rule="weekly"))
    assert _repeats(workspace, "2031-12-01", "2031-12-22", today="2031-12-10") == {
        "2031-12-01": ("published", 900), "2031-12-08": ("published", None),
        "2031-12-15": ("scheduled", None), "2031-12-22": ("scheduled", None)}
    set_occurrence(workspace, post_id, "2031-12-22", OccurrenceDraft("skipped"))
    assert _repeats(workspace, "2031-12-20", "2031-12-31", today="2031-12-10") == {
        "2031-12-22": ("skipped", None), "2031-12-29": ("scheduled", None)}


def test_only_dates_the_post_repeats_on_can_be_marked(workspace) -> None:
    from socialdesk.store.models import OccurrenceDraft
    from socialdesk.store.occurrences import set_occurrence

    post_id = create_post(workspace, FULL)  # weekly from 1 to 22 December 2031
    once = create_post(workspace, PostDraft(title="Once", scheduled_on="2031-12-01"))
    published = OccurrenceDraft("published")
    for bad in ("2031-12-01", "2031-12-09", "2031-12-29", "2031-11-24"):
        with pytest.raises(ValueError, match="does not repeat on"):
            set_occurrence(workspace, post_id, bad, published)
    with pytest.raises(ValueError, match="does not repeat on"):
        set_occurrence(workspace, once, "2031-12-08", published)
    with pytest.raises(ValueError, match="status"):
        set_occurrence(workspace, post_id, "2031-12-08", OccurrenceDraft("posted"))
    with pytest.raises(ValueError, match="Reach"):
        set_occurrence(workspace, post_id, "2031-12-08", OccurrenceDraft("published", reach=-1))
    with pytest.raises(LookupError):
        set_occurrence(workspace, 999, "2031-12-08", published)
    assert workspace.conn.execute("SELECT count(*) FROM post_occurrences").fetchone()[0] == 0


def test_deleting_a_series_and_undoing_brings_back_its_marked_dates(workspace) -> None:
    from socialdesk.store.models import OccurrenceDraft
    from socialdesk.store.occurrences import occurrences_of, set_occurrence

    post_id = create_post(workspace, FULL)
    set_occurrence(workspace, post_id, "2031-12-08", OccurrenceDraft("published", reach=5))
    set_occurrence(workspace, post_id, "2031-12-15", OccurrenceDraft("skipped"))
    marked = occurrences_of(workspace, post_id)
    deleted = delete_post(workspace, post_id)
    assert workspace.conn.execute("SELECT count(*) FROM post_occurrences").fetchone()[0] == 0
    restore_post(workspace, deleted)
    assert occurrences_of(workspace, post_id) == marked


def test_a_marked_date_the_series_no_longer_has_is_kept_for_undo_but_not_shown(workspace) -> None:
    from socialdesk.store.models import OccurrenceDraft
    from socialdesk.store.occurrences import set_occurrence

    post_id = create_post(workspace, FULL)
    set_occurrence(workspace, post_id, "2031-12-08", OccurrenceDraft("skipped"))
    move_post(workspace, post_id, "2031-12-02")  # the series now repeats on Tuesdays
    assert _repeats(workspace, "2031-12-01", "2031-12-10", today="2031-11-01") == {
        "2031-12-02": ("scheduled", None), "2031-12-09": ("scheduled", None)}
    move_post(workspace, post_id, "2031-12-01")  # moved back (an undo): the mark is there
    assert _repeats(workspace, "2031-12-08", "2031-12-08", today="2031-11-01") == {
        "2031-12-08": ("skipped", None)}


def test_media_keep_their_alt_text_through_edits_moves_and_undone_deletes(workspace) -> None:
    from dataclasses import replace

    from socialdesk.store.post_writes import delete_post, restore_post

    post_id = create_post(workspace, replace(FULL, media_alt=("  A stollen, dusted  ",)))
    detail = get_post(workspace, post_id)
    assert detail is not None and detail.draft.media_alt == ("A stollen, dusted", "")
    move_post(workspace, post_id, "2031-12-05")
    restore_post(workspace, delete_post(workspace, post_id))
    again = get_post(workspace, post_id)
    assert again is not None and again.draft.media_alt == ("A stollen, dusted", "")
    assert post_writes.canonical(replace(FULL, media_alt=())).media_alt == ("", "")
