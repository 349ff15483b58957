"""Campaigns and own channels edited from the calendar's side pane, with undo."""

from __future__ import annotations

from datetime import timedelta

import pytest
from calendar_helpers import add_post
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog

from socialdesk.core.clock import today
from socialdesk.qt.today import TodayView
from socialdesk.store import campaigns, post_writes
from socialdesk.store.models import Campaign


@pytest.fixture
def view(calendar_view):
    return calendar_view


def test_create_edit_and_delete_a_campaign_with_undo(view, workspace, qtbot,
                                                     monkeypatch) -> None:
    qtbot.mouseClick(view.campaigns_button, Qt.MouseButton.LeftButton)
    panel = view.campaigns_panel
    assert view.side.currentWidget() is panel and panel.body.currentIndex() == 1  # empty state
    qtbot.keyClicks(panel.name, "Christmas orders")
    qtbot.keyClicks(panel.goal, "Sell out the stollen by the 20th")
    panel.has_start.setChecked(True)
    panel.starts.setDate(panel.starts.date().fromString("2031-12-01", "yyyy-MM-dd"))
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#123456"))
    qtbot.mouseClick(panel.colour_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert campaigns.campaign_post_counts(workspace) == {}  # no posts yet
    (campaign,) = [campaigns.get_campaign(workspace, r[0]) for r in
                   workspace.conn.execute("SELECT id FROM campaigns")]
    assert campaign == Campaign(campaign.id, "Christmas orders",  # type: ignore[union-attr]
                                "Sell out the stollen by the 20th", "2031-12-01", None, "#123456")
    assert view.campaign_filter.findData(campaign.id) >= 0  # type: ignore[union-attr]

    post_id = add_post(workspace, "Stollen", "2031-03-05", campaign_id=campaign.id)  # type: ignore[union-attr]
    panel.refresh()
    panel.select_id(campaign.id)  # type: ignore[union-attr]
    panel.swatches[2].click()
    panel.name.setText("Christmas")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    edited = campaigns.get_campaign(workspace, campaign.id)  # type: ignore[union-attr]
    assert (edited.name, edited.colour) == ("Christmas", "#e15759")  # type: ignore[union-attr]
    assert view.grid.layout_items().chips[0].row.colour == "#e15759"

    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert campaigns.get_campaign(workspace, campaign.id) is None  # type: ignore[union-attr]
    assert post_writes.get_post(workspace, post_id).draft.campaign_id is None  # type: ignore[union-attr]
    view.undo_stack.undo()  # the delete
    assert post_writes.get_post(workspace, post_id).draft.campaign_id == campaign.id  # type: ignore[union-attr]
    view.undo_stack.undo()  # the edit
    assert campaigns.get_campaign(workspace, campaign.id).name == "Christmas orders"  # type: ignore[union-attr]
    assert [panel.model.row_at(0).name] == ["Christmas orders"]


def test_own_channels_list_and_editor(view, workspace, qtbot) -> None:
    qtbot.mouseClick(view.channels_button, Qt.MouseButton.LeftButton)
    panel = view.channels_panel
    panel.platform.setCurrentIndex(panel.platform.findData("mastodon"))
    qtbot.keyClicks(panel.handle, "@bakery@mastodon.social")
    panel.followers.setValue(640)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    (channel,) = campaigns.all_channels(workspace)
    assert (channel.platform, channel.handle, channel.followers, channel.active) == (
        "mastodon", "@bakery@mastodon.social", 640, True)
    assert panel.model.data(panel.model.index(0, 2)) == "640"
    panel.followers.setValue(12_400)
    panel.active.setChecked(False)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.model.data(panel.model.index(0, 2)) == "12.4k"
    assert campaigns.get_channel(workspace, channel.id).active is False  # type: ignore[union-attr]
    view.undo_stack.undo()
    assert campaigns.get_channel(workspace, channel.id).followers == 640  # type: ignore[union-attr]
    view.undo_stack.undo()
    assert campaigns.all_channels(workspace) == []
    view.undo_stack.redo()
    assert campaigns.get_channel(workspace, channel.id) == channel


def test_today_lists_posts_to_fix(qtbot, workspace) -> None:
    day = today()
    ok = add_post(workspace, "Fine", day.isoformat())
    add_post(workspace, "No channel", day.isoformat(), channels=())
    add_post(workspace, "Too long", (day + timedelta(days=7)).isoformat(), body="a" * 300,
             channels=(("x", None), ("bluesky", None)))
    add_post(workspace, "Done already", day.isoformat(), channels=(), status="published")
    add_post(workspace, "Later", (day + timedelta(days=20)).isoformat(), channels=())
    view = TodayView(workspace)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: not view.is_busy())  # read on a worker
    problems = {p.row.title: p.summary for p in view.check_model.rows}
    assert problems == {
        "No channel": "No channel chosen",
        "Too long": "Too long for X (+20)",
    }
    assert "2 to fix" in view.summary.text()
    opened: list[int] = []
    view.open_post.connect(opened.append)
    view.week_table.doubleClicked.emit(view.week_model.index(
        [r.id for r in view.week_model.rows].index(ok), 0))
    assert opened == [ok]
