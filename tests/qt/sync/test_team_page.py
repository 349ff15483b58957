"""Settings → Team: connecting to a sync server from the window."""

from __future__ import annotations

from socialdesk.qt.settings_dialog import PAGES
from socialdesk.qt.sync.team_page import TeamPage
from socialdesk.store import sync as state
from socialdesk.store.workspace import Workspace


def test_team_is_a_settings_page() -> None:
    assert TeamPage in PAGES


def test_connecting_finds_the_collections_on_a_worker(
        qtbot, workspace: Workspace, dav, fresh_keyring: None) -> None:
    page = TeamPage(workspace)
    qtbot.addWidget(page)
    assert page.current.text() == "Not shared: this workspace is on this computer only."

    page.server.setText(dav.url)
    page.user.setText("team")
    page.password.setText("wrong")
    page.connect_button.click()
    assert not page.connect_button.isEnabled()  # the server is asked off the GUI thread
    qtbot.waitUntil(page.connect_button.isEnabled, timeout=10_000)
    assert "refused the user name 'team' or its password (401)" in page.message.text()
    assert state.account(workspace) is None

    page.password.setText("secret")
    page.shared_name.setText("Corner Bakery")
    page.connect_button.click()
    qtbot.waitUntil(page.connect_button.isEnabled, timeout=10_000)
    assert page.message.text() == ("Connected: the next sync shares this workspace as "
                                   "'Corner Bakery'.")
    assert page.current.text().startswith(f"Synced with {dav.url} as team (calendar "
                                          "/team/corner-bakery-calendar/")
    assert page.password.text() == "" and b"secret" not in workspace.path.read_bytes()
