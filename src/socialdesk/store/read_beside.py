"""A read on a connection of its own, on a thread of its own, beside one on this connection."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from socialdesk.store.errors import WorkspaceError
from socialdesk.store.workspace import Workspace

T = TypeVar("T")


@contextlib.contextmanager
def read_beside(ws: Workspace, work: Callable[[Workspace], T]) -> Iterator[Callable[[], T]]:
    """Start ``work`` on a read-only connection of its own, on a thread of its own.

    Gives a function that waits for its answer (or raises its error). SQLite works with
    the interpreter lock released, so on two cores a read runs beside one on ``ws``'s
    connection (the planner's recalibration beside its partners: a quarter of a second
    sooner on the huge workspace). Leaving the block waits for the read, answer asked
    for or not, so it never runs on after its caller (the read's own error is left out
    when the block ends in one of its own). A workspace in memory, or in a transaction on
    ``ws``'s connection (whose changes another one would not see), or a file that cannot
    be opened again: ``work`` runs on ``ws`` when its answer is asked for.
    """
    file = ws.conn.execute("PRAGMA database_list").fetchone()["file"]
    if ws.closed or not file or ws.conn.in_transaction:
        yield lambda: work(ws)
        return
    found: dict[str, Any] = {}

    def run() -> None:
        try:
            other = Workspace.open_readonly(file)
        except (WorkspaceError, sqlite3.Error, OSError):
            return  # run on ws instead
        try:
            found["answer"] = work(other)
        except BaseException as error:  # raised where the answer is asked for
            found["error"] = error
        finally:
            other.close()

    thread = threading.Thread(target=run, name="read-beside", daemon=True)
    thread.start()

    def answer() -> T:
        thread.join()
        if "error" in found:
            raise found["error"]
        return found["answer"] if "answer" in found else work(ws)

    try:
        yield answer
    finally:
        thread.join()
