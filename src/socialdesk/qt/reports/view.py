"""Reports: leverage per week, partners' answers, predictions checked, campaign reports.

How far partners carried the posts (the leverage ratio per week), who shares when asked,
how the planner's predictions held up (reach, and its share chances: the track record),
which hours of asking bring the most visits, the best weekday and hour to post (own
reach as a heat map), and each campaign's report (exportable as PDF).
The figures are read on a worker thread with its own connection when the workspace is big,
so opening the view never stalls the window; a small workspace is read at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget

from socialdesk.core.calendar.best_times import read_best_times
from socialdesk.core.changes import Changes
from socialdesk.core.clock import today
from socialdesk.core.formatting import compact, exact, percent
from socialdesk.core.share.asking_hours import asking_hours
from socialdesk.qt.contacts.view import show_status
from socialdesk.qt.formatting import day_text
from socialdesk.qt.reports.best_times_panel import BestTimesPanel
from socialdesk.qt.reports.campaign_panel import CampaignPanel
from socialdesk.qt.reports.charts import LeverageChartView, PredictionChartView
from socialdesk.qt.reports.columns import (
    CAMPAIGN_COLUMNS,
    COL_PARTNER_REACH,
    COL_PREDICTION_DATE,
    PARTNER_COLUMNS,
    PREDICTION_COLUMNS,
)
from socialdesk.qt.reports.figures import (
    per_hour_text,
    per_hour_tooltip,
    ratio_text,
    ratio_tooltip,
)
from socialdesk.qt.reports.hours_panel import AskingHoursPanel
from socialdesk.qt.reports.sorting import SortableRowModel
from socialdesk.qt.reports.tiles import StatTile, tile_row
from socialdesk.qt.reports.track_record_panel import TrackRecordPanel
from socialdesk.qt.table_model import RowTableModel
from socialdesk.qt.view_base import EmptyState, View, heading, make_table, muted
from socialdesk.qt.workers import LatestJob, check_presence
from socialdesk.store import reports
from socialdesk.store.report_models import (
    Calibration,
    CampaignRow,
    PartnerAsks,
    PostResult,
    ReportsOverview,
)
from socialdesk.store.workspace import Workspace

BACKGROUND_ABOVE = 4000  # posts + asks; bigger workspaces are read on a worker thread
SCATTER_LIMIT = 1000  # the latest posts in the prediction chart; the table has them all
(TAB_LEVERAGE, TAB_PARTNERS, TAB_PREDICTIONS, TAB_TRACK_RECORD, TAB_HOURS, TAB_BEST_TIMES,
 TAB_CAMPAIGNS) = range(7)
NO_RESULTS = ("No results in the last 12 weeks yet. After a post goes out, mark it published "
              "and type in its reach (Calendar → edit the post → Results); when a partner "
              "shares it, record the share and its reach on the ask (Planner → Asks for this "
              "post).")
NO_ASKS = ("Nobody has been asked to share a post yet. Open a post in the Planner, choose the "
           "partners worth asking, and create the asks: their answers show up here.")
NO_PREDICTIONS = ("No predictions to check yet. Asks created in the Planner carry the reach it "
                  "expected; once they are answered (and a share's reach typed in), this "
                  "compares the prediction with what happened.")


def read_figures(ws: Workspace, day: date) -> ReportsOverview:
    """Every figure of the view: the store's overview, the hours of asking, the best times.

    On the reading thread it stops between them and between their parts once the user
    left the view (seconds each on the huge workspace, a few tens of milliseconds of
    Python between two such points) and reads again when the view shows again.
    """
    overview = reports.overview(ws, day, between=check_presence)
    hours = asking_hours(ws)
    check_presence()
    return replace(overview, hours=hours, reach_grid=read_best_times(ws, check_presence))


def _read(path: Path, day_iso: str) -> ReportsOverview:
    """Worker: every figure of the view, on its own read-only connection."""
    with Workspace.open_readonly(path) as ws:
        return read_figures(ws, date.fromisoformat(day_iso))


def _sorted_table(model: SortableRowModel, column: int, order: Qt.SortOrder,
                  text_column: int) -> QTableView:
    """A sortable table, its text column fitted to at most 220 px."""
    table = make_table(model, sortable=True, widest={text_column: 220})
    table.horizontalHeader().setSortIndicator(column, order)
    table.horizontalHeader().setResizeContentsPrecision(30)  # compact numbers: 30 rows tell
    return table


class ReportsView(View):
    """How posts, partners and campaigns performed."""

    name = "reports"
    title = "Reports"
    # Posts' results, asks per partner and campaign, leverage (own reach, the settings).
    shows = Changes.of("posts", "asks", "campaigns", "channels", "contacts", "audiences",
                       "settings")

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.overview: ReportsOverview | None = None
        self.job = LatestJob(self)
        self.job.finished.connect(self._show_in_steps)
        self.summary = muted("")
        self.ratio = StatTile("Leverage, last 12 weeks")
        self.own = StatTile("Own reach")
        self.through = StatTile("Through partners")
        self.per_hour = StatTile("Reach per hour of asking")
        self.success = StatTile("Asks shared")

        self.chart = LeverageChartView()
        self.chart_box = EmptyState(self.chart, NO_RESULTS)

        self.partner_model: SortableRowModel[PartnerAsks] = SortableRowModel(
            PARTNER_COLUMNS, self)
        self.partner_table = _sorted_table(self.partner_model, COL_PARTNER_REACH,
                                           Qt.SortOrder.DescendingOrder, 0)
        self.partner_table.setAccessibleName("Partners")
        self.partners = EmptyState(self.partner_table, NO_ASKS)

        self.prediction_model: SortableRowModel[PostResult] = SortableRowModel(
            PREDICTION_COLUMNS, self)
        self.prediction_table = _sorted_table(self.prediction_model, COL_PREDICTION_DATE,
                                              Qt.SortOrder.DescendingOrder, 1)
        self.prediction_table.setAccessibleName("Predicted against realised reach")
        self.prediction_chart = PredictionChartView()
        self.calibration = muted("")
        split = QSplitter()
        split.setChildrenCollapsible(False)
        split.addWidget(self.prediction_chart)
        split.addWidget(self.prediction_table)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([420, 730])
        predictions = QWidget()
        predictions_layout = QVBoxLayout(predictions)
        predictions_layout.setContentsMargins(0, 0, 0, 0)
        predictions_layout.addWidget(self.calibration)
        predictions_layout.addWidget(split, 1)
        self.predictions = EmptyState(predictions, NO_PREDICTIONS)

        self.campaign_model: RowTableModel[CampaignRow] = RowTableModel(
            CAMPAIGN_COLUMNS, self)
        self.campaign_table = make_table(self.campaign_model, widest={0: 240})
        self.campaign_table.setAccessibleName("Campaigns")
        self.campaign_table.selectionModel().selectionChanged.connect(self._campaign_picked)
        self.campaign_list = EmptyState(
            self.campaign_table, "No posts yet, so nothing to report. Plan posts in the "
            "Calendar and group them into campaigns.")
        self.campaign_panel = CampaignPanel(ws)
        self.campaign_panel.status.connect(lambda text: show_status(self, text))
        campaigns = QSplitter(Qt.Orientation.Vertical)
        campaigns.setChildrenCollapsible(False)
        campaigns.addWidget(self.campaign_list)
        campaigns.addWidget(self.campaign_panel)
        campaigns.setStretchFactor(0, 1)
        campaigns.setStretchFactor(1, 3)
        rows = self.campaign_table.verticalHeader().defaultSectionSize()
        campaigns.setSizes([rows * 6, rows * 20])

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.chart_box, "Leverage by week")
        self.tabs.addTab(self.partners, "Partners")
        self.tabs.addTab(self.predictions, "Predicted vs realised")
        self.track_record = TrackRecordPanel(ws)
        self.track_record.job.follow(self)  # put off while the user is away from Reports
        self.tabs.addTab(self.track_record, "Track record")
        self.hours = AskingHoursPanel()
        self.tabs.addTab(self.hours, "Hour of asking")
        self.best_times = BestTimesPanel()
        self.tabs.addTab(self.best_times, "Best times")
        self.tabs.addTab(campaigns, "Campaigns")
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Reports"))
        layout.addWidget(self.summary)
        layout.addLayout(tile_row([self.ratio, self.own, self.through, self.per_hour,
                                   self.success]))
        layout.addWidget(self.tabs, 1)

    # --- loading ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload every figure (on a worker thread when the workspace is big)."""
        day = today()
        big = reports.posts_and_asks_above(self.ws, BACKGROUND_ABOVE)  # never counts all
        self.track_record.refresh(background=big)
        if not big:
            self.show_overview(read_figures(self.ws, day))
            return
        self.summary.setText("Reading the figures…")
        path, iso = self.ws.path, day.isoformat()
        self.job.start(lambda: _read(path, iso))

    def _show_in_steps(self, overview: ReportsOverview) -> None:
        """Fill the view from a worker's figures, a part per event-loop turn.

        All at once took 70–120 ms on the large demo: long enough to feel the window stick.
        """
        steps = list(self._overview_steps(overview))

        def next_step() -> None:
            if self.overview is overview and steps:  # a newer read replaces this one
                steps.pop(0)()
                QTimer.singleShot(1, self, next_step)  # 1 ms: zero-time ones can all run at once

        next_step()

    def show_overview(self, overview: ReportsOverview) -> None:
        """Fill the figures, the chart and the tables."""
        for step in self._overview_steps(overview):
            step()

    def _overview_steps(self, overview: ReportsOverview) -> Iterator[Callable[[], None]]:
        self.overview = overview
        yield lambda: self._show_figures(overview)
        yield lambda: self._show_partners(overview)
        # 48,000 posts on the huge workspace: the table, chart and summary each take 7–16 ms
        yield lambda: self._show_prediction_table(overview.predictions)
        yield lambda: self.prediction_chart.set_posts(
            list(overview.predictions[-SCATTER_LIMIT:]))
        yield lambda: self._show_calibration(overview.predictions)
        yield lambda: self.hours.set_hours(overview.hours)
        yield lambda: self.best_times.set_grid(overview.reach_grid)
        yield lambda: self._show_campaigns(overview.campaigns)

    def _show_figures(self, overview: ReportsOverview) -> None:
        totals = overview.totals
        day = today()
        since = day_text(overview.weeks[0].first, day)
        period = f"since {since}"
        self.summary.setText(
            f"Published posts since {since}: {compact(totals.own_reach)} reached by your own "
            f"posts, {compact(totals.partner_reach)} more through partners. Hover over a "
            "figure for the exact numbers.")
        self.ratio.set_figure(ratio_text(totals.ratio), ratio_tooltip(totals, period),
                              "partners ÷ own reach" if totals.ratio is not None else "")
        self.own.set_figure(compact(totals.own_reach),
                            f"{exact(totals.own_reach)} people reached by {totals.posts:,} "
                            f"published posts {period}", f"{totals.posts:,} posts")
        self.through.set_figure(compact(totals.partner_reach),
                                f"{exact(totals.partner_reach)} people reached through "
                                f"partners' shares {period}")
        self.per_hour.set_figure(per_hour_text(totals), per_hour_tooltip(totals, period),
                                 "people" if totals.reach_per_hour is not None else "")
        answered = sum(p.answered for p in overview.partners)
        shared = sum(p.shared for p in overview.partners)
        self.success.set_figure(
            percent(shared / answered if answered else None),
            f"{shared:,} of {answered:,} answered asks were shared (all asks so far)",
            f"{shared:,} of {answered:,}" if answered else "")

        self.chart.set_weeks(overview.weeks)
        self.chart_box.set_empty(totals.empty)

    def _show_partners(self, overview: ReportsOverview) -> None:
        self.partner_model.set_rows(overview.partners)
        self.partners.set_empty(not overview.partners)

    def _show_prediction_table(self, posts: tuple[PostResult, ...]) -> None:
        self.prediction_model.set_rows(posts)
        self.predictions.set_empty(not posts)

    def _show_calibration(self, posts: tuple[PostResult, ...]) -> None:
        summary = Calibration.of(posts)
        if not summary.posts:
            self.calibration.setText("")
            return
        shown = ("" if len(posts) <= SCATTER_LIMIT
                 else f" The chart shows the latest {SCATTER_LIMIT:,} posts.")
        self.calibration.setText(
            f"Over {summary.posts:,} posts ({summary.asks:,} answered asks with a prediction), "
            f"partners reached {compact(summary.realised)} people where the planner expected "
            f"{compact(summary.predicted)}: {percent(summary.accuracy)} of the prediction. "
            f"Dots above the dashed line did better than predicted.{shown}")
        self.calibration.setToolTip(f"Predicted {exact(round(summary.predicted))}, "
                                    f"realised {exact(summary.realised)}")

    def _show_campaigns(self, campaigns: tuple[CampaignRow, ...]) -> None:
        chosen = self.campaign_panel.campaign_id
        self.campaign_model.set_rows(campaigns)
        self.campaign_list.set_empty(not campaigns)
        ids = [c.campaign_id for c in campaigns]
        if chosen is None or chosen not in ids:  # the latest campaign with results
            named = [c for c in campaigns if c.campaign_id is not None]
            best = next((c for c in named if c.published), named[0] if named else None)
            chosen = best.campaign_id if best else None
        if chosen is not None:
            self.select_campaign(chosen)
        else:
            self.campaign_panel.show_campaign(None)

    # --- campaigns --------------------------------------------------------------------

    def select_campaign(self, campaign_id: int) -> None:
        """Pick a campaign in the table, which shows its report."""
        for row, summary in enumerate(self.campaign_model.rows):
            if summary.campaign_id == campaign_id:
                if self.campaign_table.selectionModel().isRowSelected(row):
                    self.campaign_panel.show_campaign(campaign_id)  # reload it
                else:  # shows it (selectRow would do nothing while the table is hidden)
                    self.campaign_table.selectionModel().setCurrentIndex(
                        self.campaign_model.index(row, 0),
                        QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows)
                return

    def _campaign_picked(self, selected: QItemSelection, _old: QItemSelection) -> None:
        rows = {index.row() for index in selected.indexes()}
        if rows:
            self.campaign_panel.show_campaign(self.campaign_model.row_at(min(rows)).campaign_id)
