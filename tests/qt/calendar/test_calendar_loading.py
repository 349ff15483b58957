"""Opening the calendar and paging through it on a big workspace: nothing read twice,
nothing stale, and the editor's slow parts (time zones, channel marks) there when used.
"""

from __future__ import annotations

from datetime import date

import pytest
from calendar_helpers import MONTH, add_post
from PySide6.QtGui import QUndoStack

from socialdesk.core.calendar.recurrence import posts_in_range
from socialdesk.qt.calendar import periods
from socialdesk.qt.calendar.fields import zone_names
from socialdesk.qt.calendar.month import month_days
from socialdesk.qt.calendar.view import CalendarView


def _grid(view: CalendarView) -> set[tuple[int, date, bool]]:
    return {(row.id, day, row.occurrence) for day, rows in view.grid.by_day.items()
            for row in rows}


def _stored(view: CalendarView) -> set[tuple[int, date, bool]]:
    days = month_days(view.anchor.year, view.anchor.month)
    return {(row.id, date.fromisoformat(row.scheduled_on), row.occurrence)
            for row in posts_in_range(view.ws, days[0], days[-1])}


def test_the_editor_lists_every_time_zone_and_channel_mark_when_first_opened(
        calendar_view: CalendarView, qtbot) -> None:
    view = calendar_view
    view.new_post(MONTH)
    editor = view.editor
    zone = editor.zone
    assert zone.currentText() == zone.default
    for platform, button in editor.texts.buttons.items():
        assert not button.icon().isNull(), platform
    editor.texts.buttons["instagram"].click()
    tabs = editor.texts.tabs
    assert not tabs.tabIcon([tabs.tabText(i) for i in range(tabs.count())]
                            .index("Instagram")).isNull()
    zone.showPopup()
    zone.hidePopup()
    assert zone.count() == len(zone_names()) > 300
    assert zone.findText("Europe/Paris") >= 0
    assert zone.currentText() == zone.default  # filling the list changed nothing shown
    zone.completer().setCompletionPrefix("paris")
    assert zone.completer().currentCompletion() == "Europe/Paris"
    zone.set_zone("Asia/Tokyo")
    editor.has_date.setChecked(True)
    editor.has_time.setChecked(True)
    assert editor.draft().timezone == "Asia/Tokyo"


def test_typing_in_a_time_zone_box_finds_zones_before_its_list_was_opened(
        calendar_view: CalendarView, qtbot) -> None:
    view = calendar_view
    view.new_post(MONTH)
    zone = view.editor.zone
    view.editor.has_date.setChecked(True)
    view.editor.has_time.setChecked(True)
    view.window().activateWindow()
    zone.setFocus()
    qtbot.waitUntil(lambda: zone.count() > 300)
    zone.lineEdit().clear()
    qtbot.keyClicks(zone.lineEdit(), "Europe/Lisb")
    assert zone.completer().currentCompletion() == "Europe/Lisbon"


@pytest.fixture
def big_calendar(qtbot, workspace, monkeypatch: pytest.MonkeyPatch) -> CalendarView:
    """A calendar that treats the workspace as big: it reads months on worker threads."""
    import socialdesk.qt.calendar.view as module

    monkeypatch.setattr(module, "BACKGROUND_ABOVE", 0)
    for day in ("2031-02-10", "2031-03-03", "2031-03-17", "2031-04-14", "2031-05-05"):
        add_post(workspace, f"Post on {day}", day, topics=("bread",))
    add_post(workspace, "Bread club", "2031-02-03", repeat_rule="weekly",
             repeat_until="2031-05-26")
    view = CalendarView(workspace, undo_stack=QUndoStack())
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    view.anchor = MONTH
    return view


def test_a_big_workspace_opens_at_once_and_its_posts_follow(big_calendar: CalendarView,
                                                             qtbot) -> None:
    view = big_calendar
    view.refresh()
    assert view.summary.text() == "Loading posts…"
    qtbot.waitUntil(lambda: view.grid.post_count() > 0)
    assert _grid(view) == _stored(view)
    assert "posts in March" in view.summary.text()


