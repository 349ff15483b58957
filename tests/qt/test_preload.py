"""After startup the views' code is loaded in the background, libraries first."""

from __future__ import annotations

import gc
import sys
import threading

from socialdesk.qt.app import create_application
from socialdesk.qt.preload import LIBRARIES, Preloader


def _frozen(obj: object) -> bool:
    """Whether ``obj`` sits in the permanent generation (``gc.freeze``), out of collections.

    ``gc.get_objects()`` lists the objects of the collected generations only. (The global
    ``gc.get_freeze_count()`` is no use here: frozen objects of earlier tests are freed at
    any time, so it can go down while this test runs.) Call it only while no other thread
    runs Python: the list it returns holds a reference to a tuple another thread is still
    building, and CPython 3.11 then fails that thread's ``tuple(...)`` with SystemError.
    """
    for thread in threading.enumerate():  # an earlier test's window may have started one
        if thread.name == "preload":
            thread.join(timeout=30)
    return not any(o is obj for o in gc.get_objects())


def test_the_modules_load_after_the_libraries_then_leave_full_collections(qtbot) -> None:
    create_application()
    sys.modules.pop("colorsys", None)
    made_at_startup = [object()]  # a tracked object, like the code the app loaded
    assert not _frozen(made_at_startup)
    preloader = Preloader(["colorsys"])

    preloader.start(0)

    qtbot.waitUntil(lambda: preloader.frozen, timeout=10_000)
    assert _frozen(made_at_startup)
    assert "colorsys" in sys.modules
    assert all(library in sys.modules for library in LIBRARIES)


def test_the_views_modules_load_on_a_thread_not_between_two_events(
        qtbot, monkeypatch) -> None:
    """Imported on the GUI thread, each module froze the window while it loaded."""
    create_application()
    loaded_on: list[threading.Thread] = []

    class Watch:  # notes which thread imports the module, then lets Python import it
        def find_spec(self, name: str, path: object = None, target: object = None) -> None:
            if name == "colorsys":
                loaded_on.append(threading.current_thread())

    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    monkeypatch.setattr(sys, "meta_path", [Watch(), *sys.meta_path])
    Preloader(["colorsys"]).start(0)

    qtbot.waitUntil(lambda: "colorsys" in sys.modules, timeout=10_000)
    assert loaded_on and threading.main_thread() not in loaded_on
