"""Reports → Track record: the planner's share chances scored against what partners did.

The figures of :mod:`socialdesk.core.planner.track_record` (Brier score and skill, log
loss, reach bias, the recalibration) as tiles, and the reliability chart: the observed
share rate per tenth of the planned chance, with its 90% Wilson interval, against the
diagonal of a perfectly calibrated forecast. Read on a worker thread when the workspace is
big, as the rest of Reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCharts import QChart, QLineSeries, QScatterSeries
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPalette, QPen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from socialdesk.core.formatting import percent
from socialdesk.core.planner.track_record import Bin, TrackRecord, track_record
from socialdesk.qt.reports.charts import ChartView, _base_chart, _hide_from_legend, compact_axis
from socialdesk.qt.reports.colours import PARTNER, PREDICTED
from socialdesk.qt.reports.tiles import StatTile, tile_row
from socialdesk.qt.view_base import EmptyState, muted
from socialdesk.qt.workers import LatestJob, check_presence
from socialdesk.store.workspace import Workspace

NO_RECORD = ("No forecasts to score yet. Asks created in the Planner keep the chance it gave "
             "the partner to share; once they are answered (shared, declined or no reply), "
             "this shows how well those chances matched what partners did.")
TICKS = [i / 5 for i in range(6)]


def _read(path: Path) -> TrackRecord:
    """Worker: the track record, on its own read-only connection.

    It stops between its steps once the user left Reports and reads again on return.
    """
    with Workspace.open_readonly(path) as ws:
        return track_record(ws, check_presence)


def reliability_chart(bins: Sequence[Bin], palette: QPalette) -> QChart:
    """Observed share rate per tenth of p, with 90% intervals, against the diagonal."""
    chart = _base_chart(palette)
    diagonal = QLineSeries()
    diagonal.setName("As forecast")
    diagonal.setPen(QPen(PREDICTED, 1.5, Qt.PenStyle.DashLine))
    diagonal.append(0, 0)
    diagonal.append(1, 1)
    chart.addSeries(diagonal)
    intervals = []
    bar = QColor(PARTNER)
    bar.setAlpha(150)
    for b in bins:
        middle = (b.p_low + b.p_high) / 2
        line = QLineSeries()
        line.setName("90% interval")
        line.setPen(QPen(bar, 2))
        line.append(QPointF(middle, b.low))
        line.append(QPointF(middle, b.high))
        chart.addSeries(line)
        intervals.append(line)
    points = QScatterSeries()
    points.setName("Shared, per tenth of the forecast")
    points.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeCircle)
    points.setMarkerSize(9)
    points.setColor(PARTNER)
    points.setBorderColor(Qt.GlobalColor.transparent)
    for b in bins:
        points.append(QPointF((b.p_low + b.p_high) / 2, b.rate))
    chart.addSeries(points)
    x_axis = compact_axis(TICKS, palette, "Chance the planner gave", label=_percent_tick)
    y_axis = compact_axis(TICKS, palette, "Share of asks shared", label=_percent_tick)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    for series in (diagonal, *intervals, points):
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
    for line in intervals[1:]:
        _hide_from_legend(chart, line)
    return chart


def _percent_tick(value: float) -> str:
    return f"{value:.0%}"


def bin_tooltip(b: Bin) -> str:
    """A bin's exact figures."""
    return (f"Planned chance {b.p_low:.0%}–{b.p_high:.0%}: {b.shared:,} of {b.asks:,} asks "
            f"shared ({percent(b.rate)}; 90% interval {percent(b.low)}–{percent(b.high)})")


class ReliabilityChartView(ChartView):
    """The reliability chart; each bin's figures in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Reliability: the chance planned against how often partners shared")
        self.bins: list[Bin] = []

    def rebuild(self) -> None:
        """Chart the same bins again."""
        self.set_bins(self.bins)

    def set_bins(self, bins: Sequence[Bin]) -> None:
        """Chart these bins."""
        self.bins = list(bins)
        self.setToolTip("\n".join(bin_tooltip(b) for b in self.bins))
        self.show_chart(reliability_chart(self.bins, self.palette()))


def _number(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


class TrackRecordPanel(QWidget):
    """The track record's figures and reliability chart (or what to do to get one)."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.record: TrackRecord | None = None
        self.job = LatestJob(self)
        self.job.finished.connect(self.show_record)
        self.resolved = StatTile("Resolved asks")
        self.brier = StatTile("Brier score")
        self.log_loss = StatTile("Log loss")
        self.bias = StatTile("Reach of shares")
        self.chart = ReliabilityChartView()
        self.summary = muted("")
        self.calibration = muted("")
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(tile_row([self.resolved, self.brier, self.log_loss, self.bias]))
        layout.addWidget(self.summary)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.calibration)
        self.box = EmptyState(content, NO_RECORD)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.box)

    def refresh(self, background: bool) -> None:
        """Read the track record again (on a worker thread when ``background``)."""
        if background:
            path = self.ws.path
            self.job.start(lambda: _read(path))
        else:
            self.show_record(track_record(self.ws))

    def show_record(self, record: TrackRecord) -> None:
        """Show the figures and the chart."""
        self.record = record
        self.box.set_empty(not record.resolved)
        shared = sum(b.shared for b in record.bins)
        confirmed = record.confirmed_by_visits
        tip = (f"{record.resolved:,} asks answered since the planner kept its forecasts: "
               f"{shared:,} shared")
        note = f"{shared:,} shared"
        if confirmed:
            tip += (f", {confirmed:,} of them confirmed by visits (no answer marked yet, but "
                    "their tracked links brought visits)")
            note += f", {confirmed:,} by visits"
        self.resolved.set_figure(f"{record.resolved:,}", tip, note)
        skill = record.skill
        self.brier.set_figure(
            _number(record.brier),
            f"Mean squared gap between the chance given and what happened (0 is perfect): "
            f"{_number(record.brier, 4)}.\nForecasting the share rate seen so far scores "
            f"{_number(record.brier_base, 4)}; skill 1 − {_number(record.brier, 4)} ÷ "
            f"{_number(record.brier_base, 4)} = {_number(skill, 3)}",
            "" if skill is None else f"skill {skill:+.2f}")
        self.log_loss.set_figure(_number(record.log_loss),
                                 "Mean surprise at the outcomes, −ln of the chance given to "
                                 "what happened (chances kept within 0.1%–99.9%)")
        bias = record.reach_bias
        if bias.mean_log is None:
            self.bias.set_figure("–", "No share with its reach typed in yet")
        else:
            from math import exp

            self.bias.set_figure(
                f"×{exp(bias.mean_log):.2f}",
                f"Over {bias.asks:,} shares with a reach typed in: mean log ratio of the reach "
                f"to the forecast {bias.mean_log:+.3f}, standard deviation "
                f"{_number(bias.sd_log)}", "of the forecast")
        self.summary.setText(
            "Each dot is the share of asks that were shared, for the asks the planner gave a "
            "chance in that tenth; the bar is its 90% interval. Dots on the dashed line: the "
            "planner's chances were right.")
        c = record.calibration
        if c.fitted:
            state = ("the planner uses it" if c.active
                     else "off (Settings → Reach model)")
            self.calibration.setText(
                f"Recalibration from {c.resolved:,} asks: α {c.alpha:+.2f}, β {c.beta:.2f} — "
                f"{state}.")
        else:
            self.calibration.setText(
                f"The planner recalibrates its chances once 30 asks are answered "
                f"({c.resolved:,} so far).")
        self.chart.set_bins(record.bins)
