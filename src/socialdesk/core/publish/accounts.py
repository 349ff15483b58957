"""Connecting own Mastodon and Bluesky accounts: verified on the server, secrets in the keyring.

The workspace keeps what the server verified (network, server address, handle, remote id);
the access token or app password goes only into the OS keyring, under the service
``SocialDesk accounts`` and the user name ``NETWORK SERVER REMOTE_ID`` — never into the
workspace, the settings or a message. An account connected in two workspaces shares its
secret; removing it from one forgets the secret for both.
"""

from __future__ import annotations

import contextlib
from typing import Any

from socialdesk.core.publish.bluesky import DEFAULT_SERVICE, BlueskyAccount
from socialdesk.core.publish.mastodon import MastodonAccount
from socialdesk.core.publish.web import PublishError
from socialdesk.store import publishing
from socialdesk.store.publishing import Account
from socialdesk.store.workspace import Workspace

SERVICE = "SocialDesk accounts"
Client = MastodonAccount | BlueskyAccount


class KeyringUnavailable(PublishError):
    """The OS keyring cannot keep or give the secret."""


def keyring_user(network: str, server: str, remote_id: str) -> str:
    """The keyring's user name for an account's secret."""
    return f"{network} {server} {remote_id}"


def _keep_secret(user: str, secret: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, user, secret)
    except (KeyringError, RuntimeError, OSError) as error:
        raise KeyringUnavailable(
            f"The secret could not be kept in the system keyring ({error}); the account "
            "was not connected.") from error


def secret_of(account: Account) -> str:
    """The account's secret from the keyring; raise :class:`KeyringUnavailable` without one."""
    import keyring
    from keyring.errors import KeyringError

    try:
        secret = keyring.get_password(
            SERVICE, keyring_user(account.network, account.server, account.remote_id))
    except (KeyringError, RuntimeError, OSError) as error:
        raise KeyringUnavailable(f"The system keyring cannot be read ({error}).") from error
    if not secret:
        raise KeyringUnavailable(
            f"The secret of {account.handle} is not in this computer's keyring: connect "
            "the account again (socialdesk accounts add).")
    return secret


def client_for(account: Account, **limits: Any) -> Client:
    """A client for a connected account, with its secret from the keyring."""
    secret = secret_of(account)
    if account.network == "mastodon":
        return MastodonAccount(account.server, secret, **limits)
    return BlueskyAccount(account.server, account.handle, secret, **limits)


def _connect(ws: Workspace, client: Client, secret: str) -> Account:
    try:
        verified = client.verify()
    finally:
        client.close()
    server = client.instance if isinstance(client, MastodonAccount) else client.service
    _keep_secret(keyring_user(client.network, server, verified.remote_id), secret)
    account_id = publishing.save_account(ws, client.network, server, verified.handle,
                                         verified.remote_id, verified.display_name,
                                         verified.profile_url)
    found = publishing.get_account(ws, account_id)
    assert found is not None
    return found


def add_mastodon(ws: Workspace, instance: str, token: str, **limits: Any) -> Account:
    """Verify the token on the instance, keep it in the keyring, keep the account."""
    if not token.strip():
        raise PublishError("The access token is empty.")
    return _connect(ws, MastodonAccount(instance, token.strip(), **limits), token.strip())


def add_bluesky(ws: Workspace, handle: str, password: str, service: str = DEFAULT_SERVICE,
                **limits: Any) -> Account:
    """Log in with the handle and app password, keep the password in the keyring."""
    if not handle.strip().lstrip("@"):
        raise PublishError("The handle is empty.")
    if not password.strip():
        raise PublishError("The app password is empty.")
    return _connect(ws, BlueskyAccount(service, handle, password.strip(), **limits),
                    password.strip())


def remove(ws: Workspace, account_id: int) -> Account:
    """Disconnect the account and forget its secret; raise LookupError if there is none."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    account = publishing.get_account(ws, account_id)
    if account is None:
        raise LookupError(f"There is no connected account {account_id}.")
    publishing.remove_account(ws, account_id)
    # Nothing to forget, or a keyring that cannot be reached: the account is gone anyway.
    with contextlib.suppress(PasswordDeleteError, KeyringError, RuntimeError, OSError):
        keyring.delete_password(
            SERVICE, keyring_user(account.network, account.server, account.remote_id))
    return account


def as_json(account: Account) -> dict[str, Any]:
    """An account for ``--json`` output."""
    return {"id": account.id, "network": account.network, "server": account.server,
            "handle": account.handle, "remote_id": account.remote_id,
            "name": account.display_name, "profile_url": account.profile_url,
            "verified_at": account.verified_at}
