"""The main window: sidebar navigation, the views, menus and the status bar."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QSettings, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QPalette,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QWidget,
)

from socialdesk import APP_NAME
from socialdesk.core.changes import CONTACT_ROWS, EVERYTHING, NOTHING, Changes
from socialdesk.qt.backup.control import BackupControl, last_backup_text
from socialdesk.qt.backup.integrity import CHECK_AFTER_MS, check_in_background
from socialdesk.qt.change_watch import ChangeWatch
from socialdesk.qt.icons import app_icon
from socialdesk.qt.keyboard import keyboard_ready
from socialdesk.qt.menus import build_menus
from socialdesk.qt.preload import Preloader
from socialdesk.qt.publish.sending import PublishControl
from socialdesk.qt.sidebar import Sidebar
from socialdesk.qt.sync.syncing import SyncControl
from socialdesk.qt.view_base import Placeholder, View
from socialdesk.qt.welcome import WelcomePanel
from socialdesk.qt.wheel import wheel_needs_focus
from socialdesk.qt.window_actions import WindowActions
from socialdesk.qt.workers import LatestJob, Task, start_on_worker
from socialdesk.store.workspace import Workspace

# name, title, sidebar icon, class. A view's module is imported when it is first shown,
# so starting the app only loads Today.
if TYPE_CHECKING:
    from socialdesk.qt.calendar.view import CalendarView
    from socialdesk.qt.planner.view import PlannerView
    from socialdesk.store.models import Counts

VIEWS: tuple[tuple[str, str, str, str], ...] = (
    ("today", "Today", "sun", "socialdesk.qt.today:TodayView"),
    ("calendar", "Calendar", "calendar-days", "socialdesk.qt.calendar.view:CalendarView"),
    ("contacts", "Contacts", "users", "socialdesk.qt.contacts.view:ContactsView"),
    ("partners", "Partners", "handshake", "socialdesk.qt.contacts.partners_view:PartnersView"),
    ("planner", "Planner", "network", "socialdesk.qt.planner.view:PlannerView"),
    ("reports", "Reports", "chart-column", "socialdesk.qt.reports.view:ReportsView"),
)
VIEW_NAMES = tuple(name for name, *_ in VIEWS)


# After the window first painted, work waits this long for that frame to reach the screen.
SETTLE_MS = 50


def _counts(path: Path) -> Counts:
    """Worker: the workspace's counts, on a read-only connection of its own."""
    from socialdesk.store import reports  # the worker's: startup does without

    with Workspace.open_readonly(path) as ws:
        return reports.counts(ws)


def _class_of(name: str) -> str:
    """"module:Class" of the view called ``name``."""
    return next(v[3] for v in VIEWS if v[0] == name)


