"""File → Import… with an analytics export: recognised by content, its period asked, recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
)

from clicks_samples import GA4_SOURCE_MEDIUM, two_partners
from held_writer import writer_held
from socialdesk.qt.formatting import day_text
from socialdesk.qt.share.clicks_import import PeriodDialog
from socialdesk.qt.workers import writing
from socialdesk.store.clicks import visits_per_ask

PLAUSIBLE = "name,visitors,bounce_rate,visit_duration\r\ncorner-cafe,12,0,0\r\ngoogle,40,0,0\r\n"


def choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    told: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    for kind in ("information", "critical"):
        monkeypatch.setattr(QMessageBox, kind,
                            staticmethod(lambda parent, title, text: told.append(text)))
    return told


def answer_period(first: str, last: str | None, seen: list[str]) -> None:
    """Fill in (or cancel, when ``last`` is None) the period dialog once it is open."""
    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PeriodDialog):
            QTimer.singleShot(20, fill)
            return
        seen.append(dialog.findChild(QLabel).text())
        if last is None:
            dialog.reject()
            return
        dialog.first.setDate(QDate.fromString(first, "yyyy-MM-dd"))
        dialog.last.setDate(QDate.fromString(last, "yyyy-MM-dd"))
        dialog.accept()

    QTimer.singleShot(0, fill)


def test_an_export_without_dates_asks_its_period_and_records_visits(
        window, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    corner, _ = two_partners(window.ws)
    export = tmp_path / "utm_sources.csv"  # a .csv: told from contacts by its content
    export.write_bytes(PLAUSIBLE.encode())
    told = choose(monkeypatch, export)
    seen: list[str] = []
    answer_period("2026-11-01", "2026-11-30", seen)
    window.import_file()  # returns at once; the summary shows when the import ended
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert "utm_sources.csv (Plausible) gives visits without dates" in seen[0]
    assert visits_per_ask(window.ws) == {corner.ask: 12}
    assert [tuple(r) for r in window.ws.conn.execute(
        "SELECT first_day, last_day FROM ask_visits")] == [("2026-11-01", "2026-11-30")]
    assert "Recorded 12 visits for 1 ask from utm_sources.csv" in told[0]
    assert "google: 40 visits" in told[0]


def test_cancelling_the_period_imports_nothing(
        window, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    two_partners(window.ws)
    export = tmp_path / "utm_sources.csv"
    export.write_bytes(PLAUSIBLE.encode())
    told = choose(monkeypatch, export)
    seen: list[str] = []
    answer_period("", None, seen)
    window.import_file()
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    qtbot.wait(100)  # an import, had one started, would have begun by now
    assert told == [] and visits_per_ask(window.ws) == {}


def test_an_export_with_its_period_is_imported_without_asking(
        window, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    corner, market = two_partners(window.ws)
    export = tmp_path / "acquisition.csv"
    export.write_text(GA4_SOURCE_MEDIUM, encoding="utf-8")
    told = choose(monkeypatch, export)
    window.import_file()
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert visits_per_ask(window.ws) == {corner.ask: 25, market.ask: 9}
    assert f"{day_text('2026-11-01')} to {day_text('2026-11-30')}" in told[0]


def test_tables_are_told_apart_by_content(tmp_path: Path) -> None:
    from socialdesk.core.share.clicks import is_clicks_export

    contacts = tmp_path / "contacts.csv"
    contacts.write_text("First Name,Last Name,E-mail 1 - Value\nAda,Baker,ada@example.com\n",
                        encoding="utf-8")
    assert not is_clicks_export(contacts)
    export = tmp_path / "clicks.csv"
    export.write_text("date,utm_source,visits\n2026-11-02,corner-cafe,3\n", encoding="utf-8")
    assert is_clicks_export(export)
    notes = tmp_path / "notes.txt"
    notes.write_text("# My notes\nbuy flour, eggs\n", encoding="utf-8")
    assert not is_clicks_export(notes)
    ga4 = tmp_path / "acquisition.csv"
    ga4.write_text(GA4_SOURCE_MEDIUM, encoding="utf-8")
    assert is_clicks_export(ga4)


def test_a_broken_export_is_refused_naming_file_and_line(
        window, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    export = tmp_path / "clicks.csv"
    export.write_text("date,utm_source,visits\n2026-11-02,corner-cafe,3\n2026-11-31,x,1\n",
                      encoding="utf-8")
    told = choose(monkeypatch, export)
    window.import_file()
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert "clicks.csv, line 3" in told[0] and "Nothing was imported" in told[0]
    assert visits_per_ask(window.ws) == {}


def test_cancel_during_the_write_records_nothing(
        window, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    _, market = two_partners(window.ws)
    window.ws.conn.execute(  # figures of the period from an earlier import
        "INSERT INTO ask_visits (ask_id, first_day, last_day, visits, source_file) "
        "VALUES (?, '2026-11-01', '2026-11-30', 3, 'earlier.csv')", (market.ask,))
    export = tmp_path / "acquisition.csv"
    export.write_text(GA4_SOURCE_MEDIUM, encoding="utf-8")
    told = choose(monkeypatch, export)
    with writer_held(qtbot):
        window.import_file()
        qtbot.waitUntil(lambda: writing().under_way() == ["the import of acquisition.csv"],
                        timeout=20_000)
        dialog = next(d for d in window.findChildren(QProgressDialog)
                      if d.labelText() == "Importing acquisition.csv…")
        cancel = dialog.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"
        cancel.click()  # while the write waits for the writer thread
    qtbot.waitUntil(lambda: writing().under_way() == [], timeout=20_000)
    assert told == []  # no summary, no error
    assert visits_per_ask(window.ws) == {market.ask: 3}  # the earlier figures, nothing new
