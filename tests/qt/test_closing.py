"""Closing the window: what its views put off to later turns finds nothing to run on.

The views build, measure and read a step per turn of the event loop, and read on a
worker; after the window closed its workspace none of that may reach the closed file
(an exception in the event loop, or a crash when it is raised inside a Qt call).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from socialdesk.core.backup import create as backup
from socialdesk.qt.workers import reads_pool
from socialdesk.store.workspace import Workspace

VIEW_NAMES = ("today", "calendar", "contacts", "partners", "planner", "reports")


@pytest.fixture
def backed_up(demo_path: Path) -> Path:
    """The small demo, backed up: a window closing on it unchanged closes at once."""
    ws = Workspace.open(demo_path)
    backup.make_backup(ws)
    ws.close()
    return demo_path


def _run_put_off_work(qtbot) -> None:
    """Let the event loop turn until every step the views put off would have run."""
    for _ in range(3):
        qtbot.wait(300)
        reads_pool().waitForDone(10_000)


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_closing_at_once_after_showing_a_view_runs_nothing_on_the_closed_file(
        qtbot, open_window, backed_up, name):
    window = open_window(backed_up)
    window.show_view(name)  # its building, fitting and reading under way
    window.close()
    assert not window.isVisible() and window.ws.closed  # no backup to wait for
    _run_put_off_work(qtbot)  # pytest-qt fails the test if an exception reaches Qt


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_closing_after_the_backup_on_close_runs_nothing_on_the_closed_file(
        qtbot, window, close_window, name):
    window.show_view(name)
    close_window(window)  # backs up on a worker, then closes
    assert window.ws.closed
    _run_put_off_work(qtbot)


def test_a_read_answering_after_the_window_closed_is_not_heard(
        qtbot, open_window, backed_up, monkeypatch: pytest.MonkeyPatch):
    """Reports reads on its worker while the window closes; the answer lands on nothing."""
    from held_reads import Held
    from socialdesk.qt.reports import view as reports_view
    from socialdesk.store import reports

    monkeypatch.setattr(reports_view, "BACKGROUND_ABOVE", 0)  # read as on a big workspace
    held = Held()
    held.hold(monkeypatch, reports, "partner_asks", "partners")
    window = open_window(backed_up)
    window.show_view("reports")
    assert held.reached.wait(10)  # the read is under way on its thread
    window.close()
    assert not window.isVisible() and window.ws.closed
    held.release()  # it goes on, on the closed file, and answers
    _run_put_off_work(qtbot)
    assert held.calls == ["partners"]  # not read again


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_opening_another_workspace_runs_nothing_on_the_one_closed(
        qtbot, open_window, backed_up, tmp_path: Path, name):
    other = tmp_path / "other.sqlite"
    shutil.copyfile(backed_up, other)
    window = open_window(backed_up)
    window.show_view(name)
    first = window.ws
    window.set_workspace(Workspace.open(other))  # what opening a file ends with
    assert first.closed
    _run_put_off_work(qtbot)
    assert window.ws.path == other and window.current_view_name() == name
