"""Dialogs for backups: choosing one to restore, a passphrase, a damaged workspace."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from socialdesk import APP_NAME
from socialdesk.core.backup.catalog import BackupInfo, human_size
from socialdesk.core.formatting import exact
from socialdesk.qt.confirm import confirm
from socialdesk.qt.formatting import moment_text
from socialdesk.qt.keyboard import keyboard_ready
from socialdesk.qt.table_model import Column, RowTableModel, SortProxy

BACKUP_FILTER = "SocialDesk backups (*.sdbackup);;All files (*)"
KIND_NAMES = {"auto": "Automatic", "manual": "Made by you", "safety": "Before a restore",
              "migration": "Before an update"}


def _count(info: BackupInfo, key: str) -> int | None:
    return None if info.counts is None else info.counts.get(key, 0)


def _hidden_count(info: BackupInfo) -> str:
    if info.encrypted:
        return "Encrypted: the counts are inside, behind the passphrase"
    return info.problem or ""


BACKUP_COLUMNS: list[Column[BackupInfo]] = [
    Column("Made", lambda b: b.created, display=moment_text,
           tooltip=lambda b: f"{b.path}"),
    Column("Kind", lambda b: KIND_NAMES.get(b.kind, b.kind)),
    Column("Contacts", lambda b: _count(b, "contacts"),
           display=lambda v: "–" if v is None else f"{v:,}", numeric=True,
           tooltip=lambda b: exact(_count(b, "contacts")) or _hidden_count(b)),
    Column("Posts", lambda b: _count(b, "posts"),
           display=lambda v: "–" if v is None else f"{v:,}", numeric=True,
           tooltip=lambda b: exact(_count(b, "posts")) or _hidden_count(b)),
    Column("Size", lambda b: b.size, display=human_size, numeric=True,
           tooltip=lambda b: f"{b.size:,} bytes"),
    Column("", lambda b: "Encrypted" if b.encrypted else ("Damaged" if b.problem else "")),
]


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class RestoreDialog(QDialog):
    """File → Restore…: the backups, newest first, with date, kind, counts and size."""

    def __init__(self, backups: list[BackupInfo], folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Restore a backup — {APP_NAME}")
        self.folder = folder
        self.chosen: Path | None = None
        self.model: RowTableModel[BackupInfo] = RowTableModel(BACKUP_COLUMNS, self)
        self.model.set_rows(backups)
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setAccessibleName("Backups")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self.accept)
        empty = _heading(
            f"No backups in {folder} yet.\n\nMake one with File → Backup now, or choose a "
            "backup file (.sdbackup) from another folder or computer.")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(empty)
        self.pages.setCurrentIndex(0 if backups else 1)

        buttons = QDialogButtonBox()  # Cancel added last: Tab enters at Restore, the default
        self.restore_button = buttons.addButton("Restore",
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setDefault(True)
        self.file_button = QPushButton("Choose a file…")
        self.file_button.setToolTip("Restore a .sdbackup file from another folder or computer")
        buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.file_button.clicked.connect(self.choose_file)
        self.remove_button = QPushButton("Remove…")
        self.remove_button.setToolTip("Delete the selected backup file (backups you made, "
                                      "and those made before a restore, stay until you do)")
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        if backups:
            self.table.selectRow(0)
        self._selection_changed()

        layout = QVBoxLayout(self)
        layout.addWidget(_heading(
            "Choose the backup to go back to. SocialDesk first backs up the workspace as it "
            "is now, so you can return to it with another restore."))
        layout.addWidget(self.pages, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)
        keyboard_ready(self)

    def selected(self) -> BackupInfo | None:
        """The backup selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row())

    def _selection_changed(self) -> None:
        info = self.selected()
        self.restore_button.setEnabled(info is not None and info.usable)
        self.remove_button.setEnabled(info is not None)

    def remove_selected(self) -> None:
        """Remove…: delete the selected backup file, after asking."""
        info = self.selected()
        if info is None:
            return
        if not confirm(
                self, "Remove a backup",
                f"Delete the backup from {moment_text(info.created)} "
                f"({KIND_NAMES.get(info.kind, info.kind).lower()})? It cannot be restored "
                f"afterwards.\n\n{info.path}", "Delete backup"):
            return
        try:
            info.path.unlink(missing_ok=True)
        except OSError as error:
            QMessageBox.warning(self, f"Remove a backup — {APP_NAME}",
                                f"{info.path}: cannot be deleted ({error.strerror or error}).")
            return
        rows = [row for row in self.model.rows if row.path != info.path]
        self.model.set_rows(rows)
        self.pages.setCurrentIndex(0 if rows else 1)
        if rows:
            self.table.selectRow(0)
        self._selection_changed()

    def choose_file(self) -> None:
        """Pick a backup file anywhere and restore it."""
        name, _ = QFileDialog.getOpenFileName(self, "Restore a backup file", str(self.folder),
                                              BACKUP_FILTER)
        if name:
            self.chosen = Path(name)
            super().accept()

    def accept(self) -> None:
        """Restore the selected backup."""
        info = self.selected()
        if info is None or not info.usable:
            return
        self.chosen = info.path
        super().accept()


