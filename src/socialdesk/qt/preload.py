"""Loading code while the user reads the first view, so that opening the others is quick.

Big libraries (numpy: ~100 ms) are imported on a thread of their own: imported between
two events they would freeze the window for that long. Our modules follow, one per idle
moment on the GUI thread, once that thread is done (importing a module it is still
importing would block the GUI thread until it finished). Then ``gc.freeze()`` takes the
code loaded out of later full collections: it lives as long as the app.
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


class Preloader(QObject):
    """Imports ``LIBRARIES`` on a thread, then ``modules`` one per idle tick."""

    def __init__(self, modules: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._modules = list(modules)
        self._libraries = threading.Thread(
            target=_import_all, args=(LIBRARIES,), name="preload", daemon=True)

    def start(self, after_ms: int = AFTER_MS) -> None:
        """Begin ``after_ms`` from now (the window has shown and settled by then)."""
        QTimer.singleShot(after_ms, self, self._next)

    def _next(self) -> None:
        if self._libraries.ident is None:
            self._libraries.start()
        if self._libraries.is_alive():
            QTimer.singleShot(GAP_MS, self, self._next)
        elif self._modules:
            importlib.import_module(self._modules.pop(0))
            if self._modules:
                QTimer.singleShot(GAP_MS, self, self._next)
            else:
                gc.freeze()
