"""Charts (QtCharts): reach per week with the leverage ratio; predicted against realised.

The builders return a plain ``QChart`` so the same chart shows in a view and renders into
the campaign PDF; colours follow the palette handed in (light or dark), axes read 12.4k.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QStackedBarSeries,
)
from PySide6.QtCore import QEvent, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from socialdesk.core.clock import today
from socialdesk.core.formatting import compact, exact
from socialdesk.qt.formatting import day_text
from socialdesk.qt.reports.colours import OWN, PARTNER, PREDICTED, ratio_colour
from socialdesk.store.report_models import Leverage, PostResult


def week_label(iso: str) -> str:
    """A week's Monday as "7 Sep" (in the user's language)."""
    return day_text(iso, weekday=False)


def nice_ticks(peak: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``peak``: 0, 5k, 10k, … (about ``count`` steps)."""
    if peak <= 0:
        return [0.0, 1.0]
    raw = peak / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    steps = math.ceil(peak / step - 1e-9)
    return [i * step for i in range(steps + 1)]


def _axis_colours(axis: QAbstractAxis, palette: QPalette) -> None:
    text = palette.color(QPalette.ColorRole.Text)
    axis.setLabelsColor(text)
    axis.setTitleBrush(text)
    grid = QColor(palette.color(QPalette.ColorRole.Mid))
    grid.setAlpha(90)
    axis.setGridLineColor(grid)
    axis.setLinePenColor(palette.color(QPalette.ColorRole.Mid))


def compact_axis(ticks: Sequence[float], palette: QPalette, title: str = "",
                 label: Callable[[float], str] = compact) -> QCategoryAxis:
    """A value axis labelled at ``ticks`` the way the tables read (0, 5k, 10k)."""
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setRange(ticks[0], ticks[-1])
    axis.setStartValue(ticks[0])
    for value in ticks:
        axis.append(label(value), value)
    if title:
        axis.setTitleText(title)
    _axis_colours(axis, palette)
    return axis


def _base_chart(palette: QPalette) -> QChart:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundVisible(False)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
    chart.legend().setLabelColor(palette.color(QPalette.ColorRole.Text))
    return chart


def _hide_from_legend(chart: QChart, series: QLineSeries) -> None:
    for marker in chart.legend().markers(series):
        marker.setVisible(False)


def leverage_chart(weeks: Sequence[Leverage], palette: QPalette) -> QChart:
    """Stacked bars of own and partner reach per week, and the leverage ratio as a line."""
    chart = _base_chart(palette)
    own, partner = QBarSet("Own reach"), QBarSet("Through partners")
    own.setColor(OWN)
    partner.setColor(PARTNER)
    for bar_set in (own, partner):
        bar_set.setBorderColor(bar_set.color())
    for week in weeks:
        own.append(week.own_reach)
        partner.append(week.partner_reach)
    bars = QStackedBarSeries()
    bars.append(own)
    bars.append(partner)
    bars.setBarWidth(0.6)
    chart.addSeries(bars)

    weeks_axis = QBarCategoryAxis()
    weeks_axis.append([week_label(w.first) for w in weeks])
    weeks_axis.setGridLineVisible(False)
    _axis_colours(weeks_axis, palette)
    if len(weeks) > 16:
        weeks_axis.setLabelsAngle(-60)
    chart.addAxis(weeks_axis, Qt.AlignmentFlag.AlignBottom)
    bars.attachAxis(weeks_axis)
    peak = max((w.own_reach + w.partner_reach for w in weeks), default=0)
    reach_axis = compact_axis(nice_ticks(peak), palette, "People reached")
    chart.addAxis(reach_axis, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(reach_axis)

    ratios = [w.ratio for w in weeks]
    top = max((r for r in ratios if r is not None), default=0.0)
    ratio_axis = compact_axis(nice_ticks(max(top, 1.0), 4), palette,
                              "Leverage ratio (partners ÷ own)", label=lambda v: f"{v:g}")
    ratio_axis.setGridLineVisible(False)
    green = ratio_colour(palette)
    ratio_axis.setLabelsColor(green)
    ratio_axis.setTitleBrush(green)
    chart.addAxis(ratio_axis, Qt.AlignmentFlag.AlignRight)
    # One line per run of weeks that have own reach: a gap where the ratio is undefined.
    runs: list[list[tuple[int, float]]] = [[]]
    for i, ratio in enumerate(ratios):
        if ratio is None:
            runs.append([])
        else:
            runs[-1].append((i, ratio))
    first = True
    for run in (r for r in runs if r):
        line = QLineSeries()
        line.setName("Leverage ratio")
        line.setPen(QPen(green, 2.5))
        line.setPointsVisible(True)
        line.setMarkerSize(7)
        for i, ratio in run:
            line.append(QPointF(i, ratio))
        chart.addSeries(line)
        line.attachAxis(weeks_axis)
        line.attachAxis(ratio_axis)
        if not first:
            _hide_from_legend(chart, line)
        first = False
    return chart


def week_tooltip(week: Leverage) -> str:
    """The exact figures of one week, for a hover tooltip."""
    lines = [
        f"Week of {week_label(week.first)}: {week.posts:,} published posts",
        f"Own reach: {exact(week.own_reach)}",
        f"Through partners: {exact(week.partner_reach)}",
        "Leverage ratio: " + (f"{week.ratio:.2f}" if week.ratio is not None
                              else "– (no own reach typed in)"),
        f"Asks: {week.asks:,}, shared: {week.shared:,}",
    ]
    if week.reach_per_hour is not None:
        lines.append(f"Reach per hour of asking: {exact(round(week.reach_per_hour))}")
    return "\n".join(lines)


def prediction_chart(posts: Sequence[PostResult], palette: QPalette) -> QChart:
    """Each post's predicted against realised reach through partners, and the diagonal."""
    chart = _base_chart(palette)
    points = QScatterSeries()
    points.setName("Posts")
    points.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeCircle)
    points.setMarkerSize(7 if len(posts) < 500 else 4)
    fill = QColor(PARTNER)
    fill.setAlpha(170 if len(posts) < 500 else 90)
    points.setColor(fill)
    points.setBorderColor(Qt.GlobalColor.transparent)
    peak = 0.0
    for post in posts:
        x, y = post.predicted or 0.0, float(post.realised or 0)
        points.append(QPointF(x, y))
        peak = max(peak, x, y)
    ticks = nice_ticks(peak)
    diagonal = QLineSeries()
    diagonal.setName("As predicted")
    pen = QPen(PREDICTED, 1.5, Qt.PenStyle.DashLine)
    diagonal.setPen(pen)
    diagonal.append(0, 0)
    diagonal.append(ticks[-1], ticks[-1])
    chart.addSeries(diagonal)
    chart.addSeries(points)
    x_axis = compact_axis(ticks, palette, "Predicted reach through partners")
    y_axis = compact_axis(ticks, palette, "Realised reach through partners")
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    for series in (diagonal, points):
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
    return chart


