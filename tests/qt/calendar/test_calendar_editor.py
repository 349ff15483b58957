"""The post editor: live counters per network, variants, schedule, media, results."""

from __future__ import annotations

from pathlib import Path

import pytest
from calendar_helpers import MONTH, add_post, new_post
from PySide6.QtCore import QPoint, QPointF, Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from socialdesk.core.calendar.media import media_folder
from socialdesk.qt.calendar.channel_texts import warning_colour
from socialdesk.store import campaigns, post_writes
from socialdesk.store.models import Campaign

LINK = "https://hearthandcrumb.example/blog/2031/03/the-long-story-of-our-rye-bread"


@pytest.fixture
def view(calendar_view):
    return calendar_view


def _new(view, qtbot, *platforms: str):
    return new_post(view, qtbot, "Rye", *platforms)


def test_counters_count_each_link_as_23_on_x(view, qtbot) -> None:
    editor = _new(view, qtbot, "x", "instagram")
    text = f"Our rye story: {LINK}"
    editor.texts.body_edit.setPlainText(text)
    checks = editor.texts.checks()
    assert checks["x"].count == len("Our rye story: ") + 23
    assert checks["instagram"].count == len(text)
    summary = editor.texts.summary.text()
    assert f"X: {len('Our rye story: ') + 23} / 280" in summary
    assert f"Instagram: {len(text)} / 2,200" in summary
    tab_names = [editor.texts.tabs.tabText(i) for i in range(editor.texts.tabs.count())]
    assert tab_names == ["All channels", "Instagram", "X"]


def test_over_the_limit_is_red_with_the_count_and_never_cut(view, workspace, qtbot) -> None:
    editor = _new(view, qtbot, "x", "facebook")
    body = "Fresh rye today. " * 20  # 340 characters
    editor.texts.body_edit.setPlainText(body)
    red = warning_colour(editor.texts)
    assert editor.texts.over_limit() == ["x"]
    assert "X: 340 / 280 — 60 too many" in editor.texts.summary.text()
    assert red in editor.texts.summary.text()
    tabs = editor.texts.tabs
    x_tab = [tabs.tabText(i) for i in range(tabs.count())].index("X")
    assert tabs.tabBar().tabTextColor(x_tab).name() == red
    assert tabs.tabBar().tabTextColor(0).name() == red  # the main text is what goes to X
    assert editor.texts.counters["x"].text() == "The main text: 340 / 280 — 60 too many"
    assert red in editor.texts.counters["x"].styleSheet()

    editor.texts.variant_edits["x"].setPlainText(f"Fresh rye today! {LINK}")
    assert editor.texts.over_limit() == []
    assert tabs.tabBar().tabTextColor(x_tab).name() != red
    own = len("Fresh rye today! ") + 23
    assert editor.texts.counters["x"].text() == f"Its own text: {own} / 280"

    editor.texts.variant_edits["x"].setPlainText("x" * 300)  # over again: saved anyway
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    (post_id,) = workspace.conn.execute("SELECT id FROM posts").fetchone()
    saved = post_writes.get_post(workspace, post_id)
    assert saved is not None and saved.draft.body == body
    assert dict(saved.draft.channels) == {"facebook": None, "x": "x" * 300}


def test_unchoosing_a_channel_keeps_its_text_until_saved(view, qtbot) -> None:
    editor = _new(view, qtbot, "x")
    editor.texts.variant_edits["x"].setPlainText("For X only")
    editor.texts.buttons["x"].click()
    assert editor.texts.channels() == ()
    assert "Choose at least one channel" in editor.texts.summary.text()
    editor.texts.buttons["x"].click()
    assert editor.texts.channels() == (("x", "For X only"),)


def test_schedule_with_a_time_zone_or_a_day_without_time(view, workspace, qtbot) -> None:
    editor = _new(view, qtbot, "instagram")
    assert editor.zone.zone() == editor.zone.default  # this computer's zone to start with
    editor.has_time.setChecked(True)
    editor.time.setTime(QTime(18, 45))
    editor.zone.setCurrentText("America/New_York")
    editor.repeat.setCurrentIndex(editor.repeat.findData("weekly"))
    editor.has_until.setChecked(True)
    editor.until.setDate(editor.date.date().addDays(21))
    editor.request_save()
    (post_id,) = workspace.conn.execute("SELECT id FROM posts").fetchone()
    draft = post_writes.get_post(workspace, post_id).draft  # type: ignore[union-attr]
    assert (draft.scheduled_on, draft.scheduled_time, draft.timezone) == (
        "2031-03-01", "18:45", "America/New_York")
    assert (draft.repeat_rule, draft.repeat_until) == ("weekly", "2031-03-22")

    view.edit_post(post_id)
    editor.has_time.setChecked(False)
    editor.request_save()
    draft = post_writes.get_post(workspace, post_id).draft  # type: ignore[union-attr]
    assert (draft.scheduled_on, draft.scheduled_time) == ("2031-03-01", None)

    view.edit_post(post_id)
    editor.has_date.setChecked(False)
    editor.request_save()
    draft = post_writes.get_post(workspace, post_id).draft  # type: ignore[union-attr]
    assert (draft.scheduled_on, draft.repeat_rule) == (None, None)


