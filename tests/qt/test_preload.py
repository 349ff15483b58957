"""After startup the views' code is loaded in the background, libraries first."""

from __future__ import annotations

import gc
import sys

from socialdesk.qt.app import create_application
from socialdesk.qt.preload import LIBRARIES, Preloader


def _frozen(obj: object) -> bool:
    """Whether ``obj`` sits in the permanent generation (``gc.freeze``), out of collections.

    ``gc.get_objects()`` lists the objects of the collected generations only. (The global
    ``gc.get_freeze_count()`` is no use here: frozen objects of earlier tests are freed at
    any time, so it can go down while this test runs.)
    """
    return not any(o is obj for o in gc.get_objects())


def test_the_modules_load_after_the_libraries_then_leave_full_collections(qtbot) -> None:
    create_application()
    sys.modules.pop("colorsys", None)
    made_at_startup = [object()]  # a tracked object, like the code the app loaded
    assert not _frozen(made_at_startup)
    preloader = Preloader(["colorsys"])

    preloader.start(0)

    qtbot.waitUntil(lambda: "colorsys" in sys.modules, timeout=10_000)
    assert all(library in sys.modules for library in LIBRARIES)
    assert _frozen(made_at_startup)