class PassphraseDialog(QDialog):
    """Asks for a backup passphrase; for a new one, twice; offers to remember it."""

    def __init__(self, text: str, *, new: bool, remember: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Backup passphrase — {APP_NAME}")
        self.new = new
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Remember it in this computer's keyring")
        self.remember.setChecked(remember)
        self.remember.setToolTip("Kept by the system's password store, never in the workspace; "
                                 "automatic backups then need no typing")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: palette(highlight);")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Passphrase:", self.passphrase)
        if new:
            form.addRow("Again:", self.again)
        form.addRow("", self.remember)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(text))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        keyboard_ready(self)

    def show_problem(self, text: str) -> None:
        """Say what was wrong with the last passphrase (e.g. "wrong passphrase")."""
        self.problem.setText(text)

    def accept(self) -> None:
        """Accept only a non-empty passphrase (typed the same twice when new)."""
        if not self.passphrase.text():
            self.show_problem("Type a passphrase.")
            return
        if self.new and self.again.text() != self.passphrase.text():
            self.show_problem("The two passphrases differ.")
            return
        super().accept()


class DamagedDialog(QDialog):
    """A damaged workspace: restore the newest good backup, choose one, or stop."""

    RESTORE, CHOOSE, CLOSE = 1, 2, 0

    def __init__(self, workspace: Path, detail: str, newest: BackupInfo | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Damaged workspace — {APP_NAME}")
        self.choice = self.CLOSE
        self.detail = detail
        self.newest = newest
        title = QLabel(f"<b>{workspace.name} is damaged and cannot be used safely.</b>")
        what = _heading(detail)
        what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        stamp = workspace.stem + ".damaged-DATE" + workspace.suffix
        if newest is not None:
            counts = "" if newest.counts is None else (
                f" ({newest.counts.get('contacts', 0):,} contacts, "
                f"{newest.counts.get('posts', 0):,} posts)")
            offer = (f"The newest backup is from {moment_text(newest.created)}{counts}. "
                     f"Restoring it keeps the damaged file beside it as {stamp} — "
                     "nothing is deleted.")
        else:
            offer = ("No backup of this workspace was found. If you have a backup file "
                     "(.sdbackup), choose it; the damaged file is kept aside as " + stamp + ".")
        buttons = QDialogButtonBox()
        self.restore_button = None
        if newest is not None:
            self.restore_button = buttons.addButton("Restore the newest backup",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
            self.restore_button.setDefault(True)
            self.restore_button.clicked.connect(lambda: self._finish(self.RESTORE))
        self.choose_button = buttons.addButton("Choose a backup…",
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.choose_button.clicked.connect(lambda: self._finish(self.CHOOSE))
        self.close_button = buttons.addButton("Close", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.clicked.connect(lambda: self._finish(self.CLOSE))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(what)
        layout.addWidget(_heading(offer))
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        keyboard_ready(self)

    def _finish(self, choice: int) -> None:
        self.choice = choice
        if choice == self.CLOSE:
            self.reject()
        else:
            self.accept()
