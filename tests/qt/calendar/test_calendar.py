"""The calendar driven like a user: drag to reschedule (and undo), filters, create, edit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from calendar_helpers import MONTH, add_post, centre, drag, empty_spot
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from socialdesk.core.clock import today
from socialdesk.qt.calendar.view import CalendarView
from socialdesk.store import campaigns, post_writes
from socialdesk.store.models import Campaign, Channel


@pytest.fixture
def view(calendar_view):
    return calendar_view


def _stored(ws, post_id: int):
    detail = post_writes.get_post(ws, post_id)
    assert detail is not None
    return detail


def test_month_loads_only_the_visible_weeks(view, workspace) -> None:
    add_post(workspace, "In March", "2031-03-10")
    add_post(workspace, "Shown from the next month", "2031-04-02")
    add_post(workspace, "Too late", "2031-04-20")
    add_post(workspace, "An idea", None)
    view.refresh()
    assert view.title_label.text() == "March 2031"
    assert {r.title for r in view.rows} == {"In March", "Shown from the next month"}
    assert view.grid.post_count() == 2
    assert "1 post in March" in view.summary.text()
    assert "1 ideas without a date" in view.summary.text()


def test_drag_a_post_to_another_day_then_undo_and_redo(view, workspace, qtbot) -> None:
    post_id = add_post(workspace, "Stollen is back", "2031-03-10", scheduled_time="08:30")
    view.reload()
    grid = view.grid
    start = centre(grid.chip_rect(post_id))
    drag(qtbot, grid, start, empty_spot(grid, date(2031, 3, 13)))
    moved = _stored(workspace, post_id)
    assert (moved.draft.scheduled_on, moved.draft.scheduled_time) == ("2031-03-13", "08:30")
    assert moved.sequence == 1
    assert grid.chip_rect(post_id, date(2031, 3, 13)) is not None
    assert view.undo_stack.undoText().startswith("Move “Stollen is back” to Thu 13 Mar")

    view.undo_stack.undo()
    back = _stored(workspace, post_id)
    assert back.draft.scheduled_on == "2031-03-10"
    assert back.sequence == 2  # calendar programs see every change
    assert grid.chip_rect(post_id, date(2031, 3, 10)) is not None
    view.undo_stack.redo()
    assert _stored(workspace, post_id).draft.scheduled_on == "2031-03-13"


def test_a_click_or_a_drop_on_the_same_day_moves_nothing(view, workspace, qtbot) -> None:
    post_id = add_post(workspace, "Stay", "2031-03-10")
    view.reload()
    start = centre(view.grid.chip_rect(post_id))
    qtbot.mouseClick(view.grid, Qt.MouseButton.LeftButton, pos=start)
    assert view.grid.selected_id == post_id
    drag(qtbot, view.grid, start, empty_spot(view.grid, date(2031, 3, 10)))
    assert _stored(workspace, post_id).sequence == 0
    assert view.undo_stack.count() == 0


def test_escape_cancels_a_drag(view, workspace, qtbot) -> None:
    post_id = add_post(workspace, "Stay", "2031-03-10")
    view.reload()
    grid = view.grid
    start = centre(grid.chip_rect(post_id))
    target = empty_spot(grid, date(2031, 3, 20))
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(grid, target)
    qtbot.keyClick(grid, Qt.Key.Key_Escape)
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=target)
    assert _stored(workspace, post_id).draft.scheduled_on == "2031-03-10"


def test_drag_in_the_week_view(view, workspace, qtbot) -> None:
    post_id = add_post(workspace, "Tuesday bread", "2031-03-11", scheduled_time="09:15")
    view.anchor = date(2031, 3, 11)
    view.set_mode("week")
    assert view.title_label.text() == "10 – 16 Mar 2031"
    week = view.week
    drag(qtbot, week, centre(week.chip_rect(post_id)), empty_spot(week, date(2031, 3, 15)))
    assert _stored(workspace, post_id).draft.scheduled_on == "2031-03-15"
    view.undo_stack.undo()
    assert _stored(workspace, post_id).draft.scheduled_on == "2031-03-11"


def test_filters_by_channel_campaign_and_status(view, workspace) -> None:
    christmas = campaigns.create_campaign(workspace, Campaign(0, "Christmas", colour="#e15759"))
    add_post(workspace, "Insta", "2031-03-03", channels=(("instagram", None),))
    add_post(workspace, "X draft", "2031-03-04", channels=(("x", None),), status="draft")
    add_post(workspace, "Both", "2031-03-05", channels=(("x", None), ("instagram", None)),
             campaign_id=christmas)
    view.refresh()
    assert view.grid.post_count() == 3

    def shown() -> set[str]:
        return {row.title for rows in view.grid.by_day.values() for row in rows}

    view.channel_filter.setCurrentIndex(view.channel_filter.findData("x"))
    assert shown() == {"X draft", "Both"}
    assert "2 of 3 posts in March match" in view.summary.text()
    view.status_filter.setCurrentIndex(view.status_filter.findData("draft"))
    assert shown() == {"X draft"}
    view.status_filter.setCurrentIndex(0)
    view.campaign_filter.setCurrentIndex(view.campaign_filter.findData(christmas))
    assert shown() == {"Both"}
    view.campaign_filter.setCurrentIndex(view.campaign_filter.findText("No campaign"))
    assert shown() == {"X draft"}
    view.channel_filter.setCurrentIndex(0)
    view.campaign_filter.setCurrentIndex(0)
    view.set_mode("agenda")
    assert {r.title for r in view.agenda.model.rows} == {"Insta", "X draft", "Both"}


def test_double_click_an_empty_day_creates_a_post(view, workspace, qtbot) -> None:
    campaigns.create_channel(workspace, Channel(0, "facebook", "@bakery", 900))
    qtbot.mouseDClick(view.grid, Qt.MouseButton.LeftButton,
                      pos=empty_spot(view.grid, date(2031, 3, 18)))
    editor = view.editor
    assert view.side.isVisible() and view.side.currentWidget() is editor
    assert editor.post_id is None and editor.has_date.isChecked()
    assert editor.texts.chosen() == ["facebook"]  # own channels to start with
    qtbot.keyClicks(editor.title, "Bagel Friday")
    qtbot.keyClicks(editor.texts.body_edit, "Fresh bagels from 7.")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not view.side.isVisible()
    (row,) = workspace.conn.execute(
        "SELECT id, title, body, scheduled_on, status FROM posts").fetchall()
    assert tuple(row)[1:] == ("Bagel Friday", "Fresh bagels from 7.", "2031-03-18", "draft")
    assert view.grid.chip_rect(row[0], date(2031, 3, 18)) is not None
    uid = _stored(workspace, row[0]).uid
    view.undo_stack.undo()
    assert post_writes.get_post(workspace, row[0]) is None
    view.undo_stack.redo()
    assert _stored(workspace, row[0]).uid == uid  # the same post, for calendar programs


def _new_dated_post(view, workspace, qtbot, title: str) -> str | None:
    """New post from the toolbar, "Date: On" ticked, saved; the date it was stored with."""
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    editor = view.editor
    assert not editor.has_date.isChecked()  # an idea until it gets a date
    qtbot.mouseClick(editor.has_date, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.title, title)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    return workspace.conn.execute(
        "SELECT scheduled_on FROM posts WHERE title = ?", (title,)).fetchone()[0]


def test_a_new_post_given_a_date_starts_on_the_chosen_day_or_today(
        view, workspace, qtbot, monkeypatch) -> None:
    monkeypatch.setenv("SOCIALDESK_TODAY", "2031-03-12")
    assert _new_dated_post(view, workspace, qtbot, "Nothing chosen") == "2031-03-12"
    qtbot.mouseClick(view.grid, Qt.MouseButton.LeftButton,
                     pos=empty_spot(view.grid, date(2031, 3, 20)))
    assert _new_dated_post(view, workspace, qtbot, "A day chosen") == "2031-03-20"
    elsewhere = add_post(workspace, "Elsewhere", "2031-03-25")
    view.reload()
    qtbot.mouseClick(view.grid, Qt.MouseButton.LeftButton,
                     pos=centre(view.grid.chip_rect(elsewhere)))
    assert _new_dated_post(view, workspace, qtbot, "A post chosen") == "2031-03-25"
    view.shift(1)  # April: the chosen day is no longer shown, so today
    assert _new_dated_post(view, workspace, qtbot, "Another month") == "2031-03-12"
    idea = add_post(workspace, "Someday", None)  # an idea opened after a dated post
    view.edit_post(elsewhere)
    view.close_side()
    view.edit_post(idea)
    view.editor.has_date.setChecked(True)
    assert view.editor.draft().scheduled_on == "2031-03-12"


def test_edit_then_undo_restores_the_old_values(view, workspace, qtbot) -> None:
    post_id = add_post(workspace, "Rye", "2031-03-10", body="Rye is back",
                       channels=(("instagram", "Rye! #bread"),), topics=("bread",))
    view.reload()
    qtbot.mouseDClick(view.grid, Qt.MouseButton.LeftButton,
                      pos=centre(view.grid.chip_rect(post_id)))
    editor = view.editor
    assert editor.post_id == post_id and editor.title.text() == "Rye"
    assert editor.texts.variant_edits["instagram"].toPlainText() == "Rye! #bread"
    editor.title.setText("Dark rye")
    editor.texts.body_edit.setPlainText("Dark rye, baked slowly")
    editor.texts.buttons["x"].click()
    editor.topics.setText("bread, slow food")
    editor.status.setCurrentIndex(editor.status.findData("published"))
    editor.reach.setText("1500")
    before = _stored(workspace, post_id)
    qtbot.keyClick(editor.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    after = _stored(workspace, post_id)
    assert after.draft.title == "Dark rye" and after.draft.reach == 1500
    assert after.draft.channels == (("instagram", "Rye! #bread"), ("x", None))
    assert after.draft.topics == ("bread", "slow food")
    assert after.sequence == before.sequence + 1
    view.undo_stack.undo()
    undone = _stored(workspace, post_id)
    assert undone.draft == before.draft and undone.uid == before.uid
    assert undone.sequence == before.sequence + 2


def test_delete_from_the_grid_and_undo(view, workspace, qtbot) -> None:
    post_id = add_post(workspace, "Oops", "2031-03-10", topics=("bread",))
    view.reload()
    qtbot.mouseClick(view.grid, Qt.MouseButton.LeftButton,
                     pos=centre(view.grid.chip_rect(post_id)))
    qtbot.keyClick(view.grid, Qt.Key.Key_Delete)
    assert post_writes.get_post(workspace, post_id) is None
    assert view.grid.post_count() == 0
    view.undo_stack.undo()
    assert _stored(workspace, post_id).draft.topics == ("bread",)
    assert view.grid.post_count() == 1


def test_context_menu_plans_leverage(view, workspace) -> None:
    post_id = add_post(workspace, "Plan me", "2031-03-10")
    view.reload()
    asked: list[int] = []
    view.plan_leverage.connect(asked.append)
    menu = view.grid.menu_for(centre(view.grid.chip_rect(post_id)))
    assert menu is not None
    actions = {a.text(): a for a in menu.actions()}
    assert set(actions) >= {"Edit…", "Plan leverage…", "Delete"}
    actions["Plan leverage…"].trigger()
    assert asked == [post_id]
    day_menu = view.grid.menu_for(empty_spot(view.grid, date(2031, 3, 20)))
    assert day_menu is not None and day_menu.actions()[0].text() == "New post on Thu 20 Mar 2031…"


def test_navigation_and_more_link(view, workspace, qtbot) -> None:
    for hour in range(12):
        add_post(workspace, f"Busy {hour}", "2031-03-12", scheduled_time=f"{hour + 8:02d}:00")
    view.reload()
    (more_rect, day, hidden) = view.grid.layout_items().more[0]
    assert day == date(2031, 3, 12) and hidden > 0
    qtbot.mouseClick(view.grid, Qt.MouseButton.LeftButton, pos=more_rect.center())
    assert view.mode == "week" and view.week.post_count() == 12
    view.shift(1)
    assert view.anchor == date(2031, 3, 19)
    view.set_mode("month")
    view.shift(-1)
    assert view.title_label.text() == "February 2031"
    view.go_today()
    assert view.anchor == today() and view.title_label.text() == f"{today():%B %Y}"


def test_repeats_show_on_later_dates_and_cannot_be_dragged(view, workspace, qtbot) -> None:
    post_id = add_post(workspace, "Bread club", "2031-03-03", repeat_rule="weekly",
                       repeat_until="2031-03-24")
    view.reload()
    days = sorted(chip.day for chip in view.grid.layout_items().chips if chip.row.id == post_id)
    assert days == [date(2031, 3, 3) + timedelta(weeks=i) for i in range(4)]
    repeat = centre(view.grid.chip_rect(post_id, date(2031, 3, 10)))
    drag(qtbot, view.grid, repeat, empty_spot(view.grid, date(2031, 3, 12)))
    assert _stored(workspace, post_id).draft.scheduled_on == "2031-03-03"


def _statuses(view: CalendarView, post_id: int) -> dict[date, str]:
    return {chip.day: chip.row.status for chip in view.grid.layout_items().chips
            if chip.row.id == post_id}


def test_a_published_weekly_post_is_scheduled_on_its_dates_to_come(view, workspace,
                                                                   monkeypatch) -> None:
    monkeypatch.setenv("SOCIALDESK_TODAY", "2031-03-12")
    post_id = add_post(workspace, "Bread club", "2031-03-03", repeat_rule="weekly",
                       status="published", reach=800)
    view.reload()
    assert _statuses(view, post_id) == {
        date(2031, 3, 3): "published", date(2031, 3, 10): "published",
        date(2031, 3, 17): "scheduled", date(2031, 3, 24): "scheduled",
        date(2031, 3, 31): "scheduled"}
    view.set_mode("agenda")
    assert [(r.scheduled_on, r.status, r.reach) for r in view.agenda.model.rows][:3] == [
        ("2031-03-03", "published", 800), ("2031-03-10", "published", None),
        ("2031-03-17", "scheduled", None)]


def test_editing_a_repeat_marks_that_date_only_in_one_undo_step(view, workspace, qtbot,
                                                                 monkeypatch) -> None:
    from socialdesk.store.occurrences import get_occurrence

    monkeypatch.setenv("SOCIALDESK_TODAY", "2031-03-20")
    post_id = add_post(workspace, "Bread club", "2031-03-03", repeat_rule="weekly",
                       repeat_until="2031-03-31")
    view.reload()
    qtbot.mouseDClick(view.grid, Qt.MouseButton.LeftButton,
                      pos=centre(view.grid.chip_rect(post_id, date(2031, 3, 17))))
    editor = view.editor
    assert editor.post_id == post_id and editor.status.currentData() == "scheduled"
    assert "Mon 17 Mar" in editor.subheading.text()
    editor.title.setText("Bread club!")  # the series' title, saved in the same step
    editor.status.setCurrentIndex(editor.status.findData("published"))
    editor.reach.setText("450")
    qtbot.keyClick(editor.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    series = _stored(workspace, post_id)
    assert (series.draft.title, series.draft.status, series.draft.reach) == (
        "Bread club!", "scheduled", None)
    marked = get_occurrence(workspace, post_id, "2031-03-17")
    assert marked is not None and (marked.status, marked.reach) == ("published", 450)
    assert _statuses(view, post_id) == {
        date(2031, 3, 3): "scheduled", date(2031, 3, 10): "scheduled",
        date(2031, 3, 17): "published", date(2031, 3, 24): "scheduled",
        date(2031, 3, 31): "scheduled"}
    assert view.undo_stack.undoText() == "Edit “Bread club!” on Mon 17 Mar"

    view.undo_stack.undo()
    assert get_occurrence(workspace, post_id, "2031-03-17") is None
    assert _stored(workspace, post_id).draft.title == "Bread club"
    assert _statuses(view, post_id)[date(2031, 3, 17)] == "scheduled"
    view.undo_stack.redo()
    assert get_occurrence(workspace, post_id, "2031-03-17") == marked
    assert _statuses(view, post_id)[date(2031, 3, 17)] == "published"

    menu = view.grid.menu_for(centre(view.grid.chip_rect(post_id, date(2031, 3, 24))))
    assert menu is not None
    actions = {a.text(): a for a in menu.actions()}
    assert {"Edit Mon 24 Mar…", "Edit the series…"} <= set(actions)
    actions["Edit Mon 24 Mar…"].trigger()
    assert (view.editor.occurs_on, view.editor.status.currentData()) == (
        "2031-03-24", "scheduled")
    view.edit_post(post_id)  # the series itself: its own status and results
    assert view.editor.status.currentData() == "scheduled" and view.editor.reach.text() == ""
    view.edit_post(post_id, date(2031, 3, 17))
    assert view.editor.status.currentData() == "published"
    assert view.editor.reach.value() == 450


def test_undoing_an_edit_of_one_date_keeps_what_another_writer_changed(
        view, workspace, monkeypatch) -> None:
    from dataclasses import replace

    from socialdesk.store.occurrences import get_occurrence
    from socialdesk.store.workspace import Workspace

    monkeypatch.setenv("SOCIALDESK_TODAY", "2031-03-20")
    post_id = add_post(workspace, "Bread club", "2031-03-03", repeat_rule="weekly",
                       body="Every Monday.")
    view.reload()
    view.edit_post(post_id, date(2031, 3, 17))
    view.editor.title.setText("Bread club!")  # the series, and this date's status
    view.editor.status.setCurrentIndex(view.editor.status.findData("published"))
    assert view.save_editor()
    with Workspace.open(workspace.path) as other:  # another writer, its own connection
        stored = post_writes.get_post(other, post_id)
        assert stored is not None
        post_writes.update_post(other, post_id, replace(stored.draft, body="Mondays, 8 am."))

    view.undo_stack.undo()
    assert get_occurrence(workspace, post_id, "2031-03-17") is None
    assert _stored(workspace, post_id).draft.title == "Bread club"
    assert _stored(workspace, post_id).draft.body == "Mondays, 8 am."


def test_switching_posts_asks_about_unsaved_changes(view, workspace, qtbot, monkeypatch) -> None:
    first = add_post(workspace, "First", "2031-03-10")
    second = add_post(workspace, "Second", "2031-03-11")
    view.reload()
    view.edit_post(first)
    view.editor.title.setText("First, changed")
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Cancel)
    view.edit_post(second)
    assert view.editor.post_id == first
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    view.edit_post(second)
    assert view.editor.post_id == second
    assert _stored(workspace, first).draft.title == "First, changed"


def test_agenda_lists_undated_ideas_and_opens_them(view, workspace, qtbot) -> None:
    add_post(workspace, "Dated", "2031-03-05")
    idea = add_post(workspace, "Someday: sourdough class", None)
    view.set_mode("agenda")
    rows = view.agenda.model.rows
    assert [r.title for r in rows] == ["Dated", "Someday: sourdough class"]
    index = view.agenda.model.index(1, 2)
    view.agenda.table.doubleClicked.emit(index)
    assert view.editor.post_id == idea and not view.editor.has_date.isChecked()


def test_main_window_wires_undo_and_the_planner(qtbot, demo_path, close_window) -> None:
    from socialdesk.qt.app import create_application
    from socialdesk.qt.appsettings import app_settings
    from socialdesk.qt.main_window import MainWindow
    from socialdesk.store.workspace import Workspace

    create_application()
    window = MainWindow(Workspace.open(demo_path), app_settings())
    qtbot.addWidget(window)
    window.show()
    window.show_view("today")  # built: a calendar edit marks it to reload
    calendar = window.show_view("calendar")
    assert isinstance(calendar, CalendarView) and calendar.undo_stack is window.undo_stack
    row = next(r for r in calendar.rows if not r.occurrence)
    new_day = date.fromisoformat(row.scheduled_on) + timedelta(days=1)  # type: ignore[arg-type]
    calendar.move_post(row.id, new_day)
    assert window.undo_stack.canUndo()
    assert "today" in window.stale and "calendar" not in window.stale
    window.undo_stack.undo()
    assert _stored(window.ws, row.id).draft.scheduled_on == row.scheduled_on
    calendar.plan_leverage.emit(row.id)
    assert window.current_view_name() == "planner"
    assert window.views["planner"].post.currentData() == row.id  # type: ignore[attr-defined]
    today_view = window.show_view("today")
    today_view.open_post.emit(row.id)  # type: ignore[attr-defined]  # "Posts to fix" double-click
    assert window.current_view_name() == "calendar" and calendar.editor.post_id == row.id
    close_window(window)


def test_every_mode_and_pane_renders_at_1280_by_800(view, workspace) -> None:
    for day in range(1, 29):
        add_post(workspace, f"Post {day}", f"2031-03-{day:02d}", scheduled_time="09:00",
                 channels=(("instagram", None), ("x", None), ("facebook", None)))
    view.reload()
    for mode in ("month", "week", "agenda"):
        view.set_mode(mode)
        assert view.grab().size().width() == 1280
    for side in ("campaigns", "channels"):
        view.show_side(side)
        assert view.side.isVisible()
    view.new_post(MONTH)
    assert view.grab().size().height() == 800


def test_paging_the_agenda_keeps_the_column_widths_the_user_set(view, workspace) -> None:
    add_post(workspace, "A post with a long title about sourdough", "2031-03-05")
    add_post(workspace, "April", "2031-04-02")
    view.set_mode("agenda")
    view.reload()
    header = view.agenda.table.horizontalHeader()
    header.resizeSection(0, 333)  # the user widens the Day column
    view.shift(1)
    assert [r.title for r in view.agenda.model.rows][:1] == ["April"]
    assert header.sectionSize(0) == 333
