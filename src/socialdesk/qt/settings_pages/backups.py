"""Settings → Backups: the folder, encryption (passphrase in the keyring) and rotation."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from socialdesk.core.backup import create as backup
from socialdesk.core.backup import secrets
from socialdesk.qt.backup.dialogs import PassphraseDialog
from socialdesk.qt.settings_pages import (
    FieldGrid,
    Problem,
    SettingsPage,
    align_labels,
    check_typed,
    explanation,
    number_box,
    section_title,
)
from socialdesk.store.workspace import Workspace


def folder_problem(text: str) -> str | None:
    """Why ``text`` cannot be the backup folder, or None when it can (empty: the default)."""
    if not text.strip():
        return None
    folder = Path(text.strip()).expanduser()
    if not folder.is_absolute():
        return (f"“{text.strip()}” is not a full folder path. Use Browse… to choose the "
                "backup folder.")
    if folder.exists():
        if not folder.is_dir():
            return f"{folder} is a file, not a folder. Choose a folder for the backups."
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"SocialDesk may not write in {folder}. Choose another folder."
        return None
    parent = next((p for p in folder.parents if p.exists()), None)
    if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        return f"{folder} does not exist and cannot be made. Choose another folder."
    return None


class BackupsPage(SettingsPage):
    """Where backups go, whether they are encrypted, and how many are kept."""

    title = "Backups"
    icon = "hard-drive-download"
    keys = ("backup_folder", "backup_encrypt", "backup_daily", "backup_weekly",
            "backup_monthly")

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.new_passphrase: str | None = None  # remembered in the keyring on OK
        self.remembered = secrets.known_passphrase(ws.path) is not None
        self.layout_.addWidget(explanation(
            "SocialDesk backs the workspace up when you close it and once a day while it is "
            "open. File → Backup now makes one at any time."))

        self.folder = QLineEdit()
        self.folder.setClearButtonEnabled(True)
        self.folder.setPlaceholderText(f"Default: {backup.default_folder()}")
        self.folder.setToolTip("Empty: the default folder")
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        folder_field = QWidget()
        folder_field.setLayout(row)
        folder_field.setMinimumWidth(420)
        self.folder.textChanged.connect(self._show_folder_problem)
        self.folder_warning = QLabel()
        self.folder_warning.setWordWrap(True)
        self.folder_warning.hide()

        self.encrypt = QCheckBox("Encrypt backups")
        self.encrypt.toggled.connect(self._encrypt_toggled)
        self.set_passphrase = QPushButton("Set passphrase…")
        self.set_passphrase.setToolTip("Choose the passphrase; it is kept in this computer's "
                                       "keyring, never in the workspace")
        self.set_passphrase.clicked.connect(self.choose_passphrase)
        self.passphrase_state = QLabel()
        self.passphrase_state.setWordWrap(True)
        crypt = QHBoxLayout()
        crypt.setContentsMargins(0, 0, 0, 0)
        crypt.addWidget(self.encrypt)
        crypt.addSpacing(12)
        crypt.addWidget(self.set_passphrase)
        crypt.addStretch(1)
        crypt_field = QWidget()
        crypt_field.setLayout(crypt)

        grid = FieldGrid()
        grid.add("Folder:", folder_field,
                 "Where backups are kept. A folder on another disk, or one your cloud drive "
                 "syncs, keeps copies safe if this computer fails.", wide=True)
        grid.add_below(self.folder_warning)
        grid.add("Protection:", crypt_field,
                 "An encrypted backup opens only with the passphrase. Without the passphrase "
                 "it cannot be restored, so keep it somewhere safe.")
        grid.add_below(self.passphrase_state)
        self.layout_.addLayout(grid)

        self.daily = number_box(0, 366, " days")
        self.weekly = number_box(0, 260, " weeks")
        self.monthly = number_box(0, 240, " months")
        self.layout_.addSpacing(6)
        self.layout_.addWidget(section_title("How many to keep"))
        self.layout_.addWidget(explanation(
            "Older automatic backups are removed, keeping the newest of each recent day, "
            "week and month. Backups you make yourself (File → Backup now) and those made "
            "before a restore or an update are kept until you remove them "
            "(File → Restore…, Remove…)."))
        keep = FieldGrid()
        keep.add("Daily:", self.daily,
                 "One automatic backup a day for this many days that have backups.")
        keep.add("Weekly:", self.weekly, "One a week for this many weeks.")
        keep.add("Monthly:", self.monthly, "One a month for this many months.")
        self.layout_.addLayout(keep)
        align_labels(grid, keep)
        self.layout_.addStretch(1)

    def load(self, values: Mapping[str, Any]) -> None:
        """Show the folder, the encryption switch and the rotation counts."""
        self.folder.setText(str(values["backup_folder"] or ""))
        self.encrypt.blockSignals(True)
        self.encrypt.setChecked(bool(values["backup_encrypt"]))
        self.encrypt.blockSignals(False)
        self.daily.setValue(int(values["backup_daily"]))
        self.weekly.setValue(int(values["backup_weekly"]))
        self.monthly.setValue(int(values["backup_monthly"]))
        self._show_passphrase_state()

    def values(self) -> dict[str, Any]:
        """The backup settings as chosen."""
        return {
            "backup_folder": self.folder.text().strip(),
            "backup_encrypt": self.encrypt.isChecked(),
            "backup_daily": self.daily.value(),
            "backup_weekly": self.weekly.value(),
            "backup_monthly": self.monthly.value(),
        }

    def check(self) -> None:
        """The folder can hold backups; the counts are numbers."""
        problem = folder_problem(self.folder.text())
        if problem:
            raise Problem(problem, self.folder)
        check_typed(self.daily, "Daily backups to keep")
        check_typed(self.weekly, "Weekly backups to keep")
        check_typed(self.monthly, "Monthly backups to keep")

    def choose_folder(self) -> None:
        """Browse… for the backup folder."""
        start = self.folder.text().strip() or str(backup.default_folder())
        chosen = QFileDialog.getExistingDirectory(self, "Folder for backups", start)
        if chosen:
            self.folder.setText(chosen)

    def choose_passphrase(self) -> bool:
        """Set passphrase…: ask for it twice; it goes into the keyring when OK is clicked."""
        dialog = PassphraseDialog(
            "Choose the passphrase for this workspace's backups. It is kept in this "
            "computer's keyring, never in the workspace. Backups made earlier keep the "
            "passphrase they were made with.", new=True, parent=self)
        dialog.remember.setChecked(True)
        dialog.remember.hide()
        if dialog.exec() != PassphraseDialog.DialogCode.Accepted:
            return False
        self.new_passphrase = dialog.passphrase.text()
        self._show_passphrase_state()
        return True

    def _encrypt_toggled(self, checked: bool) -> None:
        if checked and self.new_passphrase is None and not self.remembered \
                and not self.choose_passphrase():
            self.encrypt.blockSignals(True)  # no passphrase chosen: encryption stays off
            self.encrypt.setChecked(False)
            self.encrypt.blockSignals(False)
        self._show_passphrase_state()

    def _show_passphrase_state(self) -> None:
        if self.new_passphrase is not None:
            text = "The new passphrase is kept in this computer's keyring when you click OK."
        elif self.remembered:
            text = "A passphrase is remembered in this computer's keyring."
        elif self.encrypt.isChecked():
            text = ("⚠ No passphrase is remembered on this computer: automatic backups are "
                    "skipped until you set one.")
        else:
            text = "No passphrase is remembered on this computer."
        self.passphrase_state.setText(text)

    def _show_folder_problem(self) -> None:
        problem = folder_problem(self.folder.text())
        self.folder_warning.setText(f"⚠ {problem}" if problem else "")
        self.folder_warning.setVisible(bool(problem))
