"""The calendar's bars stay put: fixed mode buttons, a one-line hint, the mode remembered."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from calendar_helpers import add_post
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication

from socialdesk.store.workspace import Workspace


def _settled(widget) -> None:
    widget.layout().activate()
    QApplication.processEvents()


def _mode_rects(view) -> dict[str, QRect]:
    return {mode: QRect(button.mapTo(view, QPoint(0, 0)), button.size())
            for mode, button in view.mode_buttons.items()}


def test_the_mode_buttons_stay_where_they_are_whatever_the_title(calendar_view) -> None:
    view = calendar_view
    _settled(view.bar)
    where = _mode_rects(view)
    titles = set()
    for month in (5, 9, 12):  # May 2031, September 2031, December 2031
        view.anchor = date(2031, month, 1)
        view.reload()
        _settled(view.bar)
        titles.add(view.title_label.text())
        assert _mode_rects(view) == where
    view.set_mode("week")  # "29 Sep – 5 Oct 2031": the longest kind of title
    view.anchor = date(2031, 9, 30)
    view.reload()
    _settled(view.bar)
    titles.add(view.title_label.text())
    assert _mode_rects(view) == where
    assert len(titles) == 4
    assert view.title_label.width() >= view.title_label.sizeHint().width()  # not cut


def test_a_status_goes_to_the_status_bar_and_the_hint_stays_one_line(window, qtbot) -> None:
    view = window.show_view("calendar")
    _settled(view)
    one_line = view.summary.height()
    grid_top = view.pages.mapTo(view, QPoint(0, 0)).y()
    assert one_line < 2 * view.summary.fontMetrics().height()
    post_id = add_post(window.ws, "Stollen is back", view.anchor.replace(day=10).isoformat())
    view.reload()
    view.move_post(post_id, view.anchor.replace(day=15))
    _settled(view)
    assert "Moved to" in window.statusBar().currentMessage()
    assert "undoes" in window.statusBar().currentMessage()
    assert view.summary.height() == one_line
    assert view.pages.mapTo(view, QPoint(0, 0)).y() == grid_top
    assert "Moved" not in view.summary.text()


def test_the_calendar_mode_survives_a_restart_and_a_restore(
        open_window, demo_path: Path, close_window, qtbot) -> None:
    window = open_window(demo_path)
    view = window.show_view("calendar")
    qtbot.mouseClick(view.mode_buttons["agenda"], Qt.MouseButton.LeftButton)
    assert view.mode == "agenda"
    window.set_workspace(Workspace.open(demo_path.with_name("other.sqlite"), create=True))
    window.set_workspace(Workspace.open(demo_path))  # what a restore does
    qtbot.waitUntil(lambda: window.pending_view is None)
    again = window.show_view("calendar")
    assert again is not view
    assert again.mode == "agenda" and again.mode_buttons["agenda"].isChecked()  # type: ignore[attr-defined]
    assert again.pages.currentWidget() is again.agenda  # type: ignore[attr-defined]
    close_window(window)

    reopened = open_window(demo_path)
    calendar = reopened.show_view("calendar")
    assert calendar.mode == "agenda"  # type: ignore[attr-defined]
    assert calendar.pages.currentWidget() is calendar.agenda  # type: ignore[attr-defined]
