"""The main window driven with qtbot: navigation, welcome panel, sample data, geometry."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QSlider, QWidget

from socialdesk.qt.main_window import VIEW_NAMES
from socialdesk.qt.view_base import View
from socialdesk.qt.workers import lane
from socialdesk.store import reports


def test_every_view_is_reachable_from_the_sidebar(open_window, demo_path: Path, qtbot) -> None:
    window = open_window(demo_path)
    assert window.current_view_name() == "today"
    for name in VIEW_NAMES:
        qtbot.mouseClick(window.sidebar.buttons[name], Qt.MouseButton.LeftButton)
        assert window.current_view_name() == name
        assert window.sidebar.buttons[name].isChecked()
        view = window.stack.currentWidget()
        assert isinstance(view, View) and view.isVisible()


def test_views_show_the_demo_data(open_window, demo_path: Path, qtbot) -> None:
    window = open_window(demo_path)
    totals = reports.counts(window.ws)
    contacts = window.show_view("contacts")
    assert contacts.model.total == totals.contacts  # type: ignore[attr-defined]
    partners = window.show_view("partners")
    qtbot.waitUntil(lambda: partners.model.rowCount() == totals.partners)  # type: ignore[attr-defined]  # a worker
    calendar = window.show_view("calendar")
    assert calendar.grid.post_count() > 0  # type: ignore[attr-defined]
    planner = window.show_view("planner")
    qtbot.waitUntil(lambda: not planner.is_busy())  # type: ignore[attr-defined]  # a worker
    assert planner.model.rowCount() == totals.partners  # type: ignore[attr-defined]
    assert "people" in planner.summary.asks.value.text()  # type: ignore[attr-defined]
    reports_view = window.show_view("reports")
    assert reports_view.campaign_model.rowCount() >= 3  # type: ignore[attr-defined]
    assert str(demo_path) in window.path_label.text()


def test_view_menu_has_a_shortcut_per_view(open_window, demo_path: Path) -> None:
    window = open_window(demo_path)
    actions = {a.shortcut().toString(): a for a in window.findChildren(QAction)}
    for number, name in enumerate(VIEW_NAMES, start=1):
        actions[f"Ctrl+{number}"].trigger()
        assert window.current_view_name() == name
    for standard in ("Ctrl+N", "Ctrl+O", "Ctrl+Q", "Ctrl+Z"):
        assert standard in actions


def test_empty_workspace_opens_on_the_welcome_panel(open_window, tmp_path: Path, qtbot) -> None:
    window = open_window(tmp_path / "new.sqlite", create=True)
    assert window.stack.currentWidget() is window.welcome
    assert window.current_view_name() is None
    assert not any(b.isChecked() for b in window.sidebar.buttons.values())
    qtbot.mouseClick(window.welcome.sample_button, Qt.MouseButton.LeftButton)
    totals = reports.counts(window.ws)
    assert totals.contacts > 100 and totals.posts > 50
    assert window.current_view_name() == "today"
    qtbot.waitUntil(lambda: f"{totals.contacts:,} contacts" in window.path_label.text())


def test_contacts_search_narrows_the_table(open_window, demo_path: Path, qtbot) -> None:
    window = open_window(demo_path)
    view = window.show_view("contacts")
    first = next(r for r in view.model.rows  # type: ignore[attr-defined]
                 if r.name.split()[-1][:4].isascii())  # QTest types ASCII only
    qtbot.keyClicks(view.search, first.name.split()[-1][:4])  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: view.model.total < reports.counts(window.ws).contacts)  # type: ignore[attr-defined]
    assert any(r.id == first.id for r in view.model.rows)  # type: ignore[attr-defined]
    view.table.selectRow(0)  # type: ignore[attr-defined]
    assert view.editor.form.name_edit.text() == view.model.rows[0].name  # type: ignore[attr-defined]


def test_calendar_moves_between_months(open_window, demo_path: Path) -> None:
    window = open_window(demo_path)
    view = window.show_view("calendar")
    start = view.title_label.text()  # type: ignore[attr-defined]
    view.shift_month(1)  # type: ignore[attr-defined]
    assert view.title_label.text() != start  # type: ignore[attr-defined]
    view.go_today()  # type: ignore[attr-defined]
    assert view.title_label.text() == start  # type: ignore[attr-defined]


def test_window_geometry_and_view_are_remembered(open_window, demo_path: Path,
                                                 close_window) -> None:
    window = open_window(demo_path)
    window.setGeometry(QRect(10, 5, 780, 590))
    window.show_view("partners")
    close_window(window)
    again = open_window(demo_path)
    assert (again.width(), again.height()) == (780, 590)
    assert again.current_view_name() == "partners"


def test_backup_now_writes_a_checked_copy(open_window, demo_path: Path, qtbot,
                                          isolated_environment: Path) -> None:
    from socialdesk.core.backup import catalog

    window = open_window(demo_path)
    window.backup_now()
    qtbot.waitUntil(lambda: not window.safety.busy, timeout=20_000)
    made = list((isolated_environment / "data" / "backups").glob("*.sdbackup"))
    assert len(made) == 1
    totals = reports.counts(window.ws)
    assert catalog.inspect(made[0]).counts == {
        "contacts": totals.contacts, "partners": totals.partners, "posts": totals.posts,
        "campaigns": totals.campaigns, "asks": totals.asks}
    assert "Last backup: today" in window.backup_label.text()


def test_planner_budget_changes_the_choice(open_window, demo_path: Path, qtbot) -> None:
    window = open_window(demo_path)
    view = window.show_view("planner")
    qtbot.waitUntil(lambda: not view.is_busy())  # type: ignore[attr-defined]  # a worker
    view.budget.setValue(0)  # type: ignore[attr-defined]
    assert "for 0 asks" in view.summary.effort.detail.text()  # type: ignore[attr-defined]
    view.budget.setValue(120)  # type: ignore[attr-defined]
    assert "for 0 asks" not in view.summary.effort.detail.text()  # type: ignore[attr-defined]


def scribble_tail(path: Path) -> None:
    """Overwrite parts of the last pages, leaving the schema pages readable."""
    data = bytearray(path.read_bytes())
    page = 4096
    pages = len(data) // page
    for number in range(pages - pages // 4, pages, 2):
        data[number * page + 8: number * page + 600] = b"\x5a" * 592
    path.write_bytes(bytes(data))


def test_a_large_damaged_workspace_is_reported_after_opening(
        open_window, demo_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    import socialdesk.store.workspace as workspace_module
    from socialdesk.qt.backup.dialogs import DamagedDialog

    monkeypatch.setattr(workspace_module, "VERIFY_INLINE_BYTES", 0)  # treat the demo as large
    shown: list[str] = []
    monkeypatch.setattr(DamagedDialog, "exec", lambda dialog: shown.append(dialog.detail) or 0)
    scribble_tail(demo_path)
    open_window(demo_path)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert str(demo_path) in shown[0] and "damaged" in shown[0]


def test_index_damage_that_quick_check_misses_is_reported_after_opening(
        open_window, demo_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from bad_workspaces import damage_an_index
    from socialdesk.qt.backup.dialogs import DamagedDialog

    shown: list[str] = []
    monkeypatch.setattr(DamagedDialog, "exec", lambda dialog: shown.append(dialog.detail) or 0)
    damage_an_index(demo_path)
    window = open_window(demo_path)  # small: quick-checked while opening, and it passes
    window.safety.skip_backup_on_close()  # its copy would fail the check: a modal warning
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert str(demo_path) in shown[0] and "contacts_name" in shown[0]


def test_closing_the_window_stops_the_background_check_without_a_false_alarm(
        open_window, demo_path: Path, close_window, qtbot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import socialdesk.store.workspace as workspace_module
    from socialdesk.qt.backup.dialogs import DamagedDialog

    monkeypatch.setattr(workspace_module, "VERIFY_INLINE_BYTES", 0)  # treat the demo as large
    shown: list[str] = []
    monkeypatch.setattr(DamagedDialog, "exec", lambda dialog: shown.append(dialog.detail) or 0)
    window = open_window(demo_path)
    qtbot.waitUntil(lambda: window.integrity is not None, timeout=10_000)
    check = window.integrity
    assert check is not None

    close_window(window)

    assert check.stopping.is_set()  # quitting does not wait for a whole quick_check
    assert lane("check").waitForDone(5000)
    assert shown == []


def test_the_background_check_waits_until_the_window_has_shown_and_settled(
        demo_path: Path, qtbot, close_window) -> None:
    # Started with the window, the check took half the CPU while the window was built.
    from socialdesk.qt.app import create_application
    from socialdesk.qt.appsettings import app_settings
    from socialdesk.qt.main_window import MainWindow
    from socialdesk.store.workspace import Workspace

    create_application()
    window = MainWindow(Workspace.open(demo_path), app_settings())
    qtbot.addWidget(window, before_close_func=close_window)
    qtbot.wait(50)
    assert window.integrity is None  # not while the window is being built
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.pending_view is None)
    assert window.integrity is None  # nor while the first view fills in
    qtbot.waitUntil(lambda: window.integrity is not None, timeout=10_000)
    assert lane("check").waitForDone(10_000)


def _value(box: QWidget) -> object:
    if isinstance(box, QComboBox):
        return box.currentIndex()
    return box.text() if isinstance(box, QAbstractSpinBox) else box.value()  # type: ignore[attr-defined]


def _wheel_passes_unfocused_boxes(top: QWidget, qtbot) -> int:
    """Turn the wheel over every box shown in ``top`` without focus; return how many."""
    turned = 0
    for kind in (QComboBox, QAbstractSpinBox, QSlider):
        for box in top.findChildren(kind):
            centre = box.mapTo(top, box.rect().center())
            under = top.childAt(centre)
            if not box.isVisible() or under is None or not (
                    under is box or box.isAncestorOf(under)):
                continue  # hidden, or under something else
            box.clearFocus()
            before = _value(box)
            QTest.wheelEvent(top.windowHandle(), QPointF(centre), QPoint(0, -120))
            qtbot.wait(1)
            assert _value(box) == before and not box.hasFocus(), box
            turned += 1
    return turned


def test_no_box_takes_the_wheel_without_focus_anywhere(window, qtbot) -> None:
    from socialdesk.qt.settings_dialog import SettingsDialog

    turned = 0
    for name in VIEW_NAMES:
        view = window.show_view(name)
        qtbot.waitUntil(lambda v=view: not getattr(v, "is_busy", lambda: False)())
        if name in ("contacts", "partners"):
            view.table.selectRow(0)  # its editor shows beside the table
        elif name == "calendar":
            view.new_post(None)
        turned += _wheel_passes_unfocused_boxes(window, qtbot)
    dialog = SettingsDialog(window.ws, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for row in range(dialog.list.count()):
        dialog.list.setCurrentRow(row)
        turned += _wheel_passes_unfocused_boxes(dialog, qtbot)
    assert turned >= 30  # every view's and page's boxes, not a few


def _add_what_today_must_count(path: Path) -> None:
    """A weekly post repeating into this week; asks due in a month, overdue, with no due date."""
    from datetime import timedelta

    from socialdesk.core.clock import today
    from socialdesk.store import asks, post_writes
    from socialdesk.store.models import PostDraft
    from socialdesk.store.workspace import Workspace

    day = today()
    ws = Workspace.open(path)
    try:
        started = day - timedelta(weeks=3)
        post_id = post_writes.create_post(ws, PostDraft(
            title="Weekly bake list", status="scheduled", scheduled_on=started.isoformat(),
            repeat_rule="weekly", channels=(("instagram", None),)))
        first, second, third = (r[0] for r in ws.conn.execute(  # each asked once per post
            "SELECT DISTINCT contact_id FROM audiences ORDER BY contact_id LIMIT 3"))
        later, *_ = asks.create_asks(ws, [
            asks.NewAsk(first, post_id, (day - timedelta(days=2)).isoformat(),
                        due_on=(day + timedelta(days=30)).isoformat()),
            asks.NewAsk(second, post_id, (day - timedelta(days=1)).isoformat()),
            asks.NewAsk(third, post_id, (day - timedelta(days=9)).isoformat(),
                        due_on=(day - timedelta(days=3)).isoformat())])
        asks.record_outcome(ws, later, "agreed", answered_on=day.isoformat())
    finally:
        ws.close()


def test_todays_counts_match_its_lists_and_the_calendars_week(
        open_window, demo_path: Path, qtbot) -> None:
    from socialdesk.core.clock import today
    from socialdesk.store import asks

    _add_what_today_must_count(demo_path)
    window = open_window(demo_path)
    view = window.show_view("today")
    qtbot.waitUntil(lambda: not view.is_busy())  # type: ignore[attr-defined]  # a worker
    day = today().isoformat()
    figures = asks.waiting_asks(window.ws, day)
    listed = view.asks_model.rows  # type: ignore[attr-defined]
    assert len(listed) == figures.waiting
    assert "agreed" in [a.status for a in listed]  # agreed but not shared: waiting too
    assert sum(bool(a.due_on) and a.due_on < day for a in listed) == figures.overdue > 0
    heading = f"Asks waiting ({figures.waiting} · {figures.overdue} overdue)"
    assert view.asks_title.text() == heading  # type: ignore[attr-defined]
    assert (f"{figures.waiting} asks waiting ({figures.overdue} overdue)"
            in view.summary.text())  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: view.leverage.waiting.value.text() != "–")  # type: ignore[attr-defined]
    assert view.leverage.waiting.value.text() == f"{figures.waiting:,}"  # type: ignore[attr-defined]
    assert view.leverage.waiting.note.text() == f"{figures.overdue} overdue"  # type: ignore[attr-defined]

    week = [(p.id, p.scheduled_on) for p in view.week_model.rows]  # type: ignore[attr-defined]
    assert f"{len(week)} posts this week" in view.summary.text()  # type: ignore[attr-defined]
    assert view.week_title.text() == f"This week's posts ({len(week)})"  # type: ignore[attr-defined]
    calendar = window.show_view("calendar")
    calendar.set_mode("week")  # type: ignore[attr-defined]
    calendar.go_today()  # type: ignore[attr-defined]
    assert [(r.id, r.scheduled_on) for r in calendar.rows] == week  # type: ignore[attr-defined]
    assert calendar.week.post_count() == len(week)  # type: ignore[attr-defined]
    assert calendar.summary.text().startswith(f"{len(week)} posts this week")  # type: ignore[attr-defined]
