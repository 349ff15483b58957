"""Sync now from the window: on the writer thread, the status bar says what happened."""

from __future__ import annotations

from pathlib import Path

from held_writer import writer_held
from socialdesk.core.sync import engine
from socialdesk.core.sync.account import client_for, setup
from socialdesk.store.workspace import Workspace
from sync_notes import KINDS


def laptops(folder: Path, url: str) -> tuple[Path, Path]:
    """Ann's and Bob's workspaces, both set up to sync with the server at ``url``."""
    paths = folder / "ann.sqlite", folder / "bob.sqlite"
    for path in paths:
        with Workspace.open(path, create=True) as ws:
            setup(ws, url, "team", "secret", name="Corner Bakery")
    return paths


def test_sync_now_brings_the_teams_changes_into_the_open_views(
        qtbot, open_window, tmp_path: Path, dav, fresh_keyring: None) -> None:
    ann_path, bob_path = laptops(tmp_path, dav.url)
    with Workspace.open(ann_path) as ann:
        with ann.transaction():
            KINDS[0].apply(ann, "p1", {"title": "Rye day", "notes": "",
                                       "scheduled_on": "2027-03-01"})
        with client_for(ann) as client:
            engine.sync(ann, client, KINDS)

    window = open_window(bob_path)
    window.syncing.kinds = lambda: list(KINDS)
    assert window.syncing.label.text() == "Not synced yet"
    refreshed = []
    window.views_changed = refreshed.append
    window.syncing.sync_now()
    assert window.syncing.busy  # still running: the window was not held
    qtbot.waitUntil(lambda: not window.syncing.busy, timeout=20_000)
    assert "sent 0, received 1, merged 0, deleted 0" in window.statusBar().currentMessage()
    assert window.syncing.label.text().startswith("Synced ")
    assert [c.kinds for c in refreshed] == [frozenset({"posts"})]
    assert KINDS[0].records(window.ws)["p1"]["title"] == "Rye day"


def test_offline_is_a_status_line_not_a_dialog(
        qtbot, open_window, tmp_path: Path, dav, fresh_keyring: None) -> None:
    _, path = laptops(tmp_path, dav.url)  # Bob's
    dav.stop()
    window = open_window(path)
    window.syncing.kinds = lambda: list(KINDS)
    window.syncing.sync_now()
    qtbot.waitUntil(lambda: not window.syncing.busy, timeout=20_000)
    assert window.statusBar().currentMessage().startswith("Sync: Cannot reach 127.0.0.1:")
    assert window.syncing.label.text() == "Not synced yet"


def test_sync_now_without_setup_says_how(qtbot, open_window, tmp_path: Path) -> None:
    window = open_window(tmp_path / "w.sqlite", create=True)
    window.syncing.sync_now()
    assert not window.syncing.busy
    assert "Sync is not set up" in window.statusBar().currentMessage()
    assert window.syncing.label.text() == ""


def test_the_conflicts_dialog_keeps_theirs_or_mine(
        qtbot, open_window, tmp_path: Path, dav, fresh_keyring: None) -> None:
    ann_path, bob_path = laptops(tmp_path, dav.url)
    with Workspace.open(ann_path) as ann, Workspace.open(bob_path) as bob:
        for ws in (ann, bob):
            if ws is ann:
                with ann.transaction():
                    for uid in ("p1", "p2"):
                        KINDS[0].apply(ann, uid, {"title": uid, "notes": "",
                                                  "scheduled_on": ""})
            with client_for(ws) as client:
                engine.sync(ws, client, KINDS)
        for ws, who in ((ann, "Ann"), (bob, "Bob")):
            with ws.transaction():
                for uid in ("p1", "p2"):
                    KINDS[0].apply(ws, uid, {"title": uid, "notes": f"{who}'s note",
                                             "scheduled_on": ""})
            with client_for(ws) as client:
                engine.sync(ws, client, KINDS)

    window = open_window(bob_path)
    window.syncing.kinds = lambda: list(KINDS)
    window.syncing.show_state()
    assert window.syncing.label.text().endswith('· <a href="conflicts">2 conflicts</a>')
    refreshed = []
    window.views_changed = refreshed.append
    window.syncing.label.linkActivated.emit("conflicts")
    dialog = window.syncing.dialog
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    assert [[table.item(r, c).text() for c in range(4)] for r in range(2)] == [
        ["p1", "notes", "Bob's note", "Ann's note"], ["p2", "notes", "Bob's note", "Ann's note"]]
    dialog.table.selectRow(0)
    dialog.keep_theirs.click()
    assert KINDS[0].records(window.ws)["p1"]["notes"] == "Ann's note"
    assert [c.kinds for c in refreshed] == [frozenset({"posts"})]
    assert table.rowCount() == 1
    dialog.keep_mine.click()  # p2, now the only row, selected
    assert table.rowCount() == 0 and not dialog.keep_mine.isEnabled()
    assert KINDS[0].records(window.ws)["p2"]["notes"] == "Bob's note"
    assert "conflict" not in window.syncing.label.text()
    dialog.close()


