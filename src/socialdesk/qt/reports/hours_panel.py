"""Reports → Hour of asking: the visits partners' tracked links brought, by when asks went out.

Bars: the visits brought by the asks made in each hour of the workspace's day; the line:
visits per ask in that hour (where asks were made). The figures are
:func:`socialdesk.core.share.asking_hours.asking_hours`', read with the rest of Reports.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QLineSeries
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QCursor, QPalette, QPen
from PySide6.QtWidgets import QToolTip, QVBoxLayout, QWidget

from socialdesk.core.formatting import exact
from socialdesk.qt.reports.charts import (
    ChartView,
    _axis_colours,
    _base_chart,
    _hide_from_legend,
    compact_axis,
    nice_ticks,
)
from socialdesk.qt.reports.colours import PARTNER, ratio_colour
from socialdesk.qt.view_base import EmptyState, muted
from socialdesk.store.report_models import AskingHour

NO_VISITS = ("No visits to compare yet. Asks made in the Planner carry the partner's tracked "
             "link; import your web analytics' visits by source (File → Import…) to "
             "see which hours of asking bring the most visits.")


def per_ask_text(value: float | None) -> str:
    """Visits per ask for reading: "38", "2.5", "0.25"; "–" without asks."""
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def hour_tooltip(hour: AskingHour) -> str:
    """One hour's exact figures, for a hover tooltip."""
    asks = f"{hour.asks:,} ask" + ("s" if hour.asks != 1 else "")
    return (f"Asked {hour.hour:02d}:00–{hour.hour:02d}:59: {asks}, "
            f"{exact(hour.visits)} visits, {per_ask_text(hour.visits_per_ask)} per ask")


def asking_hours_chart(hours: Sequence[AskingHour], palette: QPalette) -> QChart:
    """Visits per hour of asking as bars, and visits per ask as a line (right axis)."""
    chart = _base_chart(palette)
    visits = QBarSet("Visits")
    visits.setColor(PARTNER)
    visits.setBorderColor(PARTNER)
    for hour in hours:
        visits.append(hour.visits)
    bars = QBarSeries()
    bars.append(visits)
    bars.setBarWidth(0.7)
    chart.addSeries(bars)
    hour_axis = QBarCategoryAxis()
    hour_axis.append([f"{h.hour:02d}" for h in hours])
    hour_axis.setGridLineVisible(False)
    hour_axis.setTitleText("Hour the ask was made")
    _axis_colours(hour_axis, palette)
    chart.addAxis(hour_axis, Qt.AlignmentFlag.AlignBottom)
    bars.attachAxis(hour_axis)
    visits_axis = compact_axis(nice_ticks(max((h.visits for h in hours), default=0)), palette,
                               "Visits")
    chart.addAxis(visits_axis, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(visits_axis)

    rates = [(i, h.visits_per_ask) for i, h in enumerate(hours)]
    top = max((r for _, r in rates if r is not None), default=0.0)
    green = ratio_colour(palette)
    rate_axis = compact_axis(nice_ticks(max(top, 1.0), 4), palette, "Visits per ask",
                             label=lambda v: f"{v:g}")
    rate_axis.setGridLineVisible(False)
    rate_axis.setLabelsColor(green)
    rate_axis.setTitleBrush(green)
    chart.addAxis(rate_axis, Qt.AlignmentFlag.AlignRight)
    # One line per run of hours with asks: a gap where none were made.
    runs: list[list[tuple[int, float]]] = [[]]
    for i, rate in rates:
        if rate is None:
            runs.append([])
        else:
            runs[-1].append((i, rate))
    first = True
    for run in (r for r in runs if r):
        line = QLineSeries()
        line.setName("Visits per ask")
        line.setPen(QPen(green, 2.5))
        line.setPointsVisible(True)
        line.setMarkerSize(7)
        for i, rate in run:
            line.append(QPointF(i, rate))
        chart.addSeries(line)
        line.attachAxis(hour_axis)
        line.attachAxis(rate_axis)
        if not first:
            _hide_from_legend(chart, line)
        first = False
    return chart


class AskingHoursChartView(ChartView):
    """The hour-of-asking chart, with each hour's exact figures on hover."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Visits by the hour of asking")
        self.hours: list[AskingHour] = []

    def rebuild(self) -> None:
        """Chart the same hours again."""
        self.set_hours(self.hours)

    def set_hours(self, hours: Sequence[AskingHour]) -> None:
        """Chart these hours (all 24, midnight first)."""
        self.hours = list(hours)
        chart = asking_hours_chart(self.hours, self.palette())
        for series in chart.series():
            if isinstance(series, QBarSeries):
                series.hovered.connect(lambda status, index, _set: self._tip(status, index))
            elif isinstance(series, QLineSeries):
                series.hovered.connect(lambda point, status: self._tip(status, round(point.x())))
        self.show_chart(chart)

    def _tip(self, status: bool, index: int) -> None:
        if status and 0 <= index < len(self.hours):
            QToolTip.showText(QCursor.pos(), hour_tooltip(self.hours[index]), self)
        else:
            QToolTip.hideText()


def hours_summary(hours: Sequence[AskingHour]) -> str:
    """A sentence on the best hour to ask and what the figures count."""
    asks = sum(h.asks for h in hours)
    visits = sum(h.visits for h in hours)
    best = max((h for h in hours if h.asks), key=lambda h: h.visits_per_ask or 0.0,
               default=None)
    lead = (f"{asks:,} asks for posts with a link brought {exact(visits)} visits. "
            if asks else "")
    if best is None or not visits:
        return lead
    return (f"{lead}Asks made {best.hour:02d}:00–{best.hour:02d}:59 brought the most visits "
            f"per ask ({per_ask_text(best.visits_per_ask)}, over {best.asks:,} asks). "
            "Hours are in the workspace's time zone; asks recorded on another day than "
            "their ask date are left out.")


class AskingHoursPanel(QWidget):
    """The hour-of-asking tab: a sentence and the chart (an explanation while empty)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = muted("")
        self.summary.setWordWrap(True)
        self.chart = AskingHoursChartView()
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart, 1)
        self.body = EmptyState(content, NO_VISITS)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.body)
        self.body.set_empty(True)

    def set_hours(self, hours: Sequence[AskingHour]) -> None:
        """Show these hours; the explanation when no ask brought a visit."""
        self.summary.setText(hours_summary(hours))
        self.chart.set_hours(hours)
        self.body.set_empty(not any(h.visits for h in hours))
