"""Restoring backups from the GUI: the passphrase, the damaged-workspace dialog, restore.

Kept apart from :mod:`socialdesk.qt.backup.control` so that starting the app does not load
the archive, catalog and encryption code (and ``cryptography``) until a restore needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from socialdesk import APP_NAME
from socialdesk.core.backup import create as backup
from socialdesk.core.backup import crypto, ownership, secrets
from socialdesk.core.backup.restore import (
    RestoreCancelled,
    RestoreError,
    RestoreResult,
    restore,
)
from socialdesk.qt.backup.dialogs import BACKUP_FILTER, DamagedDialog, PassphraseDialog
from socialdesk.qt.workers import start_with_dialog
from socialdesk.store.errors import WorkspaceError


class Cancelled(Exception):
    """The user closed a dialog: stop quietly."""


def ask_passphrase(parent: QWidget | None, source: Path, workspace: Path) -> str | None:
    """The passphrase of an encrypted backup (None if it is not encrypted).

    Tries the environment and the keyring first, then asks until it is right; raises
    :class:`Cancelled` when the user gives up, :class:`RestoreError` (before asking) when
    the archive's header is unusable or asks for a costlier key derivation than
    SocialDesk's own.
    """
    if not crypto.is_encrypted(source):
        return None
    try:
        with source.open("rb") as handle:
            crypto.read_header(handle)
    except crypto.DecryptionError as error:
        raise RestoreError(f"{source}: {error} Nothing was restored.") from error
    known = secrets.known_passphrase(workspace)
    if known and crypto.passphrase_opens(source, known):
        return known
    dialog = PassphraseDialog(f"{source.name} is encrypted. Type the passphrase it was "
                              "made with.", new=False, parent=parent)
    while dialog.exec() == PassphraseDialog.DialogCode.Accepted:
        typed = dialog.passphrase.text()
        if crypto.passphrase_opens(source, typed):
            if dialog.remember.isChecked():
                remember_passphrase(parent, workspace, typed)
            return typed
        dialog.show_problem("Wrong passphrase — this backup was made with another one.")
        dialog.passphrase.clear()
    raise Cancelled


def remember_passphrase(parent: QWidget | None, workspace: Path, passphrase: str) -> None:
    """Keep the passphrase in the keyring, or tell the user why it cannot be kept."""
    try:
        secrets.remember(workspace, passphrase)
    except secrets.KeyringUnavailable as error:
        QMessageBox.warning(parent, APP_NAME, f"{error}\n\nYou will be asked for it again.")


def restore_message(result: RestoreResult) -> str:
    """What was restored, from where, and where the state before it was kept."""
    counts = result.counts
    lines = [f"Restored {result.workspace.name} from {result.source.name}: "
             f"{counts.get('contacts', 0):,} contacts, {counts.get('posts', 0):,} posts."]
    if result.safety_backup:
        lines.append(f"The state before restoring was backed up to {result.safety_backup}.")
    if result.damaged_kept:
        lines.append(f"The damaged file was kept as {result.damaged_kept}.")
    return "\n\n".join(lines)


def recover(parent: QWidget | None, path: Path, detail: str,
            done: Callable[[RestoreResult | None], None],
            before: Callable[[], None] = lambda: None) -> None:
    """Offer to restore a damaged workspace; ``before`` runs just before the file is swapped.

    Returns at once; the restore runs on the writer thread behind a progress dialog (its
    Cancel leaves the file as it is), and ``done`` hears what was restored, or None when
    the user chose not to or cancelled (or nothing worked).
    """
    found = ownership.backups_of(ownership.owner_at(path), backup.folder_for(path))
    candidates = [b for b in found if b.usable]
    dialog = DamagedDialog(path, detail, candidates[0] if candidates else None, parent)
    dialog.exec()
    if dialog.choice == DamagedDialog.RESTORE:
        sources = [b.path for b in candidates]
    elif dialog.choice == DamagedDialog.CHOOSE:
        name, _ = QFileDialog.getOpenFileName(parent, "Restore a backup file",
                                              str(backup.folder_for(path)), BACKUP_FILTER)
        if not name:
            done(None)
            return
        sources = [Path(name)]
    else:
        done(None)
        return
    ran_before: list[bool] = []

    def attempt(remaining: list[Path], problem: Exception | None) -> None:
        """Restore the first of ``remaining``; a damaged archive gives way to the next."""
        if not remaining:
            QMessageBox.critical(parent, f"Restore failed — {APP_NAME}", str(problem))
            done(None)
            return
        source, rest = remaining[0], remaining[1:]
        try:
            passphrase = ask_passphrase(parent, source, path)
        except Cancelled:
            done(None)
            return
        except RestoreError as error:
            attempt(rest, error)
            return
        if not ran_before:
            before()
            ran_before.append(True)

        def restored(result: RestoreResult | None, error: BaseException | None) -> None:
            if isinstance(error, RestoreCancelled):
                done(None)
                return
            if isinstance(error, (RestoreError, WorkspaceError)):
                attempt(rest, error)
                return
            if error is not None:
                done(None)
                raise error
            assert result is not None
            QMessageBox.information(parent, f"Restored — {APP_NAME}", restore_message(result))
            done(result)

        start_with_dialog(parent, f"Restoring {source.name}…",
                          lambda progress: restore(source, path, passphrase=passphrase,
                                                   progress=progress),
                          restored, writes=True, what="the restore")

    attempt(sources, None)