def test_paging_shows_the_months_read_ahead_and_edits_are_never_stale(
        big_calendar: CalendarView, qtbot) -> None:
    view = big_calendar
    view.refresh()
    qtbot.waitUntil(lambda: view.grid.post_count() > 0)
    qtbot.waitUntil(lambda: len(view.ranges) == 3)  # February and April, read ahead
    for step in (1, 1, -1, -1, -1, 1):
        view.shift_month(step)  # May was not read ahead: it comes from a worker
        qtbot.waitUntil(lambda: view._shown == view.visible_days())
        assert _grid(view) == _stored(view), view.anchor
    assert view.anchor == MONTH
    view.shift_month(1)  # April
    moved = next(row.id for rows in view.grid.by_day.values() for row in rows
                 if row.title == "Post on 2031-04-14")
    view.move_post(moved, date(2031, 5, 12))
    assert moved not in {post_id for post_id, _, _ in _grid(view)}
    view.shift_month(1)  # May: read before the move, shown as it is now
    qtbot.waitUntil(lambda: view._shown == view.visible_days())
    assert (moved, date(2031, 5, 12), False) in _grid(view)
    assert _grid(view) == _stored(view)
    view.undo_stack.undo()  # May is read again on a worker
    qtbot.waitUntil(lambda: view._shown == view.visible_days())
    assert moved not in {post_id for post_id, _, _ in _grid(view)}
    view.shift_month(-1)
    qtbot.waitUntil(lambda: view._shown == view.visible_days())
    assert (moved, date(2031, 4, 14), False) in _grid(view)
    view.set_mode("week")
    view.shift(1)
    qtbot.waitUntil(lambda: view._shown == view.visible_days())
    assert {row.id for rows in view.week.by_day.values() for row in rows} == {
        row.id for row in posts_in_range(view.ws, *view.visible_days())}


def test_undo_and_redo_show_the_post_in_its_place_before_the_period_is_read_again(
        big_calendar: CalendarView, qtbot) -> None:
    view = big_calendar
    view.refresh()
    qtbot.waitUntil(lambda: view._shown == view.visible_days() and view.grid.post_count() > 0)
    post = next(row.id for rows in view.grid.by_day.values() for row in rows
                if row.title == "Post on 2031-03-17")
    before, after = (post, date(2031, 3, 17), False), (post, date(2031, 3, 24), False)
    view.move_post(post, date(2031, 3, 24))
    assert after in _grid(view) and before not in _grid(view)
    for step, shown, gone in ((view.undo_stack.undo, before, after),
                              (view.undo_stack.redo, after, before),
                              (view.undo_stack.undo, before, after)):
        step()  # the worker's answer has not come yet: the post is in its place already
        assert shown in _grid(view) and gone not in _grid(view)
        qtbot.waitUntil(lambda: view._shown == view.visible_days())
        assert _grid(view) == _stored(view)
    view.delete_post(post)
    assert post not in {post_id for post_id, _, _ in _grid(view)}
    view.undo_stack.undo()
    assert before in _grid(view)
    qtbot.waitUntil(lambda: view._shown == view.visible_days())  # no read left running
    assert _grid(view) == _stored(view)


@pytest.mark.parametrize("mode", ["month", "week", "agenda"])
def test_paging_fast_reads_nothing_on_the_gui_thread_and_shows_the_last_period_asked_for(
        big_calendar: CalendarView, qtbot, mode: str) -> None:
    view = big_calendar
    view.set_mode(mode)
    add_post(view.ws, "Six periods on", periods.step(mode, view.anchor, 6).isoformat())
    view.refresh()
    qtbot.waitUntil(lambda: view._shown == view.visible_days())
    statements: list[str] = []
    view.ws.conn.set_trace_callback(statements.append)
    try:
        for _ in range(6):  # Page Down held: each period asked for before the last came
            view.shift(1)
    finally:
        view.ws.conn.set_trace_callback(None)
    assert statements == []  # the periods are read on a worker thread
    wanted = view.visible_days()
    assert view.summary.text() == "Loading posts…"
    assert view.rows == []  # not an older period's posts under the new title
    qtbot.waitUntil(lambda: view._shown == wanted)
    assert {(row.id, row.scheduled_on) for row in view.rows} == {
        (row.id, row.scheduled_on) for row in posts_in_range(view.ws, *wanted)}
    assert "Six periods on" in {row.title for row in view.rows}
    qtbot.waitUntil(lambda: not view.reader.pending)  # later answers change nothing
    qtbot.wait(50)
    assert view.visible_days() == wanted and view._shown == wanted


