"""An ask's share kit from the GUI: Copy kit, Save kit… and Open e-mail.

The kit is made when asked for (:func:`socialdesk.core.share.kits.make_kit`), so it shows
the post as it is now; a partner without a slug gets theirs with their first kit. The page
is rendered and written off the GUI thread (its image is scaled), atomically.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from socialdesk import APP_NAME
from socialdesk.core.atomic import atomic_open
from socialdesk.core.planner import ask_messages
from socialdesk.core.share.kit import kit_text
from socialdesk.core.share.kits import KitError, MadeKit, make_kit
from socialdesk.core.share.links import slugify
from socialdesk.qt.icons import palette_icon
from socialdesk.qt.undo import show_status
from socialdesk.qt.workers import Task, start_on_worker
from socialdesk.store import asks, contacts
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.models import AskRow
from socialdesk.store.workspace import Workspace

FAILURES = (sqlite3.Error, WorkspaceError, KitError)


def _kit(widget: QWidget, ws: Workspace, ask_id: int) -> MadeKit | None:
    """The ask's kit, or None after telling the user why there is none."""
    try:
        return make_kit(ws, ask_id)
    except FAILURES as error:
        QMessageBox.warning(widget, APP_NAME, f"No share kit: {error}")
        return None


def kit_file_name(made: MadeKit) -> str:
    """``share-kit-corner-cafe-sourdough-saturday.html``."""
    return (f"share-kit-{slugify(made.kit.partner, 'partner')}-"
            f"{slugify(made.kit.title, 'post')}.html")[:120]


def ask_mail(ws: Workspace, ask: AskRow, made: MadeKit) -> str:
    """The ``mailto:`` link for an ask: its message as made, the kit after it."""
    contact = contacts.get_contact(ws, ask.contact_id)
    email = next(iter(contact.values("email")), "") if contact else ""
    subject = ask_messages.ask_subject(ask_messages.AskContext(
        name=ask.contact_name, post_title=ask.post_title or made.kit.title))
    body = ask_messages.with_kit(ask.message, kit_text(made.kit))
    return ask_messages.mailto_url(email, subject, body)


class KitButtons(QWidget):
    """Copy kit / Save kit… / Open e-mail for the ask chosen in a list."""

    saved = Signal(object)  # the path a page was written to

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *,
                 by_partner: bool = True) -> None:
        """``by_partner``: the label names the partner (else the post) of the chosen ask."""
        super().__init__(parent)
        self.ws = ws
        self.by_partner = by_partner
        self.ask: AskRow | None = None
        self.task: Task | None = None
        self.copy_button = QPushButton(palette_icon("copy"), "Copy kit")
        self.copy_button.setToolTip("Copy the partner's share kit (text and one-click links "
                                    "per network) to paste in a chat or a DM")
        self.save_button = QPushButton(palette_icon("download"), "Save kit…")
        self.save_button.setToolTip("Save the share kit as a web page to send or attach: it "
                                    "opens on a phone, one tap per network")
        self.mail_button = QPushButton(palette_icon("mail"), "Open e-mail")
        self.mail_button.setToolTip("Open the ask's message with its share kit in your "
                                    "e-mail program")
        self.who = QLabel()
        self.who.setVisible(by_partner)  # else the list names the post of the chosen ask
        self.copy_button.clicked.connect(self.copy_kit)
        self.save_button.clicked.connect(self.save_kit)
        self.mail_button.clicked.connect(self.open_mail)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.who)
        for button in (self.copy_button, self.save_button, self.mail_button):
            layout.addWidget(button)
        if by_partner:
            layout.addStretch(1)
        self.set_ask(None)

    def set_ask(self, ask: AskRow | None) -> None:
        """The ask the buttons act on (None: no ask chosen, or one without a post)."""
        self.ask = ask
        usable = ask is not None and ask.post_id is not None
        for button in (self.copy_button, self.save_button, self.mail_button):
            button.setEnabled(usable)
        if ask is None:
            self.who.setText("Share kit:")
        elif ask.post_id is None:
            self.who.setText(f"{ask.contact_name}'s ask: its post was deleted, no kit.")
        elif self.by_partner:
            self.who.setText(f"Share kit for {ask.contact_name}:")
        else:
            self.who.setText("Share kit:")
        self.who.setToolTip("" if ask is None else
                            f"{ask.contact_name}'s share kit for “{ask.post_title or ''}”")

    def _made(self) -> MadeKit | None:
        return _kit(self, self.ws, self.ask.id) if self.ask is not None else None

    def copy_kit(self) -> bool:
        """Put the kit as plain text on the clipboard."""
        made = self._made()
        if made is None:
            return False
        QGuiApplication.clipboard().setText(kit_text(made.kit))
        show_status(self, f"Copied {made.kit.partner}'s share kit: paste it in a message.")
        return True

    def save_kit(self) -> Path | None:
        """Ask where, then write the kit's page there (on a worker); the path chosen."""
        made = self._made()
        if made is None:
            return None
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save share kit", str(Path(folder) / kit_file_name(made)),
            "Web pages (*.html)")
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() not in (".html", ".htm"):
            path = path.with_name(path.name + ".html")

        def write() -> Path:
            page = made.page()
            with atomic_open(path) as handle:
                handle.write(page)
            return path

        self.save_button.setEnabled(False)
        self.task = start_on_worker(self, write, self._written)
        return path

    def _written(self, path: object, error: BaseException | None) -> None:
        self.save_button.setEnabled(self.ask is not None and self.ask.post_id is not None)
        if error is not None:
            QMessageBox.warning(self, APP_NAME, f"The share kit was not saved: {error}")
            return
        show_status(self, f"Saved the share kit to {path}.")
        self.saved.emit(path)

    def open_mail(self) -> bool:
        """Open the ask's message and kit in the e-mail program."""
        made = self._made()
        if made is None or self.ask is None:
            return False
        ask = asks.get_ask(self.ws, self.ask.id) or self.ask
        return QDesktopServices.openUrl(QUrl(ask_mail(self.ws, ask, made)))
