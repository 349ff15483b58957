"""File → Export… of the calendar: written on a worker thread, then a summary.

The menu command returns at once (no nested event loop); the summary comes later.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from socialdesk.core.calendar import export as exporting
from socialdesk.qt.main_window import MainWindow
from socialdesk.store import posts


def choose_export(monkeypatch: pytest.MonkeyPatch, choice: str, out: Path) -> list[str]:
    """Answer the export questions with ``choice`` and ``out``; collect what is told."""
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (choice, True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: told.append(a[2]))
    return told


def test_calendar_export_runs_off_the_gui_thread(window: MainWindow, tmp_path: Path, qtbot,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "plan.ics"
    told = choose_export(monkeypatch, "Calendar as iCalendar (.ics) for calendar programs", out)
    threads: list[threading.Thread] = []
    real_export = exporting.export_calendar

    let_go = threading.Event()

    def watched(*args, **kwargs):  # the real export, once let go, noting its thread
        threads.append(threading.current_thread())
        assert let_go.wait(10)
        return real_export(*args, **kwargs)

    monkeypatch.setattr(exporting, "export_calendar", watched)
    window.export_file()  # returns while the export waits on its worker
    assert not told and not out.exists()
    let_go.set()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert threads and threads[0] is not threading.main_thread()
    text = out.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in text
    assert told and told[0].startswith("Wrote ") and str(out) in told[0]
    assert posts.post_count(window.ws) > 0


def test_a_calendar_export_that_cannot_be_written_says_so(
        window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "no such folder" / "plan.csv"
    told = choose_export(monkeypatch, "Calendar as a spreadsheet (.csv)", out)
    window.export_file()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert len(told) == 1 and "no such folder" in told[0]
    assert not out.exists()


def test_the_export_code_is_loaded_off_the_gui_thread(
        window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the export modules took 77–171 ms of the GUI thread on a cold start."""
    import sys

    import socialdesk.core.calendar

    out = tmp_path / "plan.ics"
    told = choose_export(monkeypatch, "Calendar as iCalendar (.ics) for calendar programs", out)
    loaded_on: list[threading.Thread] = []

    class Watch:  # notes which thread imports the export code, then lets Python import it
        def find_spec(self, name: str, path: object = None, target: object = None) -> None:
            if name.startswith("socialdesk.core.calendar.export"):
                loaded_on.append(threading.current_thread())

    for name in [n for n in sys.modules if n.startswith("socialdesk.core.calendar.export")]:
        monkeypatch.delitem(sys.modules, name)  # as at the first export after a start
    monkeypatch.setattr(socialdesk.core.calendar, "export", exporting)  # put back afterwards
    monkeypatch.setattr(sys, "meta_path", [Watch(), *sys.meta_path])
    window.export_file()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert told[0].startswith("Wrote ")
    assert loaded_on and threading.main_thread() not in loaded_on


def test_the_export_dialog_offers_the_last_format_and_filters_by_name(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from socialdesk.qt import transfer

    offered: list[str] = []
    filters: list[str] = []

    def get_item(_parent, _title, _label, items, current, _editable):
        offered.append(items[current])
        return "Calendar as a spreadsheet (.csv)", True

    def get_save_file_name(_parent, _caption, _folder, name_filter):
        filters.append(name_filter)
        return "", ""  # cancelled: nothing written, the format is remembered all the same

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save_file_name)
    transfer.export_dialog(window, window.ws)
    transfer.export_dialog(window, window.ws)
    assert offered == ["Contacts as vCard 4.0 (.vcf) for address books",
                       "Calendar as a spreadsheet (.csv)"]
    assert filters[0] == "CSV (*.csv);;All files (*)"
