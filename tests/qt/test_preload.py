"""After startup the views' code is loaded in the background, libraries first."""

from __future__ import annotations

import sys

from socialdesk.qt.app import create_application
from socialdesk.qt.preload import LIBRARIES, Preloader


def test_the_modules_load_after_the_libraries_then_leave_full_collections(qtbot) -> None:
    import gc

    create_application()
    sys.modules.pop("colorsys", None)
    frozen_before = gc.get_freeze_count()
    preloader = Preloader(["colorsys"])

    preloader.start(0)

    qtbot.waitUntil(lambda: "colorsys" in sys.modules, timeout=10_000)
    assert all(library in sys.modules for library in LIBRARIES)
    assert gc.get_freeze_count() > frozen_before
