"""Every view and dialog used with the keyboard alone, as a screen reader user would.

Tab walks through each view of the main window (on the small demo) and through each dialog
the menus open, and each page of their tabs: it must reach every control shown and come
back to where it started, and every control must have a name assistive technology can say
(its accessible name, its text, or its buddy label's text). Ctrl+1 … Ctrl+6 switch views.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDateTimeEdit,
    QDialog,
    QTabWidget,
    QWidget,
)

from socialdesk.qt.main_window import VIEW_NAMES, MainWindow


def spoken_name(widget: QWidget) -> str:
    """What a screen reader says for ``widget``: its accessible name, text or buddy's text."""
    name = widget.accessibleName()
    if not name:
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
    return name if any(c.isalnum() for c in name) else ""  # "‹" or "✕" is no name


def describe(widget: QWidget) -> str:
    """The widget's class and the start of its tooltip or placeholder, to tell it apart."""
    hint = widget.toolTip() or getattr(widget, "placeholderText", lambda: "")()
    return f"{type(widget).__name__}{f' ({hint[:40]!r})' if hint else ''}"


def _group_reached(widget: QWidget, reached: list[QWidget]) -> bool:
    """A button of an exclusive group another of which Tab reached (arrows move inside)."""
    group = widget.group() if isinstance(widget, QAbstractButton) else None
    return (group is not None and group.exclusive()
            and any(button in reached for button in group.buttons()))


def tab_stops(root: QWidget) -> list[QWidget]:
    """The controls inside ``root`` that Tab should stop at, as shown now."""
    return [w for w in root.findChildren(QWidget)
            if w.isVisible() and w.isEnabled() and w.focusProxy() is None
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus]


def _sections(widget: QWidget) -> int:
    """How many Tabs stay in ``widget``: a date box's go from day to month to year first."""
    return widget.sectionCount() - 1 if isinstance(widget, QDateTimeEdit) else 0


def walk(stops: list[QWidget]) -> tuple[list[QWidget], str]:
    """Press Tab from the first stop until the focus is back; what it reached, what went wrong."""
    start = stops[0]
    start.window().activateWindow()
    start.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    reached, stayed = [start], 0
    for _ in range(3 * len(stops) + 40):  # the window's other stops: sidebar, other panes
        before = QApplication.focusWidget()
        assert before is not None
        QTest.keyClick(before, Qt.Key.Key_Tab)
        QApplication.processEvents()
        after = QApplication.focusWidget()
        if after is None:
            return reached, f"the focus is lost after {describe(before)}"
        stayed = stayed + 1 if after is before else 0
        if stayed > _sections(after):
            return reached, f"Tab stays in {describe(before)}"
        if after is start and before is not start:
            return reached, ""
        reached.append(after)
    return reached, f"Tab never comes back to {describe(start)}"


def keyboard_problems(root: QWidget) -> list[str]:
    """What keeps ``root`` from being used with Tab alone and a screen reader."""
    stops = tab_stops(root)
    assert stops, f"nothing in {describe(root)} takes the focus"
    problems = [f"{describe(w)} has no name" for w in stops if not spoken_name(w)]
    reached, stuck = walk(stops)
    if stuck:
        problems.append(stuck)
    problems += [f"Tab never reaches {describe(w)} {spoken_name(w)!r}" for w in stops
                 if w not in reached and not _group_reached(w, reached)]
    return problems


def assert_usable_by_keyboard(root: QWidget, where: str = "") -> None:
    """Walk ``root`` as shown, then each page of each of its tab widgets."""
    where = where or describe(root)
    problems = [f"{where}: {p}" for p in keyboard_problems(root)]
    for tabs in root.findChildren(QTabWidget):
        if tabs.isVisible():
            for page in range(tabs.count()):
                tabs.setCurrentIndex(page)
                QApplication.processEvents()
                problems += [f"{where}, {tabs.tabText(page).replace('&', '')}: {p}"
                             for p in keyboard_problems(root)]
    assert not problems, "\n".join(dict.fromkeys(problems))


