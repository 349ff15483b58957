"""Reports: the visits tracked links brought, per partner, per campaign and by hour of asking."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCharts import QBarSeries, QLineSeries
from PySide6.QtCore import Qt

from clicks_samples import Partner, two_partners
from socialdesk.core.formatting import compact
from socialdesk.core.share.clicks import import_clicks
from socialdesk.qt.main_window import MainWindow
from socialdesk.qt.reports.hours_panel import hour_tooltip
from socialdesk.qt.reports.pdf import PARTNER_COLUMNS as PDF_PARTNERS
from socialdesk.qt.reports.pdf import key_figures
from socialdesk.qt.reports.view import TAB_CAMPAIGNS, TAB_HOURS, ReportsView


def test_the_partner_table_shows_imported_visits(open_window, demo_path: Path,
                                                 tmp_path: Path, qtbot) -> None:
    from socialdesk.store.workspace import Workspace

    with Workspace.open(demo_path) as ws:
        corner, _ = two_partners(ws)
        export = tmp_path / "clicks.csv"
        export.write_text("date,utm_source,visits\n2026-11-02,corner-cafe,1234\n",
                          encoding="utf-8")
        import_clicks(ws, export)
    window: MainWindow = open_window(demo_path)
    view = window.show_view("reports")
    assert isinstance(view, ReportsView)
    model = view.partner_model
    column = next(c for c in range(model.columnCount())
                  if model.headerData(c, Qt.Orientation.Horizontal) == "Visits")
    shown = {model.rows[r].name: model.index(r, column) for r in range(model.rowCount())}
    assert model.data(shown[corner.name]) == "1.2k"
    assert model.data(shown[corner.name], Qt.ItemDataRole.ToolTipRole) == "1,234"
    assert {model.data(index) for name, index in shown.items() if name != corner.name} == {"0"}


def _visited_demo(demo_path: Path, tmp_path: Path) -> tuple[Partner, Partner, dict[int, int]]:
    """The demo with two partners' visits (1,234 and 56), asked at 07:20 and 15:05 UTC.

    The workspace's zone is Lisbon (UTC+1 on 1 October): hours 8 and 16. Returns the
    partners and the campaign of each one's post.
    """
    from socialdesk.core.settings import update_setting
    from socialdesk.store.workspace import Workspace

    with Workspace.open(demo_path) as ws:
        corner, market = two_partners(ws)
        with ws.transaction():
            for partner, stamp in ((corner, "2026-10-01T07:20:00Z"),
                                   (market, "2026-10-01T15:05:00Z")):
                ws.conn.execute("UPDATE asks SET created_at = ? WHERE id = ?",
                                (stamp, partner.ask))
        update_setting(ws, "timezone", "Europe/Lisbon")
        export = tmp_path / "clicks.csv"
        export.write_text("date,utm_source,visits\n2026-11-02,corner-cafe,1234\n"
                          "2026-11-02,market-hall,56\n", encoding="utf-8")
        import_clicks(ws, export)
        campaigns = {p.post: ws.conn.execute("SELECT campaign_id FROM posts WHERE id = ?",
                                             (p.post,)).fetchone()[0] for p in (corner, market)}
    return corner, market, campaigns


def _reports(open_window, path: Path) -> ReportsView:
    window: MainWindow = open_window(path)
    view = window.show_view("reports")
    assert isinstance(view, ReportsView)
    return view


def test_campaigns_show_the_visits_of_their_asks(open_window, demo_path: Path,
                                                 tmp_path: Path, qtbot) -> None:
    corner, market, campaigns = _visited_demo(demo_path, tmp_path)
    expected: dict[int | None, int] = {}
    for partner, visits in ((corner, 1234), (market, 56)):
        campaign = campaigns[partner.post]
        expected[campaign] = expected.get(campaign, 0) + visits
    view = _reports(open_window, demo_path)
    model = view.campaign_model
    column = next(c for c in range(model.columnCount())
                  if model.headerData(c, Qt.Orientation.Horizontal) == "Visits")
    shown = {model.rows[r].campaign_id: model.data(model.index(r, column),
                                                   Qt.ItemDataRole.ToolTipRole)
             for r in range(model.rowCount())}
    assert {c: shown[c] for c in expected} == {c: f"{v:,}" for c, v in expected.items()}
    assert {v for c, v in shown.items() if c not in expected} <= {"0"}
    campaign = next(c for c in expected if c is not None)
    view.tabs.setCurrentIndex(TAB_CAMPAIGNS)
    view.select_campaign(campaign)
    panel = view.campaign_panel
    qtbot.waitUntil(lambda: panel.report is not None and panel.report.facts.id == campaign)
    assert panel.visits.value.text() == compact(expected[campaign])
    assert f"{expected[campaign]:,} visits" in panel.visits.toolTip()
    top = panel.partner_model
    visits = next(c for c in range(top.columnCount())
                  if top.headerData(c, Qt.Orientation.Horizontal) == "Visits")
    brought = {corner.name: "1,234", market.name: "56"}  # the top ten by reach: maybe listed
    assert all(top.data(top.index(r, visits), Qt.ItemDataRole.ToolTipRole)
               == brought.get(top.rows[r].name, "0") for r in range(top.rowCount()))
    # The campaign's PDF: the same figure among the key figures, and per top partner.
    assert panel.report is not None
    assert ("Visits", f"{expected[campaign]:,}", "through partners' tracked links") in \
        key_figures(panel.report)
    column = next(c for c in PDF_PARTNERS if c.header == "Visits")
    assert [column.value(p) for p in panel.report.partners] == [
        brought.get(p.name, "0") for p in panel.report.partners]


def test_the_hour_of_asking_tab_charts_visits_by_hour_in_the_workspace_zone(
        open_window, demo_path: Path, tmp_path: Path, qtbot) -> None:
    _visited_demo(demo_path, tmp_path)
    view = _reports(open_window, demo_path)
    view.tabs.setCurrentIndex(TAB_HOURS)
    panel = view.hours
    assert panel.body.currentIndex() == 0  # the chart, not the empty message
    chart = panel.chart.chart()
    bars = next(s for s in chart.series() if isinstance(s, QBarSeries))
    per_hour = [bars.barSets()[0].at(i) for i in range(24)]
    assert per_hour[8] == 1234 and per_hour[16] == 56
    assert sum(per_hour) == 1234 + 56
    sixteen = panel.chart.hours[16]
    assert (sixteen.asks, sixteen.visits) == (1, 56)  # the demo asks in the (UTC) morning
    assert hour_tooltip(sixteen) == "Asked 16:00–16:59: 1 ask, 56 visits, 56 per ask"
    points = [(p.x(), p.y()) for s in chart.series() if isinstance(s, QLineSeries)
              for p in s.points()]
    assert (16, 56) in points and (8, 1234 / panel.chart.hours[8].asks) in points
    eight = panel.chart.hours[8].asks
    assert (f"brought 1,290 visits. Asks made 08:00–08:59 brought the most visits per ask "
            f"({1234 / eight:,.0f}, over {eight} asks)") in panel.summary.text()


def test_without_visits_the_hour_tab_explains_itself(open_window, demo_path: Path) -> None:
    view = _reports(open_window, demo_path)
    assert view.hours.body.currentIndex() == 1
    assert "import your web analytics" in view.hours.body.message.text()
