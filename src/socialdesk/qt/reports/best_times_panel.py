"""Reports → Best times: the business's own reach by weekday × hour, as a heat map.

Each cell is one hour of one weekday (the workspace's time zone); the deeper its colour,
the more people the posts that went out then reached on average. The best cells (see
:mod:`socialdesk.core.calendar.best_times`) are outlined and named below. Until
:data:`~socialdesk.core.calendar.best_times.MIN_POSTS` posts have results, the panel says
how many there are instead. The grid is read with the rest of Reports (on a worker when
the workspace is big).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QVBoxLayout, QWidget

from socialdesk.core.calendar.best_times import (
    WEEKDAYS,
    describe_cell,
    enough,
    not_enough_text,
    ranked,
)
from socialdesk.qt.reports.colours import OWN
from socialdesk.qt.view_base import EmptyState, muted
from socialdesk.store.report_models import ReachGrid

SHOWN_BEST = 3  # cells outlined and named


def _mix(low: QColor, high: QColor, share: float) -> QColor:
    def part(a: int, b: int) -> int:
        return round(a + (b - a) * share)

    return QColor(part(low.red(), high.red()), part(low.green(), high.green()),
                  part(low.blue(), high.blue()))


def heat_colours(palette: QPalette) -> tuple[QColor, QColor, QColor]:
    """(no posts, lowest reach, highest reach) colours that read on the palette."""
    base = palette.color(QPalette.ColorRole.Base)
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    high = QColor("#8fb8e8") if dark else OWN
    empty = _mix(base, palette.color(QPalette.ColorRole.WindowText), 0.04)
    return empty, _mix(base, high, 0.2), high


class ReachHeatMap(QWidget):
    """Seven rows (Monday first) of 24 hour cells, coloured by average reach."""

    LEFT = 84  # the weekday names
    TOP = 20  # the hours
    LEGEND = 28  # the colour scale under the grid
    MAX_CELL = 44  # the tallest a cell gets

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = ReachGrid()
        self.best: list[tuple[int, int]] = []
        self.setMouseTracking(True)
        self.setMinimumSize(self.LEFT + 24 * 14, self.TOP + 7 * 14 + self.LEGEND)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def sizeHint(self) -> QSize:
        """Room for cells of about 32 pixels."""
        return QSize(self.LEFT + 24 * 32, self.heightForWidth(self.LEFT + 24 * 32))

    def hasHeightForWidth(self) -> bool:
        """The cells' height follows their width."""
        return True

    def heightForWidth(self, width: int) -> int:
        """Seven rows of cells a little taller than wide, the hours and the scale."""
        return self.TOP + round(7 * self._cell_height(width)) + self.LEGEND

    def _cell_height(self, width: int) -> float:
        return min((width - self.LEFT - 1) / 24 * 1.2, self.MAX_CELL)

    def set_grid(self, grid: ReachGrid) -> None:
        """Show ``grid``; its best cells are outlined."""
        self.grid = grid
        self.best = ranked(grid)[:SHOWN_BEST] if enough(grid) else []
        self.update()

    def cell_rect(self, weekday: int, hour: int) -> QRectF:
        """Where a cell is drawn."""
        width = (self.width() - self.LEFT - 1) / 24
        height = min((self.height() - self.TOP - self.LEGEND) / 7,
                     self._cell_height(self.width()))
        return QRectF(self.LEFT + hour * width, self.TOP + weekday * height, width, height)

    def cell_at(self, point: QPoint) -> tuple[int, int] | None:
        """The (weekday, hour) under ``point``, or None."""
        for weekday in range(7):
            for hour in range(24):
                if self.cell_rect(weekday, hour).contains(point.toPointF()):
                    return weekday, hour
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        """The hours on top, the weekdays on the left, a coloured cell per hour."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        empty, low, high = heat_colours(palette)
        averages = [self.grid.average(d, h) for d in range(7) for h in range(24)]
        values = [v for v in averages if v is not None]
        least, most = (min(values), max(values)) if values else (0.0, 0.0)
        painter.setPen(text)
        for hour in range(0, 24, 3):
            rect = self.cell_rect(0, hour)
            painter.drawText(QRectF(rect.left(), 0, rect.width() * 3, self.TOP - 2),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                             f"{hour:02d}:00")
        for weekday in range(7):
            rect = self.cell_rect(weekday, 0)
            painter.setPen(text)
            painter.drawText(QRectF(0, rect.top(), self.LEFT - 8, rect.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             WEEKDAYS[weekday])
            for hour in range(24):
                cell = self.cell_rect(weekday, hour).adjusted(1, 1, -1, -1)
                average = averages[weekday * 24 + hour]
                if average is None:
                    colour = empty
                else:
                    share = (average - least) / (most - least) if most > least else 1.0
                    colour = _mix(low, high, share)
                painter.fillRect(cell, colour)
        pen = QPen(text, 2.5)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for weekday, hour in self.best:
            painter.drawRect(self.cell_rect(weekday, hour).adjusted(1, 1, -1, -1))
        if values:
            self._paint_scale(painter, text, empty, low, high, least, most)
        painter.end()

    def _paint_scale(self, painter: QPainter, text: QColor, empty: QColor, low: QColor,
                     high: QColor, least: float, most: float) -> None:
        """Under the grid: the colour of no posts, then lowest to highest average reach."""
        size = 14.0
        top = self.cell_rect(6, 0).bottom() + 8
        metrics = painter.fontMetrics()
        painter.setPen(text)
        x = float(self.LEFT)

        def label(words: str) -> None:
            nonlocal x
            width = metrics.horizontalAdvance(words) + 2
            painter.drawText(QRectF(x, top - 2, width, size + 4),
                             Qt.AlignmentFlag.AlignVCenter, words)
            x += width + 16

        painter.fillRect(QRectF(x, top, size, size), empty)
        x += size + 6
        label("no post")
        steps = 8
        for step in range(steps):
            painter.fillRect(QRectF(x + step * size, top, size - 1, size),
                             _mix(low, high, step / (steps - 1)))
        x += steps * size + 6
        label(f"average reach {least:,.0f} to {most:,.0f}")

    def event(self, event: QEvent) -> bool:
        """A cell's exact figures on hover."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(event.pos())
            if cell is not None:
                text = describe_cell(self.grid, *cell) if self.grid.posts[cell[0]][cell[1]] \
                    else f"{WEEKDAYS[cell[0]]}s {cell[1]:02d}:00: no published post with results"
                QToolTip.showText(event.globalPos(), text, self, QRect())
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class BestTimesPanel(EmptyState):
    """The heat map and the best hours, or how many more posts it needs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.heat_map = ReachHeatMap()
        self.intro = muted(
            "Average reach of your published posts by the weekday and hour they went out "
            "(the deeper the colour, the more people). Outlined: the best hours, which the "
            "post editor's Best time button proposes.")
        self.summary = muted("")
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.intro)
        layout.addWidget(self.heat_map)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        super().__init__(content, not_enough_text(ReachGrid()), parent)

    def set_grid(self, grid: ReachGrid) -> None:
        """Show ``grid`` (or, with too few posts, say how many there are)."""
        self.heat_map.set_grid(grid)
        if not enough(grid):
            self.set_empty(True, not_enough_text(grid))
            return
        lines = [describe_cell(grid, *cell) for cell in self.heat_map.best]
        self.summary.setText(f"Best hours, from {grid.total:,} posts: " + "; ".join(lines) + ".")
        self.set_empty(False)
