"""Reading the contacts' order for a sort key on their own worker lane (:func:`order_pool`).

:func:`read_order_for` runs there at a lower priority than the GUI thread and hands the
order (which also counts the contacts) to the model through an :class:`OrderCourier`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QThread, QThreadPool, Signal

from socialdesk.qt.workers import Task, lane
from socialdesk.store.contact_search import Ranked, Version, read_order
from socialdesk.store.errors import WorkspaceError


def order_pool() -> QThreadPool:
    """The contacts' own worker thread (the shared pool may be busy with long checks)."""
    return lane("contacts order")


WORKER_NICENESS = 10  # a worker thread gives way to the GUI thread when they compete


def yield_to_gui_thread() -> None:
    """Lower the calling thread's scheduling priority (Linux: per-thread niceness)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):  # lowering a thread's own priority needs no rights
            current = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(),
                           max(current, WORKER_NICENESS))
    else:
        QThread.currentThread().setPriority(QThread.Priority.LowPriority)


class OrderCourier(Task):
    """Carries sort orders read on a worker thread to the GUI thread."""

    arrived = Signal(str, bool, object, object)  # sort, descending, version, order or None


def read_order_for(path: Path, sort: str, descending: bool, version: Version,
                   courier: OrderCourier) -> None:
    """Worker: read every contact id in one sort order and hand it over (None: unreadable)."""
    yield_to_gui_thread()
    try:
        order: Ranked | None = read_order(path, sort, descending)
    except (WorkspaceError, sqlite3.Error):
        order = None  # the GUI thread reads it itself (and reports any damage)
    with contextlib.suppress(RuntimeError):  # the model has gone: nobody to tell
        courier.arrived.emit(sort, descending, version, order)
