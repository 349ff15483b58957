"""One campaign's report: goal, dates, figures, chart, top partners, and "Export PDF…"."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.atomic import ExportCancelled
from socialdesk.core.clock import today
from socialdesk.core.formatting import compact, exact, percent
from socialdesk.qt.icons import palette_icon
from socialdesk.qt.reports.charts import LeverageChartView
from socialdesk.qt.reports.columns import TOP_PARTNER_COLUMNS
from socialdesk.qt.reports.figures import (
    per_hour_text,
    per_hour_tooltip,
    ratio_text,
    ratio_tooltip,
)
from socialdesk.qt.reports.pdf import ReportError, date_span, pdf_chart, write_campaign_pdf
from socialdesk.qt.reports.tiles import StatTile, tile_row
from socialdesk.qt.table_model import RowTableModel
from socialdesk.qt.view_base import EmptyState, heading, make_table, muted, section_title
from socialdesk.qt.workers import PICKED, LatestJob, Progress, Task, start_with_dialog
from socialdesk.store import reports
from socialdesk.store.report_models import CampaignReport, PartnerAsks
from socialdesk.store.workspace import Workspace

PICK = "Pick a campaign in the table above to see its report."
NO_RESULTS = ("No published post of this campaign has results yet. Once posts go out, type in "
              "their reach in the Calendar and record partners' shares on their asks.")
READING = "Reading the campaign's report…"
NO_CAMPAIGN = ("Posts without a campaign have no campaign report. Give posts a campaign in "
               "the Calendar (edit a post → Campaign) to follow them together.")


def visits_tooltip(visits: int) -> str:
    """What a campaign's visits count."""
    if not visits:
        return ("No visits recorded for this campaign's tracked links yet (File → Import… "
                "reads them from your web analytics).")
    return (f"{exact(visits)} visits to your site through the tracked links partners were "
            "asked to share for this campaign's posts")


def pdf_name(campaign: str) -> str:
    """A file name for a campaign's report: "Holiday Pre-orders report.pdf"."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", campaign).strip(" .") or "Campaign"
    return f"{safe} report.pdf"


def read_report(path: Path, campaign_id: int) -> CampaignReport | None:
    """Worker: one campaign's report, on its own read-only connection."""
    with Workspace.open_readonly(path) as ws:
        return reports.campaign_report(ws, campaign_id)


