"""Backup passphrases: from the environment, or remembered in the OS keyring.

A passphrase is never written into the workspace, the settings or a log: only the
keyring (Secret Service, macOS Keychain, Windows Credential Locker — whatever
``keyring`` finds) holds it, under the service ``SocialDesk backups`` and the
workspace's full path.
"""

from __future__ import annotations

import os
from pathlib import Path

SERVICE = "SocialDesk backups"
ENV = "SOCIALDESK_PASSPHRASE"


class KeyringUnavailable(Exception):
    """The OS keyring cannot store or give the passphrase; the message says why."""


def account(workspace: Path) -> str:
    """The keyring's user name for a workspace's passphrase: its absolute path."""
    return str(Path(workspace).expanduser().absolute())


def from_environment() -> str | None:
    """``SOCIALDESK_PASSPHRASE``, for scripts and the command line without a terminal."""
    return os.environ.get(ENV) or None


def remember(workspace: Path, passphrase: str) -> None:
    """Keep the passphrase in the keyring; raise :class:`KeyringUnavailable` if it can't."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, account(workspace), passphrase)
    except (KeyringError, RuntimeError, OSError) as error:
        raise KeyringUnavailable(
            f"The passphrase could not be remembered in the system keyring ({error})."
        ) from error


def recall(workspace: Path) -> str | None:
    """The remembered passphrase, or None (also when no keyring is available)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, account(workspace))
    except (KeyringError, RuntimeError, OSError):
        return None


def forget(workspace: Path) -> None:
    """Remove a remembered passphrase (nothing happens if there is none)."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, account(workspace))
    except PasswordDeleteError:
        return
    except (KeyringError, RuntimeError, OSError) as error:
        raise KeyringUnavailable(
            f"The passphrase could not be removed from the system keyring ({error})."
        ) from error


def known_passphrase(workspace: Path) -> str | None:
    """The passphrase to try first: the environment's, else the keyring's."""
    return from_environment() or recall(workspace)