def test_automatic_sync_follows_this_computers_interval(
        qtbot, open_window, tmp_path: Path, dav, fresh_keyring: None) -> None:
    from socialdesk.qt.sync.team_page import TeamPage

    _, path = laptops(tmp_path, dav.url)  # Bob's
    window = open_window(path)
    window.syncing.kinds = lambda: list(KINDS)
    page = TeamPage(window.ws)
    qtbot.addWidget(page)
    assert page.every.value() == 5
    page.every.setValue(0)
    assert page.every.text() == "never"
    window.syncing.sync_automatically()
    assert not window.syncing.busy
    assert window.syncing.timer.interval() == 5 * 60 * 1000  # looks again later

    page.every.setValue(15)
    window.syncing.sync_automatically()
    assert window.syncing.busy and window.syncing.timer.interval() == 15 * 60 * 1000
    qtbot.waitUntil(lambda: not window.syncing.busy, timeout=20_000)
    assert window.syncing.label.text().startswith("Synced ")


def test_an_item_waiting_for_what_it_refers_to_is_said_in_the_status_bar(
        qtbot, open_window, tmp_path: Path, dav, fresh_keyring: None) -> None:
    from socialdesk.core.sync.kinds import default_kinds

    ann_path, bob_path = laptops(tmp_path, dav.url)
    with Workspace.open(ann_path) as ann:
        with ann.transaction():  # a partner whose UID no card carries: it never travels
            ann.conn.execute("INSERT INTO posts (uid, title) VALUES ('p1', 'Rye day')")
            ann.conn.execute("INSERT INTO contacts (uid, name) VALUES (?, 'Hand-made')",
                             ("x" * 301,))
            ann.conn.execute("INSERT INTO asks (uid, post_id, contact_id, asked_on) VALUES "
                             "('ask-1', (SELECT id FROM posts), (SELECT id FROM contacts), "
                             "'2027-01-05')")
        with client_for(ann) as client:
            engine.sync(ann, client, default_kinds())

    window = open_window(bob_path)
    window.syncing.kinds = default_kinds
    window.syncing.sync_now()
    qtbot.waitUntil(lambda: not window.syncing.busy, timeout=20_000)
    message = window.statusBar().currentMessage()
    assert "received 1" in message
    assert "1 item(s) of the team wait for what they refer to" in message


def test_the_syncs_own_writes_are_not_taken_for_another_programs(
        qtbot, open_window, tmp_path: Path, dav, fresh_keyring: None) -> None:
    """The view showing is not reloaded whole while a sync writes, nor after one that
    brought nothing (another program's write would reload it)."""
    from PySide6.QtCore import QTimer

    ann_path, bob_path = laptops(tmp_path, dav.url)
    with Workspace.open(ann_path) as ann:
        with ann.transaction():
            for n in range(40):
                KINDS[0].apply(ann, f"p{n}", {"title": f"Post {n}", "notes": "",
                                              "scheduled_on": "2027-03-01"})
        with client_for(ann) as client:
            engine.sync(ann, client, KINDS)
    window = open_window(bob_path)
    window.syncing.kinds = lambda: list(KINDS)
    reloads: list[int] = []
    window.changes.changed = lambda: reloads.append(1)
    looking = QTimer()
    looking.timeout.connect(window.changes.check)  # as its own timer does, only more often
    looking.start(10)
    for _sync in range(2):  # the second brings nothing
        window.syncing.sync_now()
        qtbot.waitUntil(lambda: not window.syncing.busy, timeout=30_000)
        qtbot.wait(50)
    looking.stop()
    assert len(KINDS[0].records(window.ws)) == 40
    assert reloads == []


def test_cancel_stops_a_sync_and_the_next_one_goes_on(
        qtbot, open_window, tmp_path: Path, dav, fresh_keyring: None) -> None:
    ann_path, bob_path = laptops(tmp_path, dav.url)
    with Workspace.open(ann_path) as ann:
        with ann.transaction():
            for uid, title in (("p1", "Rye day"), ("p2", "Spelt day")):
                KINDS[0].apply(ann, uid, {"title": title, "notes": "",
                                          "scheduled_on": "2027-03-01"})
        with client_for(ann) as client:
            engine.sync(ann, client, KINDS)

    window = open_window(bob_path)
    window.syncing.kinds = lambda: list(KINDS)
    with writer_held(qtbot):  # the sync waits for its turn: Cancel comes before any item
        window.syncing.sync_now()
        assert 'href="cancel"' in window.syncing.label.text()
        window.syncing.label.linkActivated.emit("cancel")
        assert window.syncing.label.text() == "Stopping the sync…"
    qtbot.waitUntil(lambda: not window.syncing.busy, timeout=20_000)
    assert window.statusBar().currentMessage() == (
        "Sync: Sync stopped; the next one goes on from there.")
    assert KINDS[0].records(window.ws) == {}
    assert window.syncing.label.text() == "Not synced yet"
    window.syncing.sync_now()  # goes on: each item once
    qtbot.waitUntil(lambda: not window.syncing.busy, timeout=20_000)
    assert "received 2" in window.statusBar().currentMessage()
    assert sorted(r["title"] for r in KINDS[0].records(window.ws).values()) == [
        "Rye day", "Spelt day"]
