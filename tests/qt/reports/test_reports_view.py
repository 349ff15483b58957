"""The Reports view and the Today leverage card on the demo, and the campaign PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QStackedBarSeries
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from socialdesk.core.clock import today
from socialdesk.qt.app import create_application
from socialdesk.qt.main_window import MainWindow
from socialdesk.qt.reports import view as reports_view
from socialdesk.qt.reports.campaign_panel import NO_CAMPAIGN, pdf_name
from socialdesk.qt.reports.charts import week_label, week_tooltip
from socialdesk.qt.reports.figures import ratio_text
from socialdesk.qt.reports.leverage_card import LeverageCard
from socialdesk.qt.reports.view import TAB_CAMPAIGNS, ReportsView
from socialdesk.qt.today import TodayView
from socialdesk.store import reports
from socialdesk.store.report_models import Leverage
from socialdesk.store.workspace import Workspace


@pytest.fixture
def view(window: MainWindow) -> ReportsView:
    shown = window.show_view("reports")
    assert isinstance(shown, ReportsView)
    return shown


def chart_weeks(view: ReportsView) -> tuple[list[str], list[list[float]]]:
    chart = view.chart.chart()
    axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
    bars = next(s for s in chart.series() if isinstance(s, QStackedBarSeries))
    return axis.categories(), [[s.at(i) for i in range(s.count())] for s in bars.barSets()]


def campaigns_tab(view: ReportsView, qtbot) -> None:
    view.tabs.setCurrentIndex(TAB_CAMPAIGNS)
    qtbot.waitUntil(lambda: view.campaign_panel.report is not None)


def test_chart_shows_the_last_twelve_weeks_own_and_through_partners(view: ReportsView) -> None:
    first, last = reports.week_window(today())
    weeks = reports.leverage_by_week(view.ws, first, last)
    labels, (own, partner) = chart_weeks(view)
    assert len(labels) == 12 == len(own) == len(partner)
    assert labels == [week_label(w.first) for w in weeks]
    assert own == [w.own_reach for w in weeks] and partner == [w.partner_reach for w in weeks]
    assert sum(partner) > 0  # the demo's partners shared
    total = Leverage.combined(weeks)
    assert view.ratio.value.text() == ratio_text(total.ratio)
    assert f"{total.partner_reach:,}" in view.through.toolTip()  # exact on hover
    assert view.chart_box.currentIndex() == 0  # the chart, not the empty message
    assert "Week of" in week_tooltip(weeks[-1])


def test_tables_are_filled_right_aligned_and_sortable(view: ReportsView) -> None:
    asked = view.ws.conn.execute("SELECT count(DISTINCT contact_id) FROM asks").fetchone()[0]
    model = view.partner_model
    assert model.rowCount() == asked > 0
    reach = [r.reach for r in model.rows]
    assert reach == sorted(reach, reverse=True)  # who brought the most reach first
    assert model.headerData(7, Qt.Orientation.Horizontal) == "Reach via them"
    top = model.index(0, 7)
    assert model.data(top, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.data(top, Qt.ItemDataRole.ToolTipRole) == f"{model.rows[0].reach:,}"
    view.partner_table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # asked
    asks = [r.asked for r in model.rows]
    assert asks == sorted(asks)
    predictions = view.prediction_model.rows
    assert predictions and all(r.compared for r in predictions)
    dates = [r.scheduled_on for r in predictions]
    assert dates == sorted(dates, reverse=True)  # latest first
    assert "of the prediction" in view.calibration.text()
    campaigns = view.campaign_model.rows
    assert [c.name for c in campaigns][-1] == "No campaign"
    assert sum(c.posts for c in campaigns) == reports.counts(view.ws).posts


def test_campaign_report_and_pdf_export(view: ReportsView, qtbot, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    campaigns_tab(view, qtbot)
    panel = view.campaign_panel
    report = panel.report
    assert report is not None and report.published > 0  # the latest campaign with results
    assert panel.name.text() == report.facts.name
    assert panel.partner_model.rowCount() == len(report.partners) > 0
    labels, _ = chart_weeks(panel)  # type: ignore[arg-type]
    assert len(labels) == len(report.weeks)
    target = tmp_path / "out" / "spring"
    target.parent.mkdir()
    asked: list[str] = []

    def save_as(parent, caption, folder, filters):
        asked.append(Path(folder).name)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    with qtbot.waitSignal(panel.status, timeout=30_000):  # written on a worker
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert asked == [pdf_name(report.facts.name)]
    pdf = target.with_name("spring.pdf")  # ".pdf" added
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 1
    assert re.search(rb"/Subtype\s*/Image", data)  # the chart
    assert f"to {pdf}" in view.window().statusBar().currentMessage()


def test_cancelled_or_failed_export_writes_nothing(view: ReportsView, qtbot, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    campaigns_tab(view, qtbot)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: ("", "")))
    assert view.campaign_panel.export_pdf() is None
    warnings: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda *args: (str(tmp_path / "missing" / "r.pdf"), "")))
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text: warnings.append(text)))
    assert view.campaign_panel.export_pdf() is not None  # written on a worker
    qtbot.waitUntil(lambda: bool(warnings), timeout=30_000)
    assert "cannot write" in warnings[0]
    assert not (tmp_path / "missing").exists()


def test_a_campaigns_report_is_read_on_a_worker(view: ReportsView, qtbot) -> None:
    """The biggest campaign of the huge workspace takes 1.6 s to read."""
    campaigns_tab(view, qtbot)
    panel = view.campaign_panel
    shown = panel.report
    assert shown is not None
    other = next(c for c in view.campaign_model.rows
                 if c.campaign_id not in (None, shown.facts.id))
    view.select_campaign(other.campaign_id)
    assert panel.report is None and not panel.export_button.isEnabled()
    assert panel.body.currentIndex() == 1 and "Reading" in panel.body.message.text()
    qtbot.waitUntil(lambda: panel.report is not None)
    assert panel.report.facts.id == other.campaign_id and panel.name.text() == other.name
    assert panel.body.currentIndex() == 0 and panel.export_button.isEnabled()


def test_posts_without_a_campaign_have_no_report(view: ReportsView, qtbot) -> None:
    campaigns_tab(view, qtbot)
    row = [c.campaign_id for c in view.campaign_model.rows].index(None)
    view.campaign_table.selectRow(row)
    panel = view.campaign_panel
    assert panel.report is None and not panel.export_button.isEnabled()
    assert panel.body.currentIndex() == 1 and panel.body.message.text() == NO_CAMPAIGN


def test_an_empty_workspace_says_what_to_do(qtbot, workspace: Workspace) -> None:
    create_application()
    view = ReportsView(workspace)
    qtbot.addWidget(view)
    view.refresh()
    assert view.chart_box.currentIndex() == 1
    assert "type in its reach" in view.chart_box.message.text()
    assert view.partners.currentIndex() == 1 and "Planner" in view.partners.message.text()
    assert view.predictions.currentIndex() == 1
    assert view.ratio.value.text() == "–"


def test_a_big_workspace_is_read_on_a_worker(qtbot, demo: Workspace,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    create_application()
    monkeypatch.setattr(reports_view, "BACKGROUND_ABOVE", 0)
    view = ReportsView(demo)
    qtbot.addWidget(view)
    view.refresh()
    assert view.overview is None and "Reading" in view.summary.text()
    # the figures arrive, then fill the view a part per event-loop turn
    qtbot.waitUntil(lambda: view.campaign_model.rowCount() > 0, timeout=10_000)
    assert view.partner_model.rowCount() > 0
    assert view.prediction_model.rowCount() > 0
    assert len(chart_weeks(view)[0]) == 12


def test_the_predictions_fill_in_a_part_per_event_loop_turn(
        qtbot, demo: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table, the chart and the summary of predictions: 30–50 ms at once on the huge
    workspace (48,000 posts)."""
    create_application()
    monkeypatch.setattr(reports_view, "BACKGROUND_ABOVE", 0)
    view = ReportsView(demo)
    qtbot.addWidget(view)
    seen: list[tuple[bool, bool, bool]] = []  # what shows, at every turn of the event loop
    watcher = QTimer()
    watcher.setInterval(0)
    watcher.timeout.connect(lambda: seen.append((
        view.prediction_model.rowCount() > 0, bool(view.prediction_chart.posts),
        bool(view.calibration.text()))))
    watcher.start()
    view.refresh()
    qtbot.waitUntil(lambda: bool(view.calibration.text()), timeout=10_000)
    watcher.stop()
    assert (True, False, False) in seen and (True, True, False) in seen


