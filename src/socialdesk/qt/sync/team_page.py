"""Settings → Team: the CalDAV/CardDAV server this workspace syncs with, set up here.

Like Accounts, connecting acts at once (the server is asked for the collections, and the
password goes straight into the keyring): OK and Cancel do not undo it, as the page says.
It runs on the writer thread with a connection of its own, so the dialog stays
responsive while the server takes its time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton

from socialdesk.qt.formatting import moment_text
from socialdesk.qt.settings_pages import (
    FieldGrid,
    SettingsPage,
    explanation,
    number_box,
    section_title,
)
from socialdesk.qt.sync.syncing import INTERVAL_KEY, every_minutes
from socialdesk.qt.workers import Task, start_on_worker
from socialdesk.store.workspace import Workspace


class TeamPage(SettingsPage):
    """The sync server (if any) and a form to connect one."""

    title = "Team"
    icon = "users"

    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(ws, parent)
        self.task: Task | None = None
        self.layout_.addWidget(explanation(
            "Share this workspace with your team through a CalDAV/CardDAV server (Nextcloud, "
            "Radicale, Baïkal, your hosting's): posts travel as calendar events, asks as tasks "
            "in a task list beside them, contacts as address book cards. Each computer "
            "keeps working offline and syncs when it can "
            "(File → Sync now, and every few minutes). The password stays in this "
            "computer's keyring. Connecting takes effect at once."))
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.layout_.addWidget(self.current)

        self.layout_.addWidget(section_title("Connect to a server"))
        grid = FieldGrid()
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://cloud.example.com/remote.php/dav/")
        grid.add("Server:", self.server, "The server's CalDAV/CardDAV address.", wide=True)
        self.user = QLineEdit()
        grid.add("User:", self.user, "Your user name on the server.", wide=True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        grid.add("Password:", self.password, "An app password where the server offers them.",
                 wide=True)
        self.shared_name = QLineEdit()
        self.shared_name.setPlaceholderText(ws.path.stem)
        grid.add("Shared as:", self.shared_name, "The name of the calendar, task list and "
                 "address book on the server. To join a team, type the name its first "
                 "computer used.",
                 wide=True)
        self.layout_.addLayout(grid)
        self.connect_button = QPushButton("Connect")
        self.connect_button.clicked.connect(self.connect_server)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.connect_button)
        self.layout_.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.layout_.addWidget(self.message)

        self.layout_.addWidget(section_title("On this computer"))
        grid = FieldGrid()
        self.every = number_box(0, 24 * 60, " min")
        self.every.setSpecialValueText("never")
        self.every.setValue(every_minutes())
        self.every.valueChanged.connect(self._every_changed)
        grid.add("Sync automatically every:", self.every, "While SocialDesk is open; "
                 "“never”: only File → Sync now. Applies from the next automatic sync.")
        self.layout_.addLayout(grid)
        self.layout_.addStretch(1)
        self.refresh()

    def load(self, values: Mapping[str, Any]) -> None:
        """No settings of its own: the account is read from the workspace."""

    def values(self) -> dict[str, Any]:
        """No settings of its own."""
        return {}

    def restore_defaults(self) -> None:
        """The server has no default."""

    def _every_changed(self, minutes: int) -> None:
        from socialdesk.qt.appsettings import app_settings

        app_settings().setValue(INTERVAL_KEY, minutes)

    def refresh(self) -> None:
        """Show the server this workspace syncs with."""
        from socialdesk.store import sync as state

        account = state.account(self.ws) if self.ws.schema_version >= 13 else None
        if account is None:
            self.current.setText("Not shared: this workspace is on this computer only.")
            return
        def shown(when: str | None) -> str:
            return moment_text(when)

        seen = [f"{d['name']} ({shown(d['synced_at'])})" for d in state.devices(account)]
        self.current.setText(
            f"Synced with {account.server_url} as {account.user_name} (calendar "
            f"{account.calendar_url}, task list {account.tasks_url or 'made at the next sync'}"
            f", address book {account.addressbook_url}). "
            f"Last sync: {shown(account.last_sync_at) or 'not yet'}."
            + (f" Computers that synced: {', '.join(seen)}." if seen else ""))
        if not self.server.text():
            self.server.setText(account.server_url)
            self.user.setText(account.user_name)

    def connect_server(self) -> None:
        """Find or make the collections on a worker; show the result or the problem."""
        from socialdesk.core.sync.account import setup

        server, user, password = (self.server.text().strip(), self.user.text().strip(),
                                  self.password.text())
        name = self.shared_name.text().strip() or None
        if not server or not user:
            self.message.setText("Type the server's address and your user name.")
            return
        path = self.ws.path

        def work() -> Any:
            with Workspace.open(path) as own:  # the writer's connection of its own
                return setup(own, server, user, password, name=name)

        self.connect_button.setEnabled(False)
        self.message.setText("Asking the server…")
        self.task = start_on_worker(self, work, self._connected, writes=True)

    def _connected(self, account: Any, error: BaseException | None) -> None:
        from socialdesk.core.sync.dav import SyncError

        self.connect_button.setEnabled(True)
        if error is not None:
            if not isinstance(error, SyncError):
                raise error
            self.message.setText(str(error))
            return
        self.password.clear()
        self.message.setText(f"Connected: the next sync shares this workspace as "
                             f"{self.shared_name.text().strip() or self.ws.path.stem!r}.")
        self.refresh()
