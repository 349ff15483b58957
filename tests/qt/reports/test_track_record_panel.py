"""Reports → Track record: the figures and the reliability chart over resolved asks."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtCharts import QLineSeries, QScatterSeries

from socialdesk.core.planner.track_record import track_record
from socialdesk.qt.app import create_application
from socialdesk.qt.reports.track_record_panel import NO_RECORD
from socialdesk.qt.reports.view import TAB_TRACK_RECORD, ReportsView
from socialdesk.store import asks
from socialdesk.store.workspace import Workspace
from visits_table import add_visits


def answered(ws: Workspace, count: int) -> None:
    """``count`` asks with forecasts spread over p, resolved as chance has it."""
    rng = random.Random(5)
    ws.conn.execute("INSERT INTO contacts (id, name) VALUES (1, 'Corner Café')")
    chances = [rng.uniform(0.02, 0.95) for _ in range(count)]
    ids = asks.create_asks(ws, [
        asks.NewAsk(1, None, "2026-01-01",
                    forecast=asks.Forecast(p=p, reach=300.0, x0=0.01, model_version=2))
        for p in chances])
    for ask_id, p in zip(ids, chances, strict=True):
        shared = rng.random() < p
        asks.record_outcome(ws, ask_id, "shared" if shared else "declined",
                            answered_on="2026-01-03", observed_reach=300 if shared else None)


@pytest.fixture
def view(qtbot, workspace: Workspace) -> ReportsView:
    create_application()
    shown = ReportsView(workspace)
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_the_reliability_chart_shows_each_tenth_with_its_interval(
        view: ReportsView, tmp_path: Path) -> None:
    panel = view.track_record
    view.refresh()
    assert panel.box.currentIndex() == 1  # nothing resolved yet: what to do instead
    assert panel.box.message.text() == NO_RECORD
    answered(view.ws, 200)
    view.refresh()
    view.tabs.setCurrentIndex(TAB_TRACK_RECORD)
    record = track_record(view.ws)
    assert panel.box.currentIndex() == 0
    chart = panel.chart.chart()
    (points,) = [s for s in chart.series() if isinstance(s, QScatterSeries)]
    assert [(round(points.at(i).x(), 2), points.at(i).y()) for i in range(points.count())] == [
        (round((b.p_low + b.p_high) / 2, 2), b.rate) for b in record.bins]
    lines = [s for s in chart.series() if isinstance(s, QLineSeries)
             and not isinstance(s, QScatterSeries)]
    diagonal, *intervals = lines
    assert [(diagonal.at(i).x(), diagonal.at(i).y()) for i in range(2)] == [(0, 0), (1, 1)]
    assert [(s.at(0).y(), s.at(1).y()) for s in intervals] == [(b.low, b.high)
                                                                for b in record.bins]
    assert len(record.bins) == 10
    assert panel.resolved.value.text() == "200"
    assert panel.brier.value.text() == f"{record.brier:.3f}"
    assert f"skill {record.skill:+.2f}" == panel.brier.note.text()
    assert "once 30 asks are answered" not in panel.calibration.text()
    assert "the planner uses it" in panel.calibration.text()
    assert panel.bias.value.text() == "×1.01"  # 300 seen where 300 · 0.99 was expected
    png = tmp_path / "track-record.png"
    assert view.grab().save(str(png))
    assert png.stat().st_size > 10_000


def test_a_big_workspace_reads_the_track_record_on_a_worker(
        view: ReportsView, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from socialdesk.qt.reports import view as reports_view

    answered(view.ws, 40)
    monkeypatch.setattr(reports_view, "BACKGROUND_ABOVE", 0)
    panel = view.track_record
    panel.record = None
    view.refresh()
    assert panel.record is None  # not read on the GUI thread
    qtbot.waitUntil(lambda: panel.record is not None, timeout=10_000)
    assert panel.record == track_record(view.ws)
    assert panel.resolved.value.text() == "40"


def test_the_resolved_tile_says_how_many_shares_visits_confirmed(view: ReportsView) -> None:
    answered(view.ws, 20)
    waiting = asks.create_asks(view.ws, [
        asks.NewAsk(1, None, "2026-02-01",
                    forecast=asks.Forecast(p=0.4, reach=300.0, x0=0.01, model_version=2))
        for _ in range(2)])
    add_visits(view.ws, waiting[0], 12)
    view.refresh()
    tile = view.track_record.resolved
    shared = sum(b.shared for b in track_record(view.ws).bins)
    assert tile.value.text() == "21"
    assert tile.note.text() == f"{shared:,} shared, 1 by visits"
    assert "1 of them confirmed by visits" in tile.toolTip()


def _reports_beside_another_view(qtbot, workspace: Workspace):  # type: ignore[no-untyped-def]
    """Reports, with 50 answered asks, shown in a stack beside another view."""
    from PySide6.QtWidgets import QStackedWidget, QWidget

    create_application()
    answered(workspace, 50)
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    reports, other = ReportsView(workspace), QWidget()
    stack.addWidget(reports)
    stack.addWidget(other)
    stack.show()
    qtbot.waitExposed(stack)
    return stack, reports, other


def test_the_track_record_read_waits_while_the_user_is_away_from_reports(
        qtbot, workspace: Workspace) -> None:
    # its tab was never shown, so only leaving the Reports view tells the user left
    stack, reports, other = _reports_beside_another_view(qtbot, workspace)
    panel = reports.track_record
    stack.setCurrentWidget(other)  # the user goes on to another view
    panel.refresh(background=True)
    qtbot.wait(200)
    assert panel.job.pending and panel.record is None
    stack.setCurrentWidget(reports)  # back: the read runs now
    qtbot.waitUntil(lambda: not panel.job.pending, timeout=10_000)
    assert panel.record == track_record(workspace)


def test_leaving_reports_mid_track_record_stops_it_before_the_calibration(
        qtbot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its steps take seconds together on the huge workspace: once the user left, it stops
    at the next, and reads again, to the end, on return."""
    from PySide6.QtWidgets import QApplication

    from held_reads import Held
    from socialdesk.core.planner import track_record as scoring
    from socialdesk.store import track_record as stored

    stack, reports, other = _reports_beside_another_view(qtbot, workspace)
    panel = reports.track_record
    held = Held()
    held.hold(monkeypatch, stored, "resolved_forecasts", "read")
    held.count(monkeypatch, scoring, "calibration", "calibration")
    calls = held.calls
    panel.record = None
    panel.refresh(background=True)
    assert held.reached.wait(10)
    stack.setCurrentWidget(other)  # the user leaves while the forecasts are read
    held.release()
    assert panel.job.wait(10_000)
    QApplication.processEvents()
    assert calls == ["read"] and panel.job.pending and panel.record is None
    stack.setCurrentWidget(reports)  # back: read again, to the end
    qtbot.waitUntil(lambda: not panel.job.pending, timeout=10_000)
    assert calls == ["read", "read", "calibration"]
    monkeypatch.undo()
    assert panel.record == track_record(workspace)
