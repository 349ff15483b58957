"""Syncing from the window: Sync now (File menu), automatically every few minutes.

The interval is this computer's (Settings → Team, kept in the app's settings, not in the
shared workspace); 0 switches automatic syncs off.

Each sync is one job on the writer thread with a workspace connection of its own, so the
window never waits for the server. Being offline is normal: a sync that cannot reach the
server says so in the status bar, never in a dialog, and the changes wait for the next
one. A permanent label in the status bar shows the last sync and the pending conflicts
(its link opens the conflicts dialog), and while a sync runs "Syncing… · Cancel". Cancel,
like closing the window, stops a sync at its next item; the next one goes on from there
(what was done is kept). The network code is imported by the first job.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from socialdesk.core.changes import Changes
from socialdesk.qt.formatting import clock_text, moment_text
from socialdesk.qt.workers import Progress, RecurringWriter
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    from socialdesk.core.sync.kind import Kind
    from socialdesk.core.sync.summary import Summary
    from socialdesk.qt.sync.conflicts import ConflictsDialog

EVERY_MINUTES = 5  # the default of Settings → Team's "Sync automatically every"
FIRST_SYNC_MS = 90 * 1000
IDLE_CHECK_MS = 5 * 60 * 1000  # how often an automatic sync switched off looks again
INTERVAL_KEY = "sync/every_minutes"


def every_minutes() -> int:
    """Minutes between automatic syncs on this computer (0: none); an app setting."""
    from socialdesk.qt.appsettings import app_settings

    try:
        minutes = int(app_settings().value(INTERVAL_KEY, EVERY_MINUTES))
    except (TypeError, ValueError):
        return EVERY_MINUTES
    return min(max(minutes, 0), 24 * 60)


class Window(Protocol):
    """What syncing needs of the main window."""

    ws: Workspace

    def statusBar(self) -> QStatusBar: ...  # noqa: D102

    def written_by_worker(self, changes: Changes) -> None: ...  # noqa: D102

    def views_changed(self, changes: Changes) -> None: ...  # noqa: D102


def _default_kinds() -> list[Kind]:
    from socialdesk.core.sync.kinds import default_kinds

    return default_kinds()


def _set_up(ws: Workspace) -> bool:
    from socialdesk.store import sync as state

    return ws.schema_version >= 13 and state.account(ws) is not None


class SyncControl(RecurringWriter):
    """The window's sync: one job at a time on the writer thread."""

    def __init__(self, window: Window) -> None:
        super().__init__(cast(QWidget, window), self.sync_automatically, FIRST_SYNC_MS)
        self.window = window
        self.kinds: Callable[[], list[Kind]] = _default_kinds
        self.dialog: ConflictsDialog | None = None
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.linkActivated.connect(self._link)
        window.statusBar().addPermanentWidget(self.label)
        self.show_state()

    def sync_automatically(self) -> None:
        """Sync now when set up and automatic sync is on, and again in a few minutes."""
        minutes = every_minutes()
        self.timer.start(minutes * 60 * 1000 if minutes else IDLE_CHECK_MS)
        if minutes and _set_up(self.window.ws):
            self._start()

    def sync_now(self) -> None:
        """Sync at once (File → Sync now)."""
        ws = self.window.ws
        if self.busy:
            self.window.statusBar().showMessage("Already syncing.", 5000)
        elif not _set_up(ws):
            self.window.statusBar().showMessage(
                "Sync is not set up: connect a server in Edit → Settings… → Team.", 15000)
        elif ws.readonly:
            self.window.statusBar().showMessage(
                "This workspace is open read-only: it cannot sync.", 10000)
        else:
            self._start()

    def _start(self) -> None:
        if self.busy or self.window.ws.readonly:
            return
        kinds = self.kinds()
        if not kinds:
            return
        path = self.window.ws.path

        def job(progress: Progress) -> Summary:
            from socialdesk.core.sync import engine
            from socialdesk.core.sync.account import client_for

            with Workspace.open(path) as own, client_for(own) as client:
                # progress() is False once the task was stopped (closing)
                return engine.sync(own, client, kinds, should_stop=lambda: not progress(0, 0))

        self.label.setText('Syncing… · <a href="cancel">Cancel</a>')
        self.label.setToolTip("Stop after the item being synced; the next sync goes on "
                              "from there")
        self.start_task(job, self._done)

    def _link(self, link: str) -> None:
        if link != "cancel":
            self.show_conflicts()
        elif self.task is not None:
            self.task.stop()
            self.label.setText("Stopping the sync…")
            self.label.setToolTip("")

    def _done(self, summary: Summary | None, error: BaseException | None) -> None:
        from socialdesk.core.sync.dav import SyncError

        self.task = None
        if error is not None:
            if not isinstance(error, SyncError):
                raise error
            self.show_state()
            self.window.statusBar().showMessage(f"Sync: {error}", 30000)
            return
        assert summary is not None
        # also when nothing came in: the sync's own bookkeeping is no other program's write
        self.window.written_by_worker(summary.changes)
        self.show_state()
        counts = (f"Synced at {clock_text(datetime.now())}: sent {summary.sent}, received "
                  f"{summary.received}, merged {summary.merged}, deleted {summary.deleted}.")
        if summary.more:
            counts += " More changes wait: the next sync takes them."
        if summary.waiting:  # `socialdesk sync status` lists them, with the reason
            counts += (f" {len(summary.waiting)} item(s) of the team wait for what they "
                       "refer to (an ask whose partner has not arrived).")
        self.window.statusBar().showMessage(counts, 15000)

    def show_state(self) -> None:
        """The permanent label: the last sync and the conflicts waiting for a decision."""
        from socialdesk.store import sync as state

        ws = self.window.ws
        if not _set_up(ws):
            self.label.setText("")
            return
        account = state.account(ws)
        conflicts = len(state.conflicts(ws))
        last = account.last_sync_at if account else None
        text = f"Synced {moment_text(last)}" if last else "Not synced yet"
        if conflicts:
            text += (f' · <a href="conflicts">{conflicts} '
                     f"conflict{'s' if conflicts != 1 else ''}</a>")
        self.label.setText(text)
        self.label.setToolTip("Choose which version to keep" if conflicts else "")

    def show_conflicts(self) -> None:
        """Open the conflicts dialog (the status bar's link)."""
        from socialdesk.qt.sync.conflicts import ConflictsDialog

        if self.dialog is not None:
            self.dialog.close()
        self.dialog = ConflictsDialog(self.window.ws, self.kinds(), self._decided,
                                      cast(QWidget, self.window))
        self.dialog.finished.connect(lambda _result: self.show_state())
        self.dialog.open()

    def _decided(self, changes: Changes) -> None:
        if changes:
            self.window.views_changed(changes)
        self.show_state()