def test_an_unknown_time_zone_or_no_title_is_refused_in_place(view, workspace, qtbot) -> None:
    editor = _new(view, qtbot, "instagram")
    editor.has_time.setChecked(True)
    editor.zone.setCurrentText("Atlantis/Capital")
    editor.request_save()
    assert editor.error.isVisibleTo(editor) and "time zone" in editor.error.text()
    editor.zone.set_zone("Europe/Paris")
    editor.title.clear()
    editor.request_save()
    assert "title" in editor.error.text()
    assert workspace.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 0
    assert view.side.isVisible()


def test_media_files_are_copied_into_the_media_folder(view, workspace, qtbot, tmp_path,
                                                      monkeypatch) -> None:
    photo = tmp_path / "elsewhere" / "rye.jpg"
    photo.parent.mkdir()
    photo.write_bytes(b"\xff\xd8 a photo")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **k: ([str(photo), str(photo)], ""))
    editor = _new(view, qtbot, "instagram")
    editor.add_media()
    assert editor.media.count() == 1
    editor.request_save()
    (post_id,) = workspace.conn.execute("SELECT id FROM posts").fetchone()
    draft = post_writes.get_post(workspace, post_id).draft  # type: ignore[union-attr]
    folder = media_folder(Path(workspace.path))
    assert folder == Path(workspace.path).with_name("test.media")
    assert draft.media == ("rye.jpg",)
    assert (folder / "rye.jpg").read_bytes() == b"\xff\xd8 a photo"
    # A second post with a file of the same name gets its own copy.
    editor = _new(view, qtbot, "instagram")
    editor.add_media()
    editor.request_save()
    assert sorted(p.name for p in folder.iterdir()) == ["rye (2).jpg", "rye.jpg"]


def test_topics_complete_the_last_word_and_results_are_saved(view, workspace, qtbot) -> None:
    post_id = add_post(workspace, "Old", "2031-03-02", topics=("bread", "events"))
    view.edit_post(post_id)
    editor = view.editor
    completer = editor.topic_completer
    assert completer.words.stringList() == ["bread", "events"]
    editor.topics.setText("bread, ev")
    assert completer.splitPath(editor.topics.text()) == ["ev"]
    assert completer.pathFromIndex(completer.words.index(1)) == "bread, events"
    editor.status.setCurrentIndex(editor.status.findData("published"))
    assert editor.reach.isEnabled()
    editor.published_url.setText("https://instagram.com/p/abc")
    editor.reach.setText("2400")
    editor.clicks.setText("31")
    editor.engagements.setText("")
    editor.request_save()
    draft = post_writes.get_post(workspace, post_id).draft  # type: ignore[union-attr]
    assert (draft.status, draft.published_url, draft.reach, draft.clicks, draft.engagements) == (
        "published", "https://instagram.com/p/abc", 2400, 31, None)


def test_a_post_dragged_while_open_keeps_the_editor_in_step(view, workspace) -> None:
    from datetime import date

    post_id = add_post(workspace, "Open", "2031-03-02")
    view.reload()
    view.edit_post(post_id)
    view.move_post(post_id, date(2031, 3, 9))
    assert view.editor.draft().scheduled_on == "2031-03-09" and not view.editor.is_dirty()
    view.undo_stack.undo()
    assert view.editor.draft().scheduled_on == "2031-03-02"


def _wheel_over(widget, qtbot, notches: int = -1) -> None:
    """A real wheel turn (through the window system) with the pointer over ``widget``."""
    window = widget.window()
    centre = widget.mapTo(window, widget.rect().center())
    QTest.wheelEvent(window.windowHandle(), QPointF(centre), QPoint(0, 120 * notches))
    qtbot.wait(1)


def test_the_wheel_scrolls_the_editor_past_unfocused_fields(view, workspace, qtbot) -> None:
    campaign = campaigns.create_campaign(workspace, Campaign(id=0, name="Spring"))
    post_id = add_post(workspace, "Rye", "2031-03-02", status="draft", campaign_id=campaign,
                       evergreen_weeks=8)
    view.edit_post(post_id)
    editor = view.editor
    bar = editor.scroll.verticalScrollBar()
    boxes = {"status": editor.status, "campaign": editor.campaign, "repeat": editor.repeat,
             "zone": editor.zone, "date": editor.date, "weeks": editor.evergreen_weeks}
    before = {name: box.currentText() if hasattr(box, "currentText") else box.text()
              for name, box in boxes.items()}
    for box in boxes.values():
        editor.title.setFocus()
        editor.scroll.ensureWidgetVisible(box)
        top = bar.value()
        _wheel_over(box, qtbot)
        assert not box.hasFocus()
        assert bar.value() > top or bar.value() == bar.maximum()  # the form scrolled instead
    after = {name: box.currentText() if hasattr(box, "currentText") else box.text()
             for name, box in boxes.items()}
    assert after == before
    editor.request_save()
    draft = post_writes.get_post(workspace, post_id).draft  # type: ignore[union-attr]
    assert (draft.status, draft.campaign_id, draft.scheduled_on, draft.evergreen_weeks) == (
        "draft", campaign, "2031-03-02", 8)

    view.edit_post(post_id)  # a focused box takes the wheel as usual
    editor.scroll.ensureWidgetVisible(editor.status)
    editor.status.setFocus()
    _wheel_over(editor.status, qtbot)
    assert editor.status.currentData() == "scheduled"
    editor.evergreen_weeks.setFocus()
    _wheel_over(editor.evergreen_weeks, qtbot, notches=1)
    assert editor.evergreen_weeks.value() == 9


