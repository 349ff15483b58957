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


OPEN_CALENDAR_AFTER_PRELOAD = """
import sys, threading
from pathlib import Path
from PySide6.QtCore import QEventLoop, QTimer
from socialdesk.qt.app import create_application
from socialdesk.qt.appsettings import app_settings
from socialdesk.qt.main_window import MainWindow
from socialdesk.store.workspace import Workspace

def settle(ms):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()

app = create_application()
window = MainWindow(Workspace.open(Path(sys.argv[1])), app_settings())
window.show()
from socialdesk.qt.preload import Preloader
preloader = window.findChild(Preloader)
for _ in range(600):  # it starts 1.5 s after the window shows, later on a busy machine
    if preloader.frozen:
        break
    settle(100)
assert preloader.frozen, "the preload did not end"
imported = []

class Watch:
    def find_spec(self, name, path=None, target=None):
        if threading.current_thread() is threading.main_thread():
            imported.append(name)

sys.meta_path.insert(0, Watch())
window.show_view("calendar")
settle(300)
print("imported:", imported)
"""


def test_opening_the_calendar_after_the_preload_imports_nothing_on_the_gui_thread(
        demo_path) -> None:
    """The post editor's time zone (tzlocal and the zone's data) took 30–80 ms to load."""
    import subprocess

    done = subprocess.run([sys.executable, "-c", OPEN_CALENDAR_AFTER_PRELOAD, str(demo_path)],
                          capture_output=True, text=True, timeout=120, check=True)
    assert "imported: []" in done.stdout, done.stdout + done.stderr
