"""The window notices when another connection changes the workspace file, and reloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from socialdesk.qt.contacts.view import ContactsView
from socialdesk.qt.main_window import MainWindow
from socialdesk.store import contacts
from socialdesk.store.models import Contact, Detail
from socialdesk.store.workspace import Workspace

CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Aaron Fromtheshell\r\n"
        "EMAIL:aaron@shell.example\r\nEND:VCARD\r\n")


@pytest.fixture
def view(window: MainWindow) -> ContactsView:
    shown = window.show_view("contacts")
    assert isinstance(shown, ContactsView)
    return shown


def import_elsewhere(path: Path, tmp_path: Path, card: str = CARD) -> None:
    """Another writer (its own connection, the real contact import) imports a card."""
    from socialdesk.core.contacts.importing import import_contacts

    file = tmp_path / "elsewhere.vcf"
    file.write_text(card, encoding="utf-8")
    with Workspace.open(path) as other:
        import_contacts(other, file)


def listed(view: ContactsView) -> list[str]:
    return [row.name for row in view.model.rows]


def resets(view: ContactsView) -> list[int]:
    """A list that grows by one each time the contacts table reloads."""
    seen: list[int] = []
    view.model.modelReset.connect(lambda: seen.append(1))
    return seen


def open_new_contact(view: ContactsView, contact: Contact) -> int:
    """Save ``contact`` in the window's workspace and show it in the detail pane."""
    cid = contacts.save_contact(view.ws, contact)
    view.refresh()
    view.select_contact(cid)
    return cid


def test_a_contact_imported_elsewhere_appears_without_any_action(
        window: MainWindow, view: ContactsView, qtbot, tmp_path: Path) -> None:
    before = view.model.total
    import_elsewhere(window.ws.path, tmp_path)
    qtbot.waitUntil(lambda: "Aaron Fromtheshell" in listed(view), timeout=5000)
    assert view.model.total == before + 1
    assert str(before + 1) in view.count.text().replace(",", "")


def test_the_detail_pane_stops_showing_a_contact_deleted_elsewhere(
        window: MainWindow, view: ContactsView, qtbot) -> None:
    ws = window.ws
    cid = open_new_contact(view, Contact(0, "Aa Soon Gone"))
    assert view.editor.form.name_edit.text() == "Aa Soon Gone"
    with Workspace.open(ws.path) as other:
        contacts.delete_contact(other, cid)
    qtbot.waitUntil(lambda: "Aa Soon Gone" not in listed(view), timeout=5000)
    # The first contact listed shows instead, selected in the table (the pane may be
    # empty for a moment between the reload and the selection).
    qtbot.waitUntil(lambda: view.editor.contact is not None and view.editor.contact.id != cid,
                    timeout=5000)
    shown = view.editor.contact
    assert shown is not None and shown.id == view.selected_id() == view.model.rows[0].id
    assert view.editor.form.name_edit.text() == shown.name
    assert view.delete_button.isEnabled()


def test_the_detail_pane_shows_what_another_writer_changed(
        window: MainWindow, view: ContactsView, qtbot) -> None:
    ws = window.ws
    cid = open_new_contact(view, Contact(0, "Aa Changed Elsewhere", organisation="Old Ltd"))
    with Workspace.open(ws.path) as other, other.transaction():
        other.conn.execute("UPDATE contacts SET organisation = 'New Ltd' WHERE id = ?", (cid,))
    qtbot.waitUntil(lambda: view.editor.form.organisation_edit.text() == "New Ltd",
                    timeout=5000)
    assert view.selected_id() == cid  # still selected


def test_typing_not_yet_saved_is_kept_and_saved_over_the_other_writers_change(
        window: MainWindow, view: ContactsView, qtbot) -> None:
    ws = window.ws
    cid = open_new_contact(view, Contact(0, "Aa Being Typed", organisation="Old Ltd"))
    edit = view.editor.form.name_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Aa Half Typed")  # not finished: no Return, focus stays
    refreshed = resets(view)
    with Workspace.open(ws.path) as other:
        stored = contacts.get_contact(other, cid)
        from dataclasses import replace
        contacts.save_contact(other, replace(stored, details=(Detail("phone", "+1 555 0100"),)))
    qtbot.waitUntil(lambda: bool(refreshed), timeout=5000)  # the table reloaded…
    assert edit.text() == "Aa Half Typed"  # …but the typing is still there
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    after = contacts.get_contact(ws, cid)
    assert after.name == "Aa Half Typed"
    assert after.values("phone") == ("+1 555 0100",)  # the other writer's change is kept


