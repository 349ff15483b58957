"""Settings → Accounts: connect (checked by the fake server on a worker) and remove."""

from __future__ import annotations

from publish_fakes import (
    BLUESKY_HANDLE,
    BLUESKY_PASSWORD,
    MASTODON_TOKEN,
    FakeBluesky,
    FakeMastodon,
)
from socialdesk.core.publish import accounts
from socialdesk.qt.publish.accounts_page import AccountsPage
from socialdesk.qt.settings_dialog import PAGES
from socialdesk.store import publishing
from socialdesk.store.workspace import Workspace


def choose(page: AccountsPage, network: str, server: str, secret: str, handle: str = "") -> None:
    page.network.setCurrentIndex(page.network.findData(network))
    page.server.setText(server)
    page.handle.setText(handle)
    page.secret.setText(secret)


def test_accounts_are_a_settings_page() -> None:
    assert AccountsPage in PAGES


def test_connecting_checks_the_secret_on_a_worker_and_lists_the_account(
        qtbot, workspace: Workspace, mastodon_server: FakeMastodon, bluesky_server: FakeBluesky,
        fresh_keyring: None) -> None:
    page = AccountsPage(workspace)
    qtbot.addWidget(page)
    assert page.list.count() == 0 and not page.remove_button.isEnabled()

    choose(page, "mastodon", mastodon_server.url, "revoked")
    page.connect_button.click()
    qtbot.waitUntil(lambda: page.connect_button.isEnabled(), timeout=10_000)
    assert "refused the access token (401: The access token is invalid)" in page.message.text()
    assert page.list.count() == 0

    choose(page, "mastodon", mastodon_server.url, MASTODON_TOKEN)
    page.connect_button.click()
    assert not page.connect_button.isEnabled()  # the server is asked off the GUI thread
    qtbot.waitUntil(lambda: page.list.count() == 1, timeout=10_000)
    assert page.list.item(0).text() == (
        f"Mastodon: @hearth@{mastodon_server.url.split('://')[1]} — Hearth Bakery")
    assert page.secret.text() == ""

    choose(page, "bluesky", bluesky_server.url, BLUESKY_PASSWORD, BLUESKY_HANDLE)
    page.connect_button.click()
    qtbot.waitUntil(lambda: page.list.count() == 2, timeout=10_000)
    assert page.list.item(1).text() == f"Bluesky: {BLUESKY_HANDLE}"
    assert MASTODON_TOKEN.encode() not in workspace.path.read_bytes()

    page.list.setCurrentRow(0)
    page.remove_button.click()
    qtbot.waitUntil(lambda: page.list.count() == 1, timeout=10_000)
    assert [a.network for a in publishing.accounts(workspace)] == ["bluesky"]
    assert page.message.text().startswith("Removed @hearth@")
    removed = accounts.keyring_user("mastodon", mastodon_server.url, "109302418093216254")
    import keyring
    assert keyring.get_password(accounts.SERVICE, removed) is None


def test_the_secret_is_asked_for_by_its_name_on_each_network(
        qtbot, workspace: Workspace) -> None:
    page = AccountsPage(workspace)
    qtbot.addWidget(page)
    choose(page, "mastodon", "", "")
    assert (page.secret_caption.text(), page.handle.isEnabled()) == ("Access token:", False)
    choose(page, "bluesky", "", "")
    assert (page.secret_caption.text(), page.handle.isEnabled()) == ("App password:", True)
    assert page.server.placeholderText() == "https://bsky.social"