class CampaignPanel(QWidget):
    """The report of the campaign picked in the campaign table."""

    status = Signal(str)  # a message for the status bar

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.report: CampaignReport | None = None
        self.name = heading("")
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() / 1.25)
        self.name.setFont(font)
        self.dates = muted("")
        self.goal = QLabel("")
        self.goal.setWordWrap(True)
        self.export_button = QPushButton("Export PDF…")
        self.export_button.setIcon(
            palette_icon("download", QPalette.ColorRole.ButtonText))
        self.export_button.setToolTip("Save this campaign's report, with its chart and every "
                                      "post, as a PDF (Ctrl+P)")
        self.export_button.clicked.connect(self.export_pdf)
        export = QAction("Export campaign report as PDF…", self)
        export.setShortcut(QKeySequence.StandardKey.Print)
        export.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        export.triggered.connect(self.export_pdf)
        self.addAction(export)

        self.posts = StatTile("Posts")
        self.own = StatTile("Own reach")
        self.through = StatTile("Through partners")
        self.ratio = StatTile("Leverage ratio")
        self.asks = StatTile("Asks shared")
        self.per_hour = StatTile("Reach per hour of asking")
        self.visits = StatTile("Visits")
        self.chart = LeverageChartView()
        self.chart_box = EmptyState(self.chart, NO_RESULTS)
        self.partner_model: RowTableModel[PartnerAsks] = RowTableModel(TOP_PARTNER_COLUMNS, self)
        self.partner_table = make_table(self.partner_model, widest={0: 170})
        self.partner_table.setAccessibleName("The campaign's partners")
        self.partners = EmptyState(
            self.partner_table, "No partner was asked to share this campaign's posts yet. "
            "Open a post in the Planner to choose whom to ask.")
        top = QHBoxLayout()
        top.addWidget(self.name)
        top.addStretch(1)
        top.addWidget(self.export_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(section_title("Top partners"))
        right_layout.addWidget(self.partners)
        split = QSplitter()
        split.setChildrenCollapsible(False)
        split.addWidget(self.chart_box)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 520])
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.dates)
        layout.addWidget(self.goal)
        layout.addLayout(tile_row([self.posts, self.own, self.through, self.ratio, self.asks,
                                   self.per_hour, self.visits]))
        layout.addWidget(split, 1)
        self.body = EmptyState(content, PICK)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.body)
        self.body.set_empty(True)
        self.campaign_id: int | None = None
        self.pending = False
        # The biggest campaign of a huge workspace: 1.6 s. A pick goes ahead of the reads
        # waiting, and is read at the next check_presence of the one running (Reports').
        self.job = LatestJob(self, priority=PICKED)
        self.job.finished.connect(self._show_report)
        self.job.failed.connect(lambda error: self.body.set_empty(
            True, f"The report could not be read: {error}"))

    def showEvent(self, event: QShowEvent) -> None:
        """Read the report picked while the panel was hidden."""
        super().showEvent(event)
        if self.pending:
            self.show_campaign(self.campaign_id)

    def show_campaign(self, campaign_id: int | None) -> None:
        """Show one campaign's report (None: the posts without a campaign, which have none).

        The report is read on a worker ("Reading…" meanwhile); while the panel is hidden,
        when it shows.
        """
        self.campaign_id = campaign_id
        if not self.isVisible():
            self.pending = True
            return
        self.pending = False
        self.report = None
        self.export_button.setEnabled(False)
        if campaign_id is None:
            self.job.cancel()
            self.body.set_empty(True, NO_CAMPAIGN)
            return
        self.body.set_empty(True, READING)
        path = self.ws.path
        self.job.start(lambda: read_report(path, campaign_id))

    def _show_report(self, report: CampaignReport | None) -> None:
        """Fill the panel with a report read on the worker (None: no such campaign)."""
        self.report = report
        self.export_button.setEnabled(report is not None)
        if report is None:
            self.body.set_empty(True, PICK)
            return
        facts, totals = report.facts, report.totals
        self.name.setText(facts.name)
        self.dates.setText(f"{date_span(facts.first, facts.last)} · "
                           f"{len(report.posts):,} posts, {report.published:,} published")
        self.goal.setText(f"Goal: {facts.goal}" if facts.goal else "No goal written down yet "
                          "— add one in the Calendar's campaign editor.")
        self.posts.set_figure(f"{len(report.posts):,}",
                              f"{report.published:,} of {len(report.posts):,} posts published",
                              f"{report.published:,} published")
        self.own.set_figure(compact(totals.own_reach),
                            f"{exact(totals.own_reach)} people reached by the campaign's "
                            "published posts")
        self.through.set_figure(compact(totals.partner_reach),
                                f"{exact(totals.partner_reach)} people reached through "
                                "partners' shares")
        self.ratio.set_figure(ratio_text(totals.ratio), ratio_tooltip(totals, "in this campaign"))
        answered = report.asks - report.waiting
        self.asks.set_figure(
            percent(report.success),
            f"{report.shared:,} of {answered:,} answered asks shared; "
            f"{report.waiting:,} still waiting",
            f"{report.shared:,} of {answered:,}")
        self.per_hour.set_figure(per_hour_text(totals),
                                 per_hour_tooltip(totals, "in this campaign"))
        self.visits.set_figure(compact(report.visits), visits_tooltip(report.visits))
        self.chart.set_weeks(report.weeks)
        self.chart_box.set_empty(totals.empty)
        self.partner_model.set_rows(report.partners)
        self.partners.set_empty(not report.partners)
        self.body.set_empty(False)

    def export_pdf(self) -> Task | None:
        """Ask where to save the report, then write the PDF on a worker; None if not asked.

        A progress dialog counts the pages painted and takes Cancel (nothing is written
        then); the status bar says where the file went, a message box why it could not.
        """
        report = self.report
        if report is None:
            return None
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export campaign report", str(Path(folder) / pdf_name(report.facts.name)),
            "PDF files (*.pdf)")
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        chart = pdf_chart(report)  # a QChart: drawn here, on the GUI thread
        source, made_on = self.ws.path.name, today()

        def work(progress: Progress) -> int:
            return write_campaign_pdf(path, report, chart, source=source, made_on=made_on,
                                      progress=progress)

        def done(pages: int | None, error: BaseException | None) -> None:
            if isinstance(error, ExportCancelled):
                self.status.emit(f"Export cancelled; {path} was not written.")
            elif isinstance(error, ReportError):
                QMessageBox.warning(self, "Cannot export the report", str(error))
            elif error is not None:
                raise error
            else:
                self.status.emit(f"Saved the report of {report.facts.name} to {path} "
                                 f"({pages} page{'s' if pages != 1 else ''}).")

        return start_with_dialog(self, f"Exporting the report of {report.facts.name}…",
                                 work, done)
