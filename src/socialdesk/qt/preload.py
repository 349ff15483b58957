"""Loading code while the user reads the first view, so that opening the others is quick.

Everything is imported on a thread of its own, big libraries first (numpy: ~100 ms), then
our modules one after another: imported between two events on the GUI thread, each one
froze the window for as long as it took (the views' biggest, 80–90 ms on a quiet
machine; PySide also reads each module's source as it is imported), and the computer's
time zone is looked up once (it loads its data). Opening a view whose
module the thread is importing at that moment waits until that import finished, no longer
than importing it on the GUI thread would have taken. Then ``gc.freeze()`` takes the code
loaded out of later full collections: it lives as long as the app.
"""

from __future__ import annotations

import gc
import importlib
import threading
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer

AFTER_MS, GAP_MS = 1500, 250
LIBRARIES = ("numpy",)


def _import_all(modules: Sequence[str]) -> None:
    for module in modules:
        importlib.import_module(module)
    # The computer's time zone, which the calendar's post editor shows: looking it up
    # imports tzlocal and loads the zone's data, 30–80 ms on the GUI thread otherwise.
    from socialdesk.core.timezones import local_timezone

    local_timezone()


class Preloader(QObject):
    """Imports ``LIBRARIES``, then ``modules``, on a thread; then freezes what was loaded."""

    def __init__(self, modules: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = threading.Thread(
            target=_import_all, args=((*LIBRARIES, *modules),), name="preload", daemon=True)
        self.frozen = False  # True once every module is loaded and the code frozen

    def start(self, after_ms: int = AFTER_MS) -> None:
        """Begin ``after_ms`` from now (the window has shown and settled by then)."""
        QTimer.singleShot(after_ms, self, self._next)

    def _next(self) -> None:
        if self._thread.ident is None:
            self._thread.start()
        if self._thread.is_alive():
            QTimer.singleShot(GAP_MS, self, self._next)
        else:
            gc.freeze()
            self.frozen = True
