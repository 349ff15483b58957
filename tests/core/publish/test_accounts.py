"""Connecting accounts: verified on the (fake) server, the secret only in the keyring."""

from __future__ import annotations

import socket
from pathlib import Path

import keyring
import pytest

from publish_fakes import (
    BLUESKY_DID,
    BLUESKY_HANDLE,
    BLUESKY_PASSWORD,
    MASTODON_TOKEN,
    FakeBluesky,
    FakeMastodon,
)
from socialdesk.core.publish import accounts
from socialdesk.core.publish.web import NotAuthorized, PublishError, RateLimited
from socialdesk.store import publishing
from socialdesk.store.workspace import Workspace


def workspace_bytes(ws: Workspace) -> bytes:
    """Everything SocialDesk wrote beside the workspace: the file, its WAL, its journal."""
    ws.conn.execute("PRAGMA wal_checkpoint(FULL)")
    return b"".join(p.read_bytes() for p in ws.path.parent.glob(f"{ws.path.name}*")
                    if p.is_file())


def folder_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file()
                    and "keyring" not in p.name.lower())


def test_a_mastodon_account_is_verified_and_its_token_kept_only_in_the_keyring(
        workspace: Workspace, mastodon_server: FakeMastodon, fresh_keyring: None,
        isolated_environment: Path) -> None:
    account = accounts.add_mastodon(workspace, mastodon_server.url + "/", MASTODON_TOKEN)
    host = mastodon_server.url.split("://")[1]
    assert (account.network, account.handle, account.display_name, account.remote_id) == (
        "mastodon", f"@hearth@{host}", "Hearth Bakery", "109302418093216254")
    assert account.server == mastodon_server.url
    assert publishing.accounts(workspace) == [account]
    assert accounts.secret_of(account) == MASTODON_TOKEN
    assert MASTODON_TOKEN.encode() not in workspace_bytes(workspace)
    assert MASTODON_TOKEN.encode() not in folder_bytes(isolated_environment / "config")


def test_a_bluesky_account_logs_in_with_its_app_password(
        workspace: Workspace, bluesky_server: FakeBluesky, fresh_keyring: None) -> None:
    account = accounts.add_bluesky(workspace, "@" + BLUESKY_HANDLE, BLUESKY_PASSWORD,
                                   bluesky_server.url)
    assert (account.network, account.handle, account.remote_id) == (
        "bluesky", BLUESKY_HANDLE, BLUESKY_DID)
    assert accounts.secret_of(account) == BLUESKY_PASSWORD
    assert BLUESKY_PASSWORD.encode() not in workspace_bytes(workspace)


def test_a_refused_secret_connects_nothing_and_says_so(
        workspace: Workspace, mastodon_server: FakeMastodon, bluesky_server: FakeBluesky,
        fresh_keyring: None) -> None:
    with pytest.raises(NotAuthorized, match=r"refused the access token \(401: The access "
                       r"token is invalid\)\. Connect the account again"):
        accounts.add_mastodon(workspace, mastodon_server.url, "wrong-token")
    with pytest.raises(NotAuthorized, match=r"refused the app password \(401: Invalid "
                       r"identifier or password\)"):
        accounts.add_bluesky(workspace, BLUESKY_HANDLE, "wrong", bluesky_server.url)
    assert publishing.accounts(workspace) == []


def test_a_rate_limit_says_how_long_to_wait(
        workspace: Workspace, bluesky_server: FakeBluesky, fresh_keyring: None) -> None:
    bluesky_server.refuse_next(429, {"error": "RateLimitExceeded",
                                     "message": "Rate Limit Exceeded"}, {"Retry-After": "120"})
    with pytest.raises(RateLimited, match=r"limiting requests \(429: Rate Limit Exceeded\); "
                       r"try again in 2 minutes") as caught:
        accounts.add_bluesky(workspace, BLUESKY_HANDLE, BLUESKY_PASSWORD, bluesky_server.url)
    assert caught.value.retry_after == 120
    assert publishing.accounts(workspace) == []


def test_no_server_listening_is_a_clear_message(workspace: Workspace,
                                                fresh_keyring: None) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(PublishError, match=rf"Cannot reach 127\.0\.0\.1:{port} .*check the "
                       "address and the network connection"):
        accounts.add_mastodon(workspace, f"http://127.0.0.1:{port}", MASTODON_TOKEN)


@pytest.mark.parametrize(("given", "message"), [
    ("http://mastodon.example", "must start with https://"),
    ("ftp://mastodon.example", "is not a server address"),
    ("https://mastodon.example/api", "give only the server's address"),
    ("https://user:pw@mastodon.example", "give only the server's address"),
    ("https://", "is not a server address"),
    ("https://mastodon.example:99999", "is not a server address"),
])
def test_a_bad_address_is_refused_before_anything_is_sent(
        workspace: Workspace, fresh_keyring: None, given: str, message: str) -> None:
    with pytest.raises(PublishError, match=message):
        accounts.add_mastodon(workspace, given, MASTODON_TOKEN)


def test_addresses_are_https_or_loopback_http() -> None:
    from socialdesk.core.publish.web import server_url

    assert server_url("mastodon.social", "x") == "https://mastodon.social"
    assert server_url("HTTPS://Mastodon.Social/", "x") == "https://mastodon.social"
    assert server_url("http://localhost:3000", "x") == "http://localhost:3000"
    assert server_url("http://[::1]:3000", "x") == "http://[::1]:3000"
    assert server_url("http://127.0.0.2", "x") == "http://127.0.0.2"


def test_removing_an_account_forgets_its_secret_and_keeps_what_it_published(
        workspace: Workspace, mastodon_server: FakeMastodon, fresh_keyring: None) -> None:
    account = accounts.add_mastodon(workspace, mastodon_server.url, MASTODON_TOKEN)
    accounts.remove(workspace, account.id)
    assert publishing.accounts(workspace) == []
    assert keyring.get_password(accounts.SERVICE, accounts.keyring_user(
        "mastodon", account.server, account.remote_id)) is None
    again = accounts.add_mastodon(workspace, mastodon_server.url, MASTODON_TOKEN)
    assert again.id == account.id  # the same row: its publications still count
    with pytest.raises(LookupError):
        accounts.remove(workspace, 999)