def test_the_windows_own_writes_reload_once(window: MainWindow, view: ContactsView, qtbot,
                                            tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    refreshed = resets(view)
    # An edit in the window, on its own connection.
    qtbot.keyClicks(view.editor.form.organisation_edit, " Two")
    qtbot.keyClick(view.editor.form.organisation_edit, Qt.Key.Key_Return)
    # A calendar import from the window, written by a worker on a connection of its own.
    ics = tmp_path / "posts.ics"
    ics.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
                   "UID:one@t\r\nDTSTAMP:20300101T000000Z\r\nDTSTART;VALUE=DATE:20300105\r\n"
                   "SUMMARY:Imported post\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(ics), ""))
    from socialdesk.qt.calendar.import_dialog import CalendarImportOptions

    monkeypatch.setattr(CalendarImportOptions, "exec",  # the events, as the dialog offers
                        lambda self: CalendarImportOptions.DialogCode.Accepted)

    told: list[object] = []

    def imported(*args: object) -> QMessageBox.StandardButton:
        window.check_for_changes()  # the timer, or the window being activated, meanwhile
        told.append(args)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", imported)
    window.import_file()  # returns at once; the summary shows when the import ended
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    qtbot.wait(50)  # the window's reload, had it reloaded
    assert window.ws.conn.execute("SELECT count(*) FROM posts WHERE title = 'Imported post'"
                                  ).fetchone()[0] == 1
    assert len(refreshed) == 0  # posts came in: the contacts table stays as it was
    window.check_for_changes()  # what the timer does
    qtbot.wait(50)
    assert len(refreshed) == 0  # the window's own writes are not taken for another program's
    import_elsewhere(window.ws.path, tmp_path)
    qtbot.waitUntil(lambda: len(refreshed) == 1, timeout=5000)
    window.check_for_changes()
    qtbot.wait(50)
    assert len(refreshed) == 1


def test_the_table_stays_scrolled_where_it_was(window: MainWindow, view: ContactsView, qtbot,
                                               tmp_path: Path) -> None:
    while view.model.canFetchMore():
        view.model.fetchMore()
    assert view.model.rowCount() > 60
    far = view.model.rows[60].id
    view.select_contact(far)
    bar = view.table.verticalScrollBar()
    where = bar.value()
    assert where > 0
    refreshed = resets(view)
    import_elsewhere(window.ws.path, tmp_path)
    qtbot.waitUntil(lambda: bool(refreshed), timeout=5000)
    qtbot.wait(20)
    assert view.selected_id() == far
    assert abs(bar.value() - where) <= 1  # one row more above it, at most


def test_the_partners_pane_keeps_typing_and_shows_other_changes(window: MainWindow, qtbot) -> None:
    from socialdesk.qt.contacts.partners_view import PartnersView
    from socialdesk.qt.table_model import ROW_ROLE

    partners = window.show_view("partners")
    assert isinstance(partners, PartnersView)
    qtbot.waitUntil(lambda: partners.proxy.rowCount() > 1)  # read on a worker
    first, second = (partners.proxy.index(r, 0).data(ROW_ROLE).id for r in range(2))
    partners.select_partner(first)
    edit = partners.editor.form.name_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Aa Half Typed")  # not finished: no Return, focus stays
    with Workspace.open(window.ws.path) as other, other.transaction():
        other.conn.execute("UPDATE contacts SET organisation = 'Elsewhere Ltd' "
                           "WHERE id IN (?, ?)", (first, second))
    qtbot.waitUntil(lambda: any(row.organisation == "Elsewhere Ltd"
                                for row in partners.model.rows), timeout=5000)
    assert edit.text() == "Aa Half Typed"
    assert partners.editor.form.organisation_edit.text() != "Elsewhere Ltd"  # not reloaded
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    after = contacts.get_contact(window.ws, first)
    assert (after.name, after.organisation) == ("Aa Half Typed", "Elsewhere Ltd")
    assert partners.editor.form.organisation_edit.text() == "Elsewhere Ltd"
    partners.select_partner(second)
    with Workspace.open(window.ws.path) as other, other.transaction():
        other.conn.execute("UPDATE contacts SET organisation = 'Later Ltd' WHERE id = ?",
                           (second,))
    qtbot.waitUntil(lambda: partners.editor.form.organisation_edit.text() == "Later Ltd",
                    timeout=5000)


def test_an_empty_workspace_filled_elsewhere_leaves_the_welcome_panel(
        open_window, tmp_path: Path, qtbot) -> None:
    main = open_window(tmp_path / "new.sqlite", create=True)
    assert main.current_view_name() is None  # the welcome panel
    import_elsewhere(main.ws.path, tmp_path)
    qtbot.waitUntil(lambda: main.current_view_name() is not None, timeout=5000)
    qtbot.waitUntil(lambda: " 1 contacts" in main.path_label.text())  # the status bar too


def test_today_shows_a_post_added_elsewhere(window: MainWindow, qtbot) -> None:
    from socialdesk.core.clock import today
    from socialdesk.qt.today import TodayView
    from socialdesk.store import post_writes
    from socialdesk.store.models import PostDraft

    shown = window.show_view("today")
    assert isinstance(shown, TodayView)
    qtbot.waitUntil(lambda: not shown.is_busy())  # read on a worker
    before = shown.week_model.rowCount()
    with Workspace.open(window.ws.path) as other:
        post_writes.create_post(other, PostDraft(
            title="Added by a script", status="scheduled", scheduled_on=today().isoformat(),
            channels=(("instagram", None),)))
    qtbot.waitUntil(lambda: shown.week_model.rowCount() == before + 1, timeout=5000)
    assert f"({before + 1:,})" in shown.week_title.text()