class MainWindow(WindowActions):
    """SocialDesk's one window."""

    def __init__(self, ws: Workspace, settings: QSettings) -> None:
        super().__init__()
        self.ws = ws
        self.settings = settings
        self.undo_stack = QUndoStack(self)
        self.views: dict[str, View] = {}
        self.stale: dict[str, Changes] = {}  # view → what changed since it last loaded
        self.integrity: Task | None = None
        self.counting = LatestJob(self)  # the status bar's counts
        self.counts_due = False  # to count once the window shows
        self.counting.finished.connect(self._show_counts)
        self.check_timer = QTimer(self)  # starts the integrity check once the window settled
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(CHECK_AFTER_MS)
        self.check_timer.timeout.connect(self._start_integrity_check)
        self.damage_reported = False
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self.sidebar = Sidebar([(name, title, icon) for name, title, icon, _ in VIEWS])
        self.sidebar.selected.connect(self.show_view)

        self.stack = QStackedWidget()
        self._welcome: WelcomePanel | None = None  # built when an empty workspace shows
        # The view to show once the window has painted, its placeholder showing until then.
        self.pending_view: str | None = None
        self.placeholder = Placeholder()
        self.placeholder.painted.connect(self._painted)
        self.stack.addWidget(self.placeholder)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        divider = QFrame()
        divider.setFrameShape(QFrame.Shape.VLine)
        divider.setFrameShadow(QFrame.Shadow.Plain)
        divider.setForegroundRole(QPalette.ColorRole.Mid)
        layout.addWidget(divider)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.path_label = QLabel()
        self.backup_label = QLabel()
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().addPermanentWidget(self.backup_label)
        self.safety = BackupControl(self)  # lock, automatic backups, restore
        self.publishing = PublishControl(self)  # Publish now, and due posts while open
        self.syncing = SyncControl(self)  # Sync now, and every few minutes while open
        self.write_actions = build_menus(self, [(name, title) for name, title, *_ in VIEWS])
        self._restore_geometry()
        self.changes = ChangeWatch(self, lambda: self.ws, self.changed_elsewhere,
                                   self._report_damage,
                                   lambda: self.safety.busy or self.syncing.busy)
        self._workspace_opened()
        # Load the other views' code while the user looks at the first one.
        Preloader([v[3].partition(":")[0] for v in VIEWS], self).start()

    # --- building -------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            return
        self.resize(1280, 800)

    # --- views ----------------------------------------------------------------------

    def view(self, name: str) -> View:
        """The view called ``name``, created on first use."""
        if name not in self.views:
            module, _, class_name = _class_of(name).partition(":")
            view = getattr(importlib.import_module(module), class_name)(self.ws)
            wheel_needs_focus(view)
            keyboard_ready(view)
            self.views[name] = view
            self.stack.addWidget(view)
            self.stale[name] = EVERYTHING
            if name == "calendar":
                self._connect_calendar(view)
            elif name == "today":
                view.open_post.connect(self.edit_post)
                view.set_undo_stack(self.undo_stack)  # an ask marked as shared
                view.edited.connect(lambda changes: self.views_changed(changes, {"today"}))
            elif name == "planner":
                self._connect_planner(view)
        return self.views[name]

    def _connect_planner(self, planner: PlannerView) -> None:
        """Asks and their answers go on the undo stack; the views showing them reload after."""
        planner.set_undo_stack(self.undo_stack)
        planner.edited.connect(lambda changes: self.views_changed(changes, {planner.name}))

    def _connect_calendar(self, calendar: CalendarView) -> None:
        """Calendar edits go on the undo stack, and its "Plan leverage…" opens the planner."""
        calendar.set_undo_stack(self.undo_stack)
        calendar.edited.connect(lambda changes: self.views_changed(changes, {calendar.name}))
        calendar.plan_leverage.connect(self.plan_leverage)
        calendar.publish_now.connect(self.publishing.publish_now)

    def edit_post(self, post_id: int) -> None:
        """Show a post in the calendar's editor."""
        self.show_view("calendar").open_post(post_id)  # type: ignore[attr-defined]

    def plan_leverage(self, post_id: int) -> None:
        """Show the planner for one post."""
        self.show_view("planner").select_post(post_id)  # type: ignore[attr-defined]

    def views_changed(self, changes: Changes, caught_up: Collection[str] = ()) -> None:
        """The window wrote ``changes``: the views showing them reload (the shown one at once).

        The views named in ``caught_up`` (the one that wrote) have updated themselves.
        Writes on the window's own connection leave :class:`ChangeWatch` watching: other
        programs' changes still reload everything.
        """
        self._update_status()
        for name, view in self.views.items():
            if name not in caught_up and changes.touches(view.shows):
                self.stale[name] = self.stale.get(name, NOTHING) | changes
        current = self.current_view_name()
        if current in self.stale:
            self.show_view(current)

    def written_by_worker(self, changes: Changes) -> None:
        """The window's own worker committed ``changes`` on a connection of its own.

        An import, or a backup's line in the backup log: not another program's write,
        so :class:`ChangeWatch` reloads nothing for it.
        """
        self.changes.note()
        self.views_changed(changes)

    def contacts_edited(self, contact_id: int | None) -> None:
        """A contact edit or its undo: views that show contacts update it in place."""
        updated = []
        for name, view in self.views.items():
            update = getattr(view, "contact_edited", None)
            if update is not None:
                update(contact_id)
                updated.append(name)
        self.views_changed(CONTACT_ROWS, updated)

    def show_view(self, name: str) -> View:
        """Switch to a view, reloading it if what it shows changed since it was last shown."""
        self.pending_view = None
        view = self.view(name)
        changes = self.stale.pop(name, None)
        if changes is not None:
            try:
                view.reload_for(changes)
            except sqlite3.DatabaseError as error:
                self._report_damage(str(error))
        self.stack.setCurrentWidget(view)
        self.sidebar.set_current(name)
        self.settings.setValue("window/view", name)
        return view

    def current_view_name(self) -> str | None:
        """The name of the shown view (or of its placeholder); None for the welcome panel."""
        widget = self.stack.currentWidget()
        return widget.name if isinstance(widget, (View, Placeholder)) else None

    def show_after_painting(self, name: str) -> None:
        """Show ``name``'s placeholder now; the view itself once the window has painted.

        Opening a workspace does this: the window shows at once, whichever view was
        open last, and the view's code is imported on a worker after the first paint
        (the planner's takes 300 ms); the view then reads its data as it does when the
        user opens it.
        """
        self.pending_view = name
        self.placeholder.stand_in_for(name, next(v[1] for v in VIEWS if v[0] == name))
        self.stack.setCurrentWidget(self.placeholder)
        self.sidebar.set_current(name)

    def _painted(self) -> None:
        """The placeholder was painted: build its view once that frame is on screen."""
        if self.pending_view is not None:
            QTimer.singleShot(SETTLE_MS, self, self._build_pending)

    def showEvent(self, event: QShowEvent) -> None:
        """Count the workspace's rows once the window has shown, check it once it settled."""
        super().showEvent(event)
        if self.counts_due:
            QTimer.singleShot(SETTLE_MS, self, self._start_counting)
        if self.integrity is None and not self.check_timer.isActive():
            self.check_timer.start()

    def _build_pending(self) -> None:
        name = self.pending_view
        if name is None:
            return
        module = _class_of(name).partition(":")[0]
        if module in sys.modules:
            self.show_view(name)
            return

        def imported(_module: object, error: BaseException | None) -> None:
            if error is not None:
                raise error
            if self.pending_view == name:  # not another view chosen meanwhile
                self.show_view(name)

        start_on_worker(self, lambda: importlib.import_module(module), imported)

    def _mark_all_stale(self) -> tuple[bool, str | None]:
        """Every view reloads when next shown; whether the workspace holds data, the view."""
        self.stale = dict.fromkeys(self.views, EVERYTHING)
        self.changes.note()
        return self._update_status(), self.current_view_name()

    def data_changed(self) -> None:
        """Mark every view stale and reload the one showing (Today after the welcome panel)."""
        _totals, current = self._mark_all_stale()
        self.show_view(current or "today")

    def check_for_changes(self) -> None:
        """Reload now if another program wrote to the workspace (see :mod:`change_watch`)."""
        self.changes.check()

    def changed_elsewhere(self) -> None:
        """Another program wrote to the workspace: reload the view showing, the others when shown.

        The undo steps stay: each changes only its own fields, and says so when another
        writer changed them since.
        """
        holds_data, current = self._mark_all_stale()
        if current is not None:
            self.show_view(current)
        elif holds_data:  # the welcome panel showed: the workspace has data now
            name = str(self.settings.value("window/view", "today"))
            self.show_view(name if name in VIEW_NAMES else "today")

    # --- workspace ------------------------------------------------------------------

    def _workspace_opened(self) -> None:
        """Show the workspace just opened; one opened read-only offers no way to change it.

        Import, backup, restore and settings are disabled; an edit tried in a view is
        refused by the workspace with a message saying it is open read-only.
        """
        read_only = self.ws.readonly
        self.setWindowTitle(
            f"{self.ws.path.stem}{' (read-only)' if read_only else ''} — {APP_NAME}")
        for action in self.write_actions:
            action.setEnabled(not read_only)
        self.syncing.show_state()
        self._stop_integrity_check()
        if self.isVisible():
            self.check_timer.start()  # otherwise once the window shows
        self.changes.note()
        if self.ws.merged:
            count = len(self.ws.merged)
            self.statusBar().showMessage(
                f"Updating this workspace merged or renamed {count} "
                f"{'entry' if count == 1 else 'entries'} that broke its rules "
                "(repeated audiences, asks or links; unknown platforms): "
                "“socialdesk check” lists them.", 60000)
        if not self._update_status():
            self.pending_view = None
            self.sidebar.set_current(None)
            self.welcome.setEnabled(not read_only)
            self.stack.setCurrentWidget(self.welcome)
        else:
            name = str(self.settings.value("window/view", "today"))
            self.show_after_painting(name if name in VIEW_NAMES else "today")

    @property
    def welcome(self) -> WelcomePanel:
        """What an empty workspace shows: load the sample bakery, or import contacts."""
        if self._welcome is None:
            self._welcome = WelcomePanel()
            self._welcome.load_sample.connect(self.load_sample_data)
            self._welcome.import_contacts.connect(self.import_file)
            self.stack.addWidget(self._welcome)
        return self._welcome

    def _start_integrity_check(self) -> None:
        self.integrity = check_in_background(self, self.ws.path, self._report_damage)

    def _stop_integrity_check(self) -> None:
        """End a background check of the workspace that is closing (quitting won't wait)."""
        self.check_timer.stop()
        if self.integrity is not None:
            self.integrity.stop()
            self.integrity = None

    def _report_damage(self, detail: str) -> None:
        """Tell the user, once, that the workspace is damaged."""
        if self.damage_reported:
            return
        self.damage_reported = True
        message = detail if str(self.ws.path) in detail else (
            f"{self.ws.path}: cannot be read ({detail})."
        )
        self.safety.offer_recovery(message)

    def _update_status(self) -> bool:
        """Show the workspace's path and last backup, its counts once a worker read them.

        Counting the rows grows with the workspace (24 ms on the large demo, ten times
        that at a million contacts): the GUI thread only asks whether it holds anything,
        which it returns.
        """
        path = self.ws.path
        self.path_label.setToolTip(f"Workspace file: {path}")
        if self.path_label.text().partition("  ·  ")[0] != str(path):
            self.path_label.setText(str(path))  # another workspace: its counts follow
        self.backup_label.setText("Read-only: changes cannot be saved" if self.ws.readonly
                                  else last_backup_text(self.ws))
        self.counts_due = True
        if self.isVisible():
            self._start_counting()
        return self.ws.holds_data()

    def _start_counting(self) -> None:
        if self.counts_due:
            self.counts_due = False
            path = self.ws.path
            self.counting.start(lambda: (path, _counts(path)))

    def _show_counts(self, counted: tuple[Path, Counts]) -> None:
        path, totals = counted
        if path == self.ws.path:
            self.path_label.setText(
                f"{path}  ·  {totals.contacts:,} contacts · {totals.partners:,} partners · "
                f"{totals.posts:,} posts")

    def finish_editing(self) -> None:
        """Let a field being edited save itself (fields save when they lose focus)."""
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()

    def set_workspace(self, ws: Workspace) -> None:
        """Close the current workspace and show ``ws`` instead."""
        self.finish_editing()
        self._drop_views()
        self.undo_stack.clear()
        self._stop_integrity_check()
        self.ws.close()
        self.ws = ws
        self.safety.workspace_opened()
        self._workspace_opened()

    def _drop_views(self) -> None:
        """Delete the views now, before their workspace closes.

        What they put off to a later turn of the event loop (a part of the contact pane
        built, a column measured, a read's answer) is tied to them or their children:
        Qt drops it with them, so none of it reaches the closed file. ``deleteLater``
        would come too late: steps already due run first.
        """
        self.pending_view = None  # a view imported meanwhile is not built on a closed file
        views = list(self.views.values())
        self.views.clear()
        self.stale.clear()
        for view in views:
            self.stack.removeWidget(view)
            view.hide()  # hidden while the workspace is open: a view may note where it was
        for view in views:
            shiboken6.delete(view)

    # --- window events --------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        """Look for other programs' changes as soon as the user comes back to the window."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.check_for_changes()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Back up first (the window closes when that is done), then close the workspace."""
        self.finish_editing()
        self.publishing.stop()  # a publishing run stops at its next post: the backup waits less
        self.syncing.stop()  # so does a sync, at its next item
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        if self.safety.close_when_backed_up():  # the automatic backup when the app closes
            event.ignore()
            return
        self._stop_integrity_check()
        self._drop_views()
        self.changes.stop()
        self.ws.close()
        self.safety.release()
        event.accept()