def press(window: MainWindow, key: str) -> None:
    """Type a key sequence ("Ctrl+3") into the window, as a person would."""
    combo = QKeySequence(key)[0]
    QTest.keyClick(window, combo.key(), combo.keyboardModifiers())


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_each_view_is_walked_by_tab_and_every_control_has_a_name(
        window: MainWindow, name: str, qtbot) -> None:
    number = VIEW_NAMES.index(name) + 1
    window.activateWindow()
    press(window, f"Ctrl+{number}")
    assert window.current_view_name() == name
    view = window.stack.currentWidget()
    busy = getattr(view, "is_busy", None)
    if busy is not None:
        qtbot.waitUntil(lambda: not busy(), timeout=15_000)
    assert_usable_by_keyboard(view)


def test_the_view_shortcuts_switch_views_from_any_view(window: MainWindow) -> None:
    window.activateWindow()
    for number, name in reversed(list(enumerate(VIEW_NAMES, start=1))):
        press(window, f"Ctrl+{number}")
        assert window.current_view_name() == name
        assert window.sidebar.buttons[name].isChecked()


@pytest.mark.parametrize("mode", ["week", "agenda"])
def test_the_calendars_other_modes_are_walked_by_tab(window: MainWindow, mode: str) -> None:
    calendar = window.show_view("calendar")
    calendar.bar.mode_buttons[mode].click()  # type: ignore[attr-defined]
    assert_usable_by_keyboard(calendar, f"Calendar, {mode}")


def test_the_post_editor_is_walked_by_tab(window: MainWindow, qtbot) -> None:
    from socialdesk.core.clock import today
    from socialdesk.store import posts

    calendar = window.show_view("calendar")
    calendar.open_post(posts.upcoming_posts(window.ws, today().isoformat())[0].id)  # type: ignore[attr-defined]
    editor = calendar.editor  # type: ignore[attr-defined]
    assert editor.isVisible()
    assert_usable_by_keyboard(editor)


