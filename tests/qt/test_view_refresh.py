"""After a write, the window reloads only the views that show the kinds of rows it changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from socialdesk.qt.calendar.view import CalendarView
from socialdesk.qt.contacts.partners_view import PartnersView
from socialdesk.qt.contacts.view import ContactsView
from socialdesk.qt.main_window import MainWindow
from socialdesk.qt.view_base import View


def type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def table_resets(view: ContactsView) -> list[int]:
    """A list that grows by one each time the contacts table reloads."""
    seen: list[int] = []
    view.model.modelReset.connect(lambda: seen.append(1))
    return seen


def reloads(view: View, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one each time the window reloads ``view`` (which still reloads)."""
    seen: list[int] = []
    real: Callable[[], None] = view.refresh

    def counted() -> None:
        seen.append(1)
        real()

    monkeypatch.setattr(view, "refresh", counted)
    return seen


def move_a_post(window: MainWindow) -> CalendarView:
    calendar = window.show_view("calendar")
    assert isinstance(calendar, CalendarView)
    row = next(r for r in calendar.rows if not r.occurrence)
    calendar.move_post(row.id, date.fromisoformat(row.scheduled_on) + timedelta(days=1))
    return calendar


def rename_a_partner(window: MainWindow, qtbot, name: str) -> int:
    """Rename the first partner in the Contacts view's editor; its id."""
    contacts_view = window.show_view("contacts")
    assert isinstance(contacts_view, ContactsView)
    cid = window.ws.conn.execute(
        "SELECT contact_id FROM audiences ORDER BY contact_id LIMIT 1").fetchone()[0]
    contacts_view.select_contact(cid)
    type_into(qtbot, contacts_view.editor.form.name_edit, name)
    return cid


def partner_names(window: MainWindow) -> set[str]:
    partners_view = window.show_view("partners")
    assert isinstance(partners_view, PartnersView)
    return {row.name for row in partners_view.model.all_rows}


def test_editing_a_post_leaves_the_contacts_table_alone(window: MainWindow) -> None:
    contacts_view = window.show_view("contacts")
    assert isinstance(contacts_view, ContactsView)
    resets = table_resets(contacts_view)
    move_a_post(window)
    assert window.undo_stack.canUndo()
    window.show_view("contacts")
    assert resets == []
    assert "today" in window.stale  # Today lists the week's posts: it reloads when shown


def test_undoing_a_post_edit_leaves_the_contacts_table_alone(window: MainWindow) -> None:
    contacts_view = window.show_view("contacts")
    assert isinstance(contacts_view, ContactsView)
    move_a_post(window)
    window.show_view("contacts")
    resets = table_resets(contacts_view)
    window.undo_stack.undo()  # from the Edit menu, while Contacts shows
    window.undo_stack.redo()
    assert resets == []
    assert "today" in window.stale


def test_a_contact_edit_reloads_the_partners_not_the_calendar(
        window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    calendar = window.show_view("calendar")
    partner_names(window)  # Partners loaded before the edit
    calendar_reloads = reloads(calendar, monkeypatch)
    rename_a_partner(window, qtbot, "Aa Renamed Partner")
    assert "Aa Renamed Partner" in partner_names(window)
    window.show_view("calendar")
    assert calendar_reloads == []

    window.undo_stack.undo()
    assert "Aa Renamed Partner" not in partner_names(window)
    window.show_view("calendar")
    assert calendar_reloads == []


def test_a_backup_does_not_reload_the_view_showing(window: MainWindow, qtbot,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    contacts_view = window.show_view("contacts")
    assert isinstance(contacts_view, ContactsView)
    resets = table_resets(contacts_view)
    shown = reloads(contacts_view, monkeypatch)
    window.backup_now()
    qtbot.waitUntil(lambda: not window.safety.busy, timeout=20_000)
    window.check_for_changes()  # what the timer does
    assert "Last backup: today" in window.backup_label.text()
    assert (shown, resets) == ([], [])


def test_a_change_made_elsewhere_still_reloads_every_view(window: MainWindow, qtbot) -> None:
    from socialdesk.store.workspace import Workspace

    contacts_view = window.show_view("contacts")
    assert isinstance(contacts_view, ContactsView)
    window.show_view("calendar")
    window.show_view("contacts")
    resets = table_resets(contacts_view)
    with Workspace.open(window.ws.path) as other, other.transaction():
        other.conn.execute("UPDATE posts SET title = title || ' (moved)' "
                           "WHERE id = (SELECT min(id) FROM posts)")
    window.check_for_changes()  # it cannot say it touched only posts
    assert resets == [1]
    assert "calendar" in window.stale
