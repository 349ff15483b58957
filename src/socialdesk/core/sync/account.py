"""Setting up team sharing: the server's collections found or made, the password kept.

The workspace keeps the server's address, the user and the collections
(``store/sync.py``); the password goes only into the OS keyring, under the service
``SocialDesk sync`` and the user name ``USER SERVER-URL``.
"""

from __future__ import annotations

from typing import Any

from socialdesk.core.sync.dav import DavClient, SyncError, dav_url
from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace

SERVICE = "SocialDesk sync"


def _keyring_user(user: str, url: str) -> str:
    return f"{user} {url}"


def collection_name(ws: Workspace) -> str:
    """What the calendar and address book are called on the server: the workspace's name.

    The task list beside them is "NAME asks" (:func:`~socialdesk.core.sync.dav.task_list_name`).
    """
    return ws.path.stem or "SocialDesk"


def setup(ws: Workspace, url: str, user: str, password: str, *,
          name: str | None = None, **limits: Any) -> state.Account:
    """Find or make the workspace's calendar, task list and address book, keep the password.

    ``name`` (default :func:`collection_name`): a second computer joins by giving the name
    the first one used. Raises :class:`SyncError` (wrong password, no server, …).
    """
    import keyring
    from keyring.errors import KeyringError

    address = dav_url(url)
    with DavClient(address, user, password, **limits) as client:
        calendar, tasks, book = client.ensure_collections(name or collection_name(ws))
    try:
        keyring.set_password(SERVICE, _keyring_user(user, address), password)
    except (KeyringError, RuntimeError, OSError) as error:
        raise SyncError(f"The password could not be kept in the system keyring ({error}); "
                        "sync was not set up.") from error
    old = state.account(ws)
    same = old is not None and (old.calendar_url, old.addressbook_url) == (calendar, book)
    account = old if same and old is not None else state.Account(address, user, calendar, book)
    tasks_token = account.tasks_token if account.tasks_url == tasks else ""
    state.save_account(ws, state.Account(address, user, calendar, book,
                                         account.calendar_token, account.addressbook_token,
                                         account.last_sync_at, account.devices, tasks,
                                         tasks_token))
    result = state.account(ws)
    assert result is not None
    return result


def client_for(ws: Workspace, **limits: Any) -> DavClient:
    """A client for the workspace's account, with the password from the keyring."""
    import keyring
    from keyring.errors import KeyringError

    account = state.account(ws)
    if account is None:
        raise SyncError("Sync is not set up: run `socialdesk sync setup URL --user NAME`.")
    try:
        password = keyring.get_password(SERVICE, _keyring_user(account.user_name,
                                                               account.server_url))
    except (KeyringError, RuntimeError, OSError) as error:
        raise SyncError(f"The system keyring cannot be read ({error}).") from error
    if not password:
        raise SyncError(f"The sync password of {account.user_name} is not in this computer's "
                        "keyring: run `socialdesk sync setup` again.")
    return DavClient(account.server_url, account.user_name, password, **limits)


def this_device(ws: Workspace) -> tuple[str, str]:
    """The id of this computer and workspace (stable, not secret) and the name to show."""
    import hashlib
    import socket

    name = socket.gethostname() or "this computer"
    digest = hashlib.sha256(f"{name}\n{ws.path.resolve()}".encode()).hexdigest()
    return digest[:12], name


def note_device(ws: Workspace, client: DavClient, calendar: str,
                now: str) -> list[dict[str, str]] | None:
    """Note that this computer synced; the computers that did (None when the server cannot)."""
    device_id, name = this_device(ws)
    try:
        if not client.mark_device(calendar, device_id, name, now):
            return None
        return client.devices(calendar)
    except SyncError:  # who else syncs is worth no failed sync
        return None
