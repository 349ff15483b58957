"""A read on a connection of its own beside this one (``store/read_beside.py``).

The planner reads the recalibration this way while it reads the partners: what it reads
must be what this connection would read, errors included.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from socialdesk.store.read_beside import read_beside
from socialdesk.store.workspace import Workspace


def names(ws: Workspace) -> tuple[list[str], str, bool]:
    """The contacts' names, the thread that read them, and whether on a connection of its own."""
    return ([r["name"] for r in ws.conn.execute("SELECT name FROM contacts ORDER BY id")],
            threading.current_thread().name, ws.readonly)


def test_the_read_runs_on_its_own_connection_and_thread(workspace: Workspace) -> None:
    workspace.conn.execute("INSERT INTO contacts (name) VALUES ('Ada'), ('Grace')")
    with read_beside(workspace, names) as answer:
        assert answer() == (["Ada", "Grace"], "read-beside", True)


def test_inside_a_transaction_it_reads_what_this_connection_sees(workspace: Workspace) -> None:
    with workspace.transaction():
        workspace.conn.execute("INSERT INTO contacts (name) VALUES ('Not committed yet')")
        with read_beside(workspace, names) as answer:
            assert answer() == (["Not committed yet"], threading.current_thread().name,
                                False)


def test_a_workspace_in_memory_is_read_here(tmp_path: Path) -> None:
    blank = tmp_path / "blank.sqlite"
    blank.touch()  # an empty file reads as a new workspace, kept in memory
    with Workspace.open_readonly(blank) as ws, read_beside(ws, names) as answer:
        assert answer() == ([], threading.current_thread().name, True)


def test_an_error_of_the_read_is_raised_where_the_answer_is_asked_for(
        workspace: Workspace) -> None:
    def broken(ws: Workspace) -> None:
        ws.conn.execute("SELECT * FROM no_such_table")

    with read_beside(workspace, broken) as answer, \
            pytest.raises(Exception, match="no_such_table"):
        answer()


def test_leaving_the_block_waits_for_the_read_even_unasked(workspace: Workspace) -> None:
    def slow(ws: Workspace) -> None:
        ws.conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                        "WHERE i < 300000) SELECT count(*) FROM n").fetchone()

    with pytest.raises(KeyError), read_beside(workspace, slow):
        raise KeyError("the caller's own error")  # not the read's: it is left out
    assert not any(t.name == "read-beside" for t in threading.enumerate())
