"""Settings → Accounts: the connected Mastodon and Bluesky accounts, connect and remove.

Unlike the other pages, connecting and removing act at once (the server has to check the
secret, and the secret goes straight into the keyring): OK and Cancel do not undo them,
as the page says. The check runs on the writer thread with a connection of its own, so
the dialog stays responsive while a server takes its time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
)

from socialdesk.core.publish import accounts as connect
from socialdesk.core.publish.bluesky import DEFAULT_SERVICE
from socialdesk.core.publish.web import PublishError
from socialdesk.qt.settings_pages import FieldGrid, SettingsPage, explanation, section_title
from socialdesk.qt.workers import Task, start_on_worker
from socialdesk.store import publishing
from socialdesk.store.publishing import Account
from socialdesk.store.workspace import Workspace

NETWORKS = (("mastodon", "Mastodon"), ("bluesky", "Bluesky"))


def account_text(account: Account) -> str:
    """One line of the list: network, handle, name."""
    name = f" — {account.display_name}" if account.display_name else ""
    return f"{account.network.title()}: {account.handle}{name}"


class AccountsPage(SettingsPage):
    """The connected accounts, with a form to connect one and a button to remove one."""

    title = "Accounts"
    icon = "send"

    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(ws, parent)
        self.task: Task | None = None
        self.layout_.addWidget(explanation(
            "Own Mastodon and Bluesky accounts SocialDesk publishes to. Connecting checks "
            "the secret with the server and keeps it in this computer's keyring, never in "
            "the workspace. Connecting and removing take effect at once."))
        self.list = QListWidget()
        self.list.setAccessibleName("Connected accounts")
        self.list.setMinimumHeight(60)
        self.list.setMaximumHeight(100)
        self.layout_.addWidget(self.list)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        self.layout_.addLayout(row)

        self.layout_.addWidget(section_title("Connect an account"))
        grid = FieldGrid()
        self.network = QComboBox()
        for key, name in NETWORKS:
            self.network.addItem(name, key)
        self.network.currentIndexChanged.connect(self._network_changed)
        grid.add("Network:", self.network, "Where the account is.")
        self.server = QLineEdit()
        grid.add("Server:", self.server, "The Mastodon instance (https://mastodon.social), "
                 "or Bluesky's service (https://bsky.social unless you run your own).",
                 wide=True)
        self.handle = QLineEdit()
        self.handle.setPlaceholderText("name.bsky.social")
        grid.add("Handle:", self.handle, "Bluesky only: your handle.", wide=True)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        grid.add("Secret:", self.secret, "Mastodon: an access token (Preferences → "
                 "Development → New application, scopes read and write). Bluesky: an app "
                 "password (Settings → Privacy and security → App passwords).", wide=True)
        self.secret_caption = grid.captions[-1]
        self.layout_.addLayout(grid)
        self.connect_button = QPushButton("Connect")
        self.connect_button.clicked.connect(self.connect_account)
        self.message = QLabel()
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.connect_button)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.message)
        self.layout_.addStretch(1)
        self._network_changed()
        self.refresh()

    def load(self, values: Mapping[str, Any]) -> None:
        """No settings of its own: the accounts are read from the workspace."""

    def values(self) -> dict[str, Any]:
        """No settings of its own."""
        return {}

    def restore_defaults(self) -> None:
        """Accounts have no defaults."""

    def refresh(self) -> None:
        """Show the connected accounts."""
        self.list.clear()
        for account in publishing.accounts(self.ws):
            item = QListWidgetItem(account_text(account))
            item.setData(256, account.id)
            item.setToolTip(f"{account.server} — verified {account.verified_at}")
            self.list.addItem(item)
        self.remove_button.setEnabled(self.list.count() > 0)

    def _network_changed(self) -> None:
        bluesky = self.network.currentData() == "bluesky"
        self.handle.setEnabled(bluesky)
        self.secret_caption.setText("App password:" if bluesky else "Access token:")
        self.server.setPlaceholderText(DEFAULT_SERVICE if bluesky else "https://mastodon.social")

    def connect_account(self) -> None:
        """Check the secret with the server on a worker; show the account or the problem."""
        network = self.network.currentData()
        server = self.server.text().strip() or (DEFAULT_SERVICE if network == "bluesky" else "")
        handle, secret = self.handle.text(), self.secret.text()
        if not server:
            self.message.setText("Type the Mastodon instance's address.")
            return
        path = self.ws.path

        def work() -> Account:
            with Workspace.open(path) as own:  # the writer's connection of its own
                if network == "mastodon":
                    return connect.add_mastodon(own, server, secret)
                return connect.add_bluesky(own, handle, secret, server)

        self.connect_button.setEnabled(False)
        self.message.setText("Checking with the server…")
        self.task = start_on_worker(self, work, self._connected, writes=True)

    def _connected(self, account: Account | None, error: BaseException | None) -> None:
        self.connect_button.setEnabled(True)
        if error is not None:
            if not isinstance(error, PublishError):
                raise error
            self.message.setText(str(error))
            return
        assert account is not None
        self.secret.clear()
        self.message.setText(f"Connected {account.handle}.")
        self.refresh()

    def remove_selected(self) -> None:
        """Disconnect the selected account and forget its secret."""
        item = self.list.currentItem()
        if item is None:
            self.message.setText("Choose the account to remove in the list.")
            return
        account_id, path = int(item.data(256)), self.ws.path

        def work() -> Account:
            with Workspace.open(path) as own:  # the keyring may take its time: not here
                return connect.remove(own, account_id)

        self.remove_button.setEnabled(False)
        self.task = start_on_worker(self, work, self._removed, writes=True)

    def _removed(self, account: Account | None, error: BaseException | None) -> None:
        if error is not None:
            if not isinstance(error, LookupError):
                raise error
            self.message.setText(str(error))
        elif account is not None:
            self.message.setText(f"Removed {account.handle}.")
        self.refresh()
