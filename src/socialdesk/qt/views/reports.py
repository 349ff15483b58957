"""Reports: reach per week (own and through partners) and per campaign."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from socialdesk.core.clock import today
from socialdesk.core.formatting import compact, percent, short_date
from socialdesk.qt.table_model import Column, RowTableModel, count_column
from socialdesk.qt.views.base import EmptyState, View, heading, make_table, muted, section_title
from socialdesk.store import reports
from socialdesk.store.models import CampaignSummary, WeekReach
from socialdesk.store.workspace import Workspace

OWN, PARTNER = QColor("#4c78a8"), QColor("#f58518")


class WeekBars(QWidget):
    """Stacked bars per week: own reach below, reach through partners on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.weeks: list[WeekReach] = []
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_weeks(self, weeks: list[WeekReach]) -> None:
        """Show these weeks."""
        self.weeks = weeks
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the bars, week labels and a legend."""
        painter = QPainter(self)
        palette = self.palette()
        metrics = self.fontMetrics()
        label_h = metrics.height() + 4
        top = label_h + 4
        area = QRect(8, top, self.width() - 16, self.height() - top - label_h - 4)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        x = area.left()
        for colour, name in ((OWN, "Own reach"), (PARTNER, "Through partners")):
            painter.fillRect(QRect(x, 4, 12, 12), colour)
            painter.drawText(x + 16, 4 + metrics.ascent(), name)
            x += 16 + metrics.horizontalAdvance(name) + 16
        peak = max((w.own_reach + w.partner_reach for w in self.weeks), default=0)
        if not self.weeks or peak == 0:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter,
                             "No published posts with results in these weeks yet.")
            return
        slot = area.width() / len(self.weeks)
        width = max(4, int(slot * 0.6))
        for i, week in enumerate(self.weeks):
            left = int(area.left() + i * slot + (slot - width) / 2)
            own_h = int(area.height() * week.own_reach / peak)
            partner_h = int(area.height() * week.partner_reach / peak)
            painter.fillRect(QRect(left, area.bottom() - own_h, width, own_h), OWN)
            painter.fillRect(QRect(left, area.bottom() - own_h - partner_h, width, partner_h),
                             PARTNER)
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            label = short_date(week.week_start, today()).split(" ", 1)[1]
            painter.drawText(QRect(int(area.left() + i * slot), area.bottom() + 2, int(slot),
                                   label_h), Qt.AlignmentFlag.AlignCenter, label)


class ReportsView(View):
    """How posts and partners performed."""

    name = "reports"
    title = "Reports"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.bars = WeekBars()
        self.week_summary = muted("")
        self.campaign_model: RowTableModel[CampaignSummary] = RowTableModel([
            Column("Campaign", lambda c: c.campaign, tooltip=lambda c: c.goal,
                   colour=lambda c: c.colour),
            count_column("Posts", lambda c: c.posts),
            count_column("Published", lambda c: c.published),
            count_column("Own reach", lambda c: c.reach),
            count_column("Asks", lambda c: c.asks),
            Column("Shared", lambda c: c.shared / c.asks if c.asks else None,
                   display=percent, numeric=True,
                   tooltip=lambda c: f"{c.shared} of {c.asks} asks shared"),
            count_column("Reach via partners", lambda c: c.partner_reach),
            Column("Goal", lambda c: c.goal),
        ], self)
        table = make_table(self.campaign_model)
        self.campaigns = EmptyState(table, "No posts yet, so nothing to report.")
        self.campaign_table = table
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Reports"))
        layout.addWidget(section_title("Reach of published posts, last 12 weeks"))
        layout.addWidget(self.week_summary)
        layout.addWidget(self.bars, 2)
        layout.addWidget(section_title("Campaigns"))
        layout.addWidget(self.campaigns, 2)

    def refresh(self) -> None:
        """Reload the weekly figures and the campaign table."""
        end = today()
        monday = end - timedelta(days=end.weekday())
        first = monday - timedelta(weeks=11)
        found = {w.week_start: w for w in reports.weekly_reach(
            self.ws, first.isoformat(), end.isoformat())}
        weeks = []
        for i in range(12):
            start = (first + timedelta(weeks=i)).isoformat()
            weeks.append(found.get(start, WeekReach(start, 0, 0, 0)))
        self.bars.set_weeks(weeks)
        own = sum(w.own_reach for w in weeks)
        through = sum(w.partner_reach for w in weeks)
        ratio = f"{through / own:.2f}" if own else "–"
        self.week_summary.setText(
            f"{compact(own)} reached by your own posts, {compact(through)} more through "
            f"partners: a leverage ratio of {ratio}."
        )
        rows = reports.campaign_summaries(self.ws)
        self.campaign_model.set_rows(rows)
        self.campaigns.set_empty(not rows)
        self.campaign_table.resizeColumnsToContents()
        self.campaign_table.setColumnWidth(0, min(self.campaign_table.columnWidth(0), 240))
