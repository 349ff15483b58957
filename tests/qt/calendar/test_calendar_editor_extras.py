"""The post editor's hashtag groups, feed preview, first comment, alt text and best time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from calendar_helpers import add_post, new_post

from socialdesk.core.settings import update_setting
from socialdesk.qt.calendar.feed_preview import MORE
from socialdesk.qt.calendar.hashtag_groups import HashtagGroupsEditor, HashtagGroupsPage
from socialdesk.qt.settings_dialog import PAGES
from socialdesk.store import post_writes
from socialdesk.store.hashtag_groups import hashtag_groups, save_hashtag_group

LONG = ("Our sourdough takes 36 hours: flour from the farm down the road, water, salt and "
        "time. Come early on Saturday, the first batch goes by nine and we never bake more. "
        "Last word.")


@pytest.fixture
def view(calendar_view):
    return calendar_view


def _new(view, qtbot, *platforms: str):
    return new_post(view, qtbot, "Sourdough", *platforms)


def _menu_entries(editor) -> dict[str, object]:
    editor.hashtags.fill()  # what opening the menu does
    return {a.text(): a for a in editor.hashtags.menu().actions() if a.text()}


def test_a_hashtag_group_goes_in_at_the_cursor_and_counts_against_each_limit(
        view, workspace, qtbot) -> None:
    save_hashtag_group(workspace, "Bread", "#bakery #sourdough @localfarm")
    editor = _new(view, qtbot, "x", "instagram")
    body = editor.texts.body_edit
    qtbot.keyClicks(body, "Fresh rye today")
    before = editor.texts.checks()["x"].count
    _menu_entries(editor)["Bread: #bakery #sourdough @localfarm"].trigger()
    assert body.toPlainText() == "Fresh rye today #bakery #sourdough @localfarm"
    assert editor.texts.checks()["x"].count == before + len(" #bakery #sourdough @localfarm")
    assert f"X: {before + 30} / 280" in editor.texts.summary.text()


def test_a_group_goes_into_the_channel_tab_being_edited(view, workspace, qtbot) -> None:
    save_hashtag_group(workspace, "Bread", "#bakery")
    editor = _new(view, qtbot, "instagram")
    editor.texts.body_edit.setPlainText("Main text")
    editor.texts.tabs.setCurrentIndex(1)  # Instagram's own text
    _menu_entries(editor)["Bread: #bakery"].trigger()
    assert editor.texts.variant_edits["instagram"].toPlainText() == "#bakery"
    assert editor.texts.body_edit.toPlainText() == "Main text"
    editor.texts.tabs.setCurrentIndex(0)  # the cursor at the start of the main text
    _menu_entries(editor)["Bread: #bakery"].trigger()
    assert editor.texts.body_edit.toPlainText() == "#bakery Main text"


def test_without_groups_the_menu_says_so_and_groups_are_managed_there_and_in_settings(
        view, workspace, qtbot) -> None:
    editor = _new(view, qtbot, "instagram")
    entries = _menu_entries(editor)
    assert not entries["No groups yet"].isEnabled()
    assert entries["Manage groups…"].isEnabled()
    assert HashtagGroupsPage in PAGES
    groups = HashtagGroupsEditor(workspace)
    qtbot.addWidget(groups)
    groups.name.setText("Events")
    groups.body.setPlainText("#market #saturday")
    groups.save_button.click()
    assert [(g.name, g.body) for g in hashtag_groups(workspace)] == [
        ("Events", "#market #saturday")]
    groups.start_new()
    groups.name.setText("events")
    groups.body.setPlainText("#x")
    assert not groups.save()
    assert "already a group" in groups.problem.text()
    assert "Events: #market #saturday" in _menu_entries(editor)


def test_the_preview_cuts_each_network_where_its_feed_does(view, qtbot) -> None:
    editor = _new(view, qtbot, "instagram", "mastodon")
    editor.texts.body_edit.setPlainText(LONG)
    instagram = editor.preview.previews["instagram"]
    assert instagram.cut and len(instagram.shown) <= 125
    card = editor.preview.cards["instagram"].text()
    assert MORE in card and "about 125 characters" in card
    assert "Last word." not in card  # behind "… more"
    mastodon = editor.preview.cards["mastodon"].text()
    assert MORE not in mastodon and "Last word." in mastodon


def test_the_preview_shows_a_link_card_and_the_media_count(view, qtbot, tmp_path) -> None:
    editor = _new(view, qtbot, "linkedin", "mastodon")
    editor.texts.body_edit.setPlainText("New loaves")
    editor.link.setText("https://rosiesbakery.co.uk/bread")
    assert "Link card" in editor.preview.cards["linkedin"].text()
    assert "rosiesbakery.co.uk/bread" in editor.preview.cards["mastodon"].text()
    for number in range(5):
        editor.media.add(str(tmp_path / f"photo{number}.jpg"))
    mastodon = editor.preview.cards["mastodon"].text()
    assert "Media: 5 of 4 allowed — 1 too many" in mastodon
    assert "instead of a link card" in mastodon
    assert "Link card" in editor.preview.cards["linkedin"].text()


def test_the_first_comment_is_saved_with_the_post(view, workspace, qtbot) -> None:
    editor = _new(view, qtbot, "instagram")
    editor.first_comment.setPlainText("#bakery #sourdough")
    assert editor.is_dirty()
    assert view.save_editor()
    (post_id,) = workspace.conn.execute("SELECT id FROM posts").fetchone()
    detail = post_writes.get_post(workspace, post_id)
    assert detail is not None and detail.draft.first_comment == "#bakery #sourdough"
    view.edit_post(post_id)
    assert view.editor.first_comment.toPlainText() == "#bakery #sourdough"
    assert not view.editor.is_dirty()


def test_a_media_file_without_alt_text_says_so(view, workspace, qtbot) -> None:
    post_id = add_post(workspace, "Photos", "2031-03-05", media=("a.jpg", "b.jpg"),
                       media_alt=("A loaf", ""))
    view.edit_post(post_id)
    media = view.editor.media
    assert [media.item(i).text() for i in range(2)] == ["a.jpg", "b.jpg (no alt text)"]
    view.editor.set_alt_text(media.item(1), "An oven")
    assert media.item(1).text() == "b.jpg"
    assert view.editor.draft().media_alt == ("A loaf", "An oven")


def _published(workspace, count: int) -> None:
    """``count`` published posts, most on Tuesdays at 18:00 (reach 900), the rest Mondays."""
    start = date(2026, 1, 6)  # a Tuesday
    for number in range(count):
        tuesday = number % 3 != 2
        day = start + timedelta(weeks=number) - timedelta(days=0 if tuesday else 1)
        add_post(workspace, f"Past {number}", day.isoformat(), status="published",
                 scheduled_time="18:00" if tuesday else "09:00",
                 reach=900 if tuesday else 200)


def test_best_time_says_how_many_posts_are_still_needed(view, workspace, qtbot) -> None:
    update_setting(workspace, "timezone", "Europe/London")
    _published(workspace, 7)
    editor = _new(view, qtbot, "instagram")
    editor.best_time_button.click()
    assert editor.best_time_note.text() == (
        "Best times appear after 20 published posts with results (you have 7).")
    assert editor.draft().scheduled_time is None  # nothing proposed


def test_best_time_proposes_the_next_open_hour_of_the_best_weekday(view, workspace,
                                                                     qtbot) -> None:
    update_setting(workspace, "timezone", "Europe/London")
    _published(workspace, 24)
    editor = _new(view, qtbot, "instagram")
    editor.best_time_button.click()
    draft = editor.draft()
    assert draft.scheduled_on is not None and draft.scheduled_time == "18:00"
    proposed = date.fromisoformat(draft.scheduled_on)
    assert proposed.weekday() == 1  # a Tuesday
    assert proposed >= datetime.now().date()
    assert editor.best_time_note.text().startswith("Best time: Tuesdays 18:00–18:59")