class ChartView(QChartView):
    """A chart view that keeps its chart alive, replaces it cleanly and paints smoothly."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.setFrameShape(QChartView.Shape.NoFrame)
        self.setStyleSheet("background: transparent")
        self._chart: QChart | None = None

    def show_chart(self, chart: QChart) -> None:
        """Show ``chart`` instead of the current one (which is deleted)."""
        old = self._chart
        self._chart = chart
        self.setChart(chart)
        if old is not None:
            old.deleteLater()

    def changeEvent(self, event: QEvent) -> None:
        """Redraw in the new colours when the palette changes (light ↔ dark)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._chart is not None:
            self.rebuild()

    def rebuild(self) -> None:
        """Build the chart again from the same data (in subclasses)."""


class LeverageChartView(ChartView):
    """The weekly leverage chart, with each week's exact figures on hover."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Reach by week: your own and through partners")
        self.weeks: list[Leverage] = []

    def rebuild(self) -> None:
        """Chart the same weeks again."""
        self.set_weeks(self.weeks)

    def set_weeks(self, weeks: Sequence[Leverage]) -> None:
        """Chart these weeks."""
        self.weeks = list(weeks)
        chart = leverage_chart(self.weeks, self.palette())
        for series in chart.series():
            if isinstance(series, QStackedBarSeries):
                series.hovered.connect(self._bar_hovered)
            elif isinstance(series, QLineSeries):
                series.hovered.connect(self._point_hovered)
        self.show_chart(chart)

    def _bar_hovered(self, status: bool, index: int, _set: QBarSet) -> None:
        self._tip(status, index)

    def _point_hovered(self, point: QPointF, status: bool) -> None:
        self._tip(status, round(point.x()))

    def _tip(self, status: bool, index: int) -> None:
        if status and 0 <= index < len(self.weeks):
            QToolTip.showText(QCursor.pos(), week_tooltip(self.weeks[index]), self)
        else:
            QToolTip.hideText()


class PredictionChartView(ChartView):
    """Predicted against realised reach per post; hovering a dot names the post."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Predicted against realised reach per post")
        self.posts: list[PostResult] = []

    def rebuild(self) -> None:
        """Chart the same posts again."""
        self.set_posts(self.posts)

    def set_posts(self, posts: Sequence[PostResult]) -> None:
        """Chart these posts (those with compared asks)."""
        self.posts = list(posts)
        chart = prediction_chart(self.posts, self.palette())
        for series in chart.series():
            if isinstance(series, QScatterSeries):
                series.hovered.connect(self._hovered)
        self.show_chart(chart)

    def _hovered(self, point: QPointF, status: bool) -> None:
        if not status:
            QToolTip.hideText()
            return
        near = [p for p in self.posts if math.isclose(p.predicted or 0.0, point.x())
                and math.isclose(float(p.realised or 0), point.y())]
        if near:
            lines = [f"{p.title} ({day_text(p.scheduled_on, today())}): predicted "
                     f"{exact(round(p.predicted or 0))}, realised {exact(p.realised)}"
                     for p in near[:5]]
            if len(near) > 5:
                lines.append(f"and {len(near) - 5} more")
            QToolTip.showText(QCursor.pos(), "\n".join(lines), self)