def change_elsewhere(ws, post_id: int, **fields) -> None:
    """Another writer (its own connection) changes some of a post's fields."""
    from dataclasses import replace

    from socialdesk.store.workspace import Workspace

    with Workspace.open(ws.path) as other:
        detail = post_writes.get_post(other, post_id)
        assert detail is not None
        post_writes.update_post(other, post_id, replace(detail.draft, **fields))


def test_undoing_an_edit_keeps_what_another_writer_changed_since(view, workspace) -> None:
    post_id = add_post(workspace, "Rye", "2031-03-02", body="Our rye.")
    view.reload()
    view.edit_post(post_id)
    view.editor.title.setText("Rye, renamed here")
    assert view.save_editor()
    change_elsewhere(workspace, post_id, body="Rye, told elsewhere.", topics=("bread",),
                     channels=(("instagram", None), ("mastodon", None)))
    view.undo_stack.undo()
    draft = post_writes.get_post(workspace, post_id).draft  # type: ignore[union-attr]
    assert draft.title == "Rye"  # the edit is undone
    assert (draft.body, draft.topics, draft.channels) == (
        "Rye, told elsewhere.", ("bread",), (("instagram", None), ("mastodon", None)))
    view.undo_stack.redo()
    draft = post_writes.get_post(workspace, post_id).draft  # type: ignore[union-attr]
    assert (draft.title, draft.body) == ("Rye, renamed here", "Rye, told elsewhere.")


def test_saving_keeps_what_another_writer_changed_while_the_editor_was_open(
        view, workspace) -> None:
    post_id = add_post(workspace, "Rye", "2031-03-02", body="Our rye.")
    view.reload()
    view.edit_post(post_id)
    change_elsewhere(workspace, post_id, body="Rye, told elsewhere.")
    view.editor.title.setText("Rye, renamed here")
    assert view.save_editor()
    draft = post_writes.get_post(workspace, post_id).draft  # type: ignore[union-attr]
    assert (draft.title, draft.body) == ("Rye, renamed here", "Rye, told elsewhere.")


def test_undoing_a_move_leaves_a_date_changed_elsewhere(view, workspace) -> None:
    from datetime import date

    post_id = add_post(workspace, "Rye", "2031-03-02")
    view.reload()
    view.move_post(post_id, date(2031, 3, 9))
    change_elsewhere(workspace, post_id, scheduled_on="2031-03-20")
    view.undo_stack.undo()
    draft = post_writes.get_post(workspace, post_id).draft  # type: ignore[union-attr]
    assert draft.scheduled_on == "2031-03-20"


def test_undoing_a_new_post_keeps_it_when_changed_elsewhere(view, workspace, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    view.new_post(MONTH)
    view.editor.title.setText("Rye")
    assert view.save_editor()
    (post_id,) = [r[0] for r in workspace.conn.execute("SELECT id FROM posts")]
    change_elsewhere(workspace, post_id, body="Written elsewhere.")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    view.undo_stack.undo()
    assert warnings and "changed elsewhere" in warnings[0]
    draft = post_writes.get_post(workspace, post_id).draft  # type: ignore[union-attr]
    assert draft.body == "Written elsewhere."


def test_a_post_location_is_shown_and_edited(view, workspace, qtbot) -> None:
    post_id = add_post(workspace, "Market day", "2031-03-02", location="Market hall")
    view.reload()
    view.edit_post(post_id)
    editor = view.editor
    assert editor.location.text() == "Market hall"
    editor.location.clear()
    qtbot.keyClicks(editor.location, "  Town square, north side ")
    assert editor.is_dirty()
    editor.request_save()
    draft = post_writes.get_post(workspace, post_id).draft  # type: ignore[union-attr]
    assert draft.location == "Town square, north side"


def test_the_link_counts_on_the_networks_socialdesk_publishes_to(view, qtbot) -> None:
    editor = _new(view, qtbot, "mastodon", "instagram")
    editor.texts.body_edit.setPlainText("r" * 476)
    assert editor.texts.over_limit() == []
    editor.link.setText(LINK)  # goes after the text on Mastodon: 476 + 2 + 23
    assert editor.texts.over_limit() == ["mastodon"]
    assert editor.texts.counters["mastodon"].text() == (
        "The main text with the post's link: 501 / 500 — 1 too many")
    assert editor.texts.counters["instagram"].text() == "The main text: 476 / 2,200"