def shown(qtbot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def test_the_settings_dialog_is_walked_by_tab_on_every_page(window: MainWindow, qtbot) -> None:
    from socialdesk.qt.settings_dialog import SettingsDialog

    dialog = shown(qtbot, SettingsDialog(window.ws, window))
    for row in range(dialog.list.count()):
        dialog.list.setCurrentRow(row)
        assert_usable_by_keyboard(dialog, dialog.list.item(row).text())


def test_the_contacts_import_dialog_is_walked_by_tab(window: MainWindow, tmp_path: Path,
                                                     qtbot) -> None:
    from socialdesk.core.contacts.export import export_contacts
    from socialdesk.qt.contacts.import_wizard import ImportWizard, read_file

    out = tmp_path / "people.vcf"
    export_contacts(window.ws, out, "vcard")
    wizard = shown(qtbot, ImportWizard(window.ws, read_file(out), window))
    assert_usable_by_keyboard(wizard)


def test_the_calendar_import_dialog_is_walked_by_tab(window: MainWindow, tmp_path: Path,
                                                     qtbot) -> None:
    from socialdesk.core.calendar.export import export_calendar
    from socialdesk.core.calendar.importing import parse_calendar
    from socialdesk.qt.calendar.import_dialog import CalendarImportOptions

    out = tmp_path / "plan.ics"
    export_calendar(window.ws, out, "ics")
    dialog = shown(qtbot, CalendarImportOptions(out, parse_calendar(out), window))
    assert_usable_by_keyboard(dialog)


def test_the_clicks_import_dialog_is_walked_by_tab(window: MainWindow, qtbot) -> None:
    from socialdesk.qt.share.clicks_import import PeriodDialog

    dialog = shown(qtbot, PeriodDialog("visits.csv", "Plausible", window))
    assert_usable_by_keyboard(dialog)


def test_the_backup_dialogs_are_walked_by_tab(window: MainWindow, qtbot) -> None:
    from socialdesk.core.backup import catalog
    from socialdesk.core.backup.create import backup_folder, make_backup
    from socialdesk.qt.backup.dialogs import PassphraseDialog, RestoreDialog

    make_backup(window.ws, kind="manual")
    folder = backup_folder(window.ws)
    restore = shown(qtbot, RestoreDialog(catalog.list_backups(folder), folder, window))
    assert_usable_by_keyboard(restore)
    restore.close()
    passphrase = shown(qtbot, PassphraseDialog("A passphrase for backups", new=True,
                                               parent=window))
    assert_usable_by_keyboard(passphrase)


def test_the_share_kit_dialog_is_walked_by_tab(window: MainWindow, qtbot) -> None:
    from socialdesk.core.clock import today
    from socialdesk.qt.planner.view import PlannerView
    from socialdesk.store import asks, posts

    planner = window.show_view("planner")
    assert isinstance(planner, PlannerView)
    planner.select_post(next(p.id for p in posts.upcoming_posts(window.ws, today().isoformat())
                             if not asks.asks_for_post(window.ws, p.id)))
    qtbot.waitUntil(lambda: planner.data is not None and not planner.is_busy(),
                    timeout=15_000)
    planner.set_chosen({planner.model.rows[0].id})
    dialog = planner.open_asks_dialog()
    if dialog is None and planner.sender_dialog is not None:  # who signs them, asked first
        assert_usable_by_keyboard(planner.sender_dialog)
        planner.sender_dialog.accept()
        dialog = planner.asks_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.activateWindow()
    assert_usable_by_keyboard(dialog)
    dialog.reject()


def test_the_dialog_asking_who_signs_the_asks_is_walked_by_tab(window: MainWindow,
                                                                qtbot) -> None:
    from socialdesk.qt.planner.sender_dialog import SenderDialog

    assert_usable_by_keyboard(shown(qtbot, SenderDialog("Ana Ruiz", "", window)))


def test_the_sync_conflicts_dialog_is_walked_by_tab(window: MainWindow, qtbot) -> None:
    from socialdesk.core.sync.kinds import default_kinds
    from socialdesk.qt.sync.conflicts import ConflictsDialog
    from socialdesk.store import sync as sync_store

    with window.ws.transaction():
        sync_store.keep_conflict(window.ws, "posts", "p1", "notes", "mine", "theirs")
    dialog = shown(qtbot, ConflictsDialog(window.ws, default_kinds(), lambda _changes: None,
                                          window))
    assert dialog.table.rowCount() == 1  # type: ignore[attr-defined]
    assert_usable_by_keyboard(dialog)


def test_the_contacts_audience_and_link_dialogs_are_walked_by_tab(window: MainWindow,
                                                                  qtbot) -> None:
    from socialdesk.qt.contacts.dialogs import AudienceDialog, LinkDialog
    from socialdesk.store import audiences, links
    from socialdesk.store.models import Audience

    contact = window.show_view("contacts").model.rows[0]  # type: ignore[attr-defined]
    audience = shown(qtbot, AudienceDialog(Audience(0, contact.id, "instagram", 0),
                                           audiences.all_topics(window.ws), window))
    assert_usable_by_keyboard(audience)
    audience.close()
    link = shown(qtbot, LinkDialog(window.ws, contact.id, contact.name,
                                   links.link_kinds(window.ws), window))
    assert_usable_by_keyboard(link)


def test_the_welcome_panel_is_walked_by_tab(open_window, tmp_path: Path) -> None:
    window = open_window(tmp_path / "new.sqlite", create=True)
    assert window.stack.currentWidget() is window.welcome
    assert_usable_by_keyboard(window.welcome)


def test_arrows_choose_a_post_in_the_month_and_enter_edits_it(calendar_view, workspace,
                                                              qtbot) -> None:
    from calendar_helpers import add_post

    first = add_post(workspace, "Stollen is back", "2031-03-10")
    second = add_post(workspace, "Bagel Friday", "2031-03-14")
    calendar_view.reload()
    grid = calendar_view.grid
    grid.setFocus()
    for key, chosen in ((Qt.Key.Key_Right, first), (Qt.Key.Key_Right, second),
                        (Qt.Key.Key_Down, second), (Qt.Key.Key_Left, first)):
        qtbot.keyClick(grid, key)
        assert grid.selected_id == chosen
    assert grid.selected_day.isoformat() == "2031-03-10"
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert calendar_view.editor.isVisible() and calendar_view.editor.post_id == first