def test_opening_reports_on_a_big_workspace_reads_nothing_whole_on_the_gui_thread(
        qtbot, demo: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deciding to read on a worker counts no further than the threshold: the GUI thread's
    statements on a million contacts would otherwise take ~50 ms."""
    create_application()
    monkeypatch.setattr(reports_view, "BACKGROUND_ABOVE", 3)
    view = ReportsView(demo)
    qtbot.addWidget(view)
    statements: list[str] = []
    demo.conn.set_trace_callback(statements.append)
    try:
        view.refresh()
    finally:
        demo.conn.set_trace_callback(None)
    assert "Reading" in view.summary.text()
    whole = [s for s in statements if "count(" in s and "LIMIT" not in s]
    assert whole == []
    qtbot.waitUntil(lambda: view.campaign_model.rowCount() > 0, timeout=10_000)


def test_today_card_shows_leverage_and_asks_waiting(window: MainWindow, qtbot) -> None:
    today_view = window.show_view("today")
    assert isinstance(today_view, TodayView)
    card = today_view.findChild(LeverageCard)
    assert card is not None and card.isVisible()
    first, last = reports.week_window(today())
    weeks = reports.leverage_by_week(window.ws, first, last)
    total = Leverage.combined(weeks)
    # the card is filled just after the lists, so the window shows sooner
    qtbot.waitUntil(lambda: card.twelve_weeks.value.text() == ratio_text(total.ratio))
    assert card.this_week.value.text() == ratio_text(weeks[-1].ratio)
    waiting = window.ws.conn.execute(
        "SELECT count(*) FROM asks WHERE status IN ('asked', 'agreed')").fetchone()[0]
    assert card.waiting.value.text() == f"{waiting:,}"
    assert card.sparkline.values == [w.ratio for w in weeks]
    assert card.height() < 90  # compact
    assert not card.hint.isVisible()


def test_views_render_at_1280_by_800(window: MainWindow, view: ReportsView, qtbot,
                                     tmp_path: Path) -> None:
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        image = window.grab().toImage()
        assert (image.width(), image.height()) == (1280, 800)


def test_a_campaign_without_results_says_so_on_screen_and_on_paper(
        view: ReportsView, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    campaigns_tab(view, qtbot)
    waiting = next(c for c in view.campaign_model.rows
                   if c.campaign_id is not None and not c.published)
    view.select_campaign(waiting.campaign_id)
    panel = view.campaign_panel
    qtbot.waitUntil(lambda: panel.report is not None and panel.report.facts.name == waiting.name)
    assert panel.chart_box.currentIndex() == 1 and "type in" in panel.chart_box.message.text()
    target = tmp_path / "waiting.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: (str(target), "")))
    with qtbot.waitSignal(panel.status, timeout=30_000):
        assert panel.export_pdf() is not None
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    assert not re.search(rb"/Subtype\s*/Image", data)  # no empty chart on paper


def _direct_figures(ws: Workspace) -> object:
    """The figures as the core and the store give them, in one call each."""
    from dataclasses import replace

    from socialdesk.core.calendar.best_times import read_best_times
    from socialdesk.core.share.asking_hours import asking_hours

    return replace(reports.overview(ws, today()), hours=asking_hours(ws),
                   reach_grid=read_best_times(ws))


def _shown_reports(qtbot, demo: Workspace, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Reports read on the worker, a few rows at a time, in a shown stack with Contacts."""
    from PySide6.QtWidgets import QStackedWidget, QWidget

    from socialdesk.store import columns

    create_application()
    monkeypatch.setattr(reports_view, "BACKGROUND_ABOVE", 0)
    monkeypatch.setattr(columns, "ROWS_PART", 7)  # many parts on the small demo
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    view, contacts = ReportsView(demo), QWidget()
    stack.addWidget(view)
    stack.addWidget(contacts)
    stack.resize(1280, 800)
    stack.show()
    return stack, view, contacts


def test_the_figures_read_in_parts_are_those_of_the_direct_read(
        qtbot, demo: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    _stack, view, _contacts = _shown_reports(qtbot, demo, monkeypatch)
    view.refresh()
    qtbot.waitUntil(lambda: view.campaign_model.rowCount() > 0, timeout=10_000)
    direct = _direct_figures(demo)
    assert view.overview == direct
    assert len(direct.partners) > 7 and len(direct.predictions) > 7  # read in parts
    assert view.partner_model.rows == list(direct.partners)
    assert sorted(view.prediction_model.rows, key=lambda p: p.post_id) == sorted(
        direct.predictions, key=lambda p: p.post_id)
    assert view.campaign_model.rows == list(direct.campaigns)


def test_leaving_reports_mid_read_stops_it_at_its_next_part_and_coming_back_finishes_it(
        qtbot, demo: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The partners' rows are a few hundred ms of Python on the huge workspace: once the
    user left, the read stops between two parts of them, not after every figure."""
    from held_reads import Held

    stack, view, contacts = _shown_reports(qtbot, demo, monkeypatch)
    held = Held()
    held.hold(monkeypatch, reports, "partner_asks", "partners")
    held.count(monkeypatch, reports, "post_results", "predictions")
    calls = held.calls
    view.refresh()
    assert held.reached.wait(10)
    stack.setCurrentWidget(contacts)  # the user leaves while the partners are read
    held.release()
    assert view.job.wait(10_000)
    QApplication.processEvents()
    assert calls == ["partners"] and view.overview is None and view.job.pending

    stack.setCurrentWidget(view)  # back: read again from the start, to the end
    qtbot.waitUntil(lambda: view.campaign_model.rowCount() > 0, timeout=10_000)
    assert calls == ["partners", "partners", "predictions"]
    assert view.overview == _direct_figures(demo)


def test_a_campaign_picked_while_the_first_reads_wait_gets_its_report_first(
        qtbot, demo: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's pick goes ahead of Reports' other reads on the reading thread."""
    import threading

    from socialdesk.qt.workers import LatestJob

    _stack, view, _contacts = _shown_reports(qtbot, demo, monkeypatch)
    view.refresh()
    campaigns_tab(view, qtbot)
    shown = view.campaign_panel.report
    assert shown is not None
    other = next(c for c in view.campaign_model.rows
                 if c.campaign_id not in (None, shown.facts.id))
    order: list[str] = []
    view.job.finished.connect(lambda _r: order.append("figures"))
    view.track_record.job.finished.connect(lambda _r: order.append("track record"))
    view.campaign_panel.job.finished.connect(lambda r: order.append(
        f"campaign {r.facts.id} (figures pending: {view.job.pending})"))
    let_go = threading.Event()
    hold = LatestJob()  # the reading thread busy with another view's read
    hold.start(lambda: let_go.wait(10))
    view.refresh()  # Reports reads its figures and track record again: they wait
    view.select_campaign(other.campaign_id)  # the user picks meanwhile
    let_go.set()
    qtbot.waitUntil(lambda: "figures" in order and "track record" in order, timeout=10_000)
    assert order[0] == f"campaign {other.campaign_id} (figures pending: True)"
    qtbot.waitUntil(lambda: view.campaign_panel.report is not None, timeout=10_000)
    assert view.campaign_panel.report.facts.id == other.campaign_id