def test_a_period_that_cannot_be_read_says_so_instead_of_loading_forever(
        big_calendar: CalendarView, qtbot) -> None:
    view = big_calendar
    view.refresh()
    qtbot.waitUntil(lambda: view._shown == view.visible_days())
    view.ws.path.rename(view.ws.path.with_name("moved away.sqlite"))  # e.g. a sync client
    view.shift_month(3)
    assert view.summary.text() == "Loading posts…"
    qtbot.waitUntil(lambda: view.summary.text() != "Loading posts…")
    assert "Could not read the posts" in view.summary.text()
    assert view.ws.path.name in view.summary.text()


def test_edits_on_a_big_workspace_read_the_period_on_a_worker_and_show_at_once(
        big_calendar: CalendarView, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    import socialdesk.qt.calendar.view as module

    view = big_calendar
    view.refresh()
    qtbot.waitUntil(lambda: view._shown == view.visible_days())
    on_gui_thread: list[tuple[date, date]] = []

    def spy(ws, first, last, *rest):  # the view's own (GUI thread) reads only
        on_gui_thread.append((first, last))
        return posts_in_range(ws, first, last, *rest)

    monkeypatch.setattr(module, "posts_in_range", spy)

    def answered() -> None:
        qtbot.waitUntil(lambda: view._shown == view.visible_days() and not view.reader.pending)
        assert _grid(view) == _stored(view)

    def post(title: str) -> int:
        return next(row.id for row in view.rows if row.title == title)

    moved = post("Post on 2031-03-03")
    view.move_post(moved, date(2031, 3, 20))
    assert (moved, date(2031, 3, 20), False) in _grid(view)  # at once, not after the read
    assert (moved, date(2031, 3, 3), False) not in _grid(view)
    answered()
    assert (moved, date(2031, 3, 20), False) in _grid(view)
    assert on_gui_thread == []
    deleted = post("Post on 2031-03-17")
    view.delete_post(deleted)
    assert deleted not in {post_id for post_id, _, _ in _grid(view)}
    answered()
    view.edit_post(moved)
    view.editor.title.setText("Moved and renamed")
    view.editor.has_date.setChecked(True)
    view.editor.date.setDate(date(2031, 3, 21))
    assert view.save_editor()
    assert ("Moved and renamed", "2031-03-21") in {(r.title, r.scheduled_on) for r in view.rows}
    assert moved in {row.id for row in view.grid.by_day[date(2031, 3, 21)]}  # at once
    answered()
    assert ("Moved and renamed", "2031-03-21") in {(r.title, r.scheduled_on) for r in view.rows}
    view.duplicate_post(moved)
    answered()
    for _ in range(4):  # the copy, the save, the delete, the move
        view.undo_stack.undo()
        answered()
    assert (moved, date(2031, 3, 3), False) in _grid(view)
    assert deleted in {post_id for post_id, _, _ in _grid(view)}
    may = next(row.id for row in posts_in_range(view.ws, date(2031, 5, 5), date(2031, 5, 5))
               if not row.occurrence)
    view.open_post(may)  # from another view: the calendar goes to its month
    answered()
    assert view.anchor == date(2031, 5, 5) and view.editor.post_id == may
    assert on_gui_thread == []


def test_months_read_ahead_wait_while_the_user_is_in_another_view(
        big_calendar: CalendarView, qtbot) -> None:
    import threading

    from PySide6.QtWidgets import QApplication, QWidget

    from socialdesk.qt.workers import LatestJob

    view = big_calendar
    view.refresh()
    qtbot.waitUntil(lambda: view._shown == view.visible_days())
    other = QWidget()
    qtbot.addWidget(other)
    let_go = threading.Event()
    busy = LatestJob(other)  # another view's read holds the reading thread
    busy.start(lambda: let_go.wait(10))
    qtbot.waitUntil(lambda: bool(view.ranges._pending))  # February and April asked for
    view.hide()  # the user went to another view before their turn came
    let_go.set()
    assert busy.wait(10_000)
    QApplication.processEvents()
    assert len(view.ranges) == 1 and not view.ranges._pending  # not read

    view.show()  # back in the calendar: they are read now
    qtbot.waitUntil(lambda: len(view.ranges) == 3)
