"""Calendar: a month grid of posts with campaign colours, and month navigation."""

from __future__ import annotations

import calendar as cal
from collections import defaultdict
from datetime import date, timedelta

from PySide6.QtCore import QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from socialdesk.core.clock import today
from socialdesk.qt.delegates import STATUS_COLOURS
from socialdesk.qt.views.base import View, heading, muted
from socialdesk.store import posts
from socialdesk.store.models import PostRow
from socialdesk.store.workspace import Workspace

NEUTRAL = "#9e9e9e"


def month_days(year: int, month: int) -> list[date]:
    """The 42 days (six Monday-first weeks) a month grid shows."""
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    return [start + timedelta(days=i) for i in range(42)]


class MonthGrid(QWidget):
    """Paints six weeks of days, each with its posts as coloured lines."""

    day_activated = Signal(date)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year, self.month = today().year, today().month
        self.by_day: dict[date, list[PostRow]] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(560, 420)
        self.setMouseTracking(True)

    def set_posts(self, year: int, month: int, rows: list[PostRow]) -> None:
        """Show ``rows`` in the grid of ``month``."""
        self.year, self.month = year, month
        grouped: dict[date, list[PostRow]] = defaultdict(list)
        for row in rows:
            if row.scheduled_on:
                grouped[date.fromisoformat(row.scheduled_on)].append(row)
        self.by_day = dict(grouped)
        self.update()

    def _cell(self, i: int, header: int) -> QRect:
        width = self.width() / 7
        height = (self.height() - header) / 6
        col, row = i % 7, i // 7
        return QRect(int(col * width), int(header + row * height),
                     int(width) - 1, int(height) - 1)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw weekday names, day cells and the posts in each."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        metrics = QFontMetrics(self.font())
        header = metrics.height() + 8
        line = metrics.height() + 4
        for col, name in enumerate(cal.day_abbr):
            rect = QRect(int(col * self.width() / 7), 0, int(self.width() / 7), header)
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, name)
        now = today()
        bold = QFont(self.font())
        bold.setBold(True)
        for i, day in enumerate(month_days(self.year, self.month)):
            rect = self._cell(i, header)
            inside = day.month == self.month
            base = palette.color(QPalette.ColorRole.Base if inside else QPalette.ColorRole.Window)
            painter.fillRect(rect, base)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            painter.drawRect(rect)
            number = QRect(rect.left() + 6, rect.top() + 2, rect.width() - 12, line)
            if day == now:
                painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
                painter.setPen(Qt.PenStyle.NoPen)
                size = line - 2
                painter.drawEllipse(QRectF(number.left() - 3, number.top() + 1, size + 6, size))
                painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
                painter.setFont(bold)
            else:
                role = QPalette.ColorRole.Text if inside else QPalette.ColorRole.PlaceholderText
                painter.setPen(palette.color(role))
                painter.setFont(self.font())
            painter.drawText(number, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             str(day.day))
            painter.setFont(self.font())
            self._paint_posts(painter, rect, self.by_day.get(day, []), line, metrics)
        painter.end()

    def _paint_posts(self, painter: QPainter, rect: QRect, rows: list[PostRow],
                     line: int, metrics: QFontMetrics) -> None:
        top = rect.top() + line + 2
        room = max(0, (rect.bottom() - top) // line)
        shown = rows if len(rows) <= room else rows[: max(0, room - 1)]
        text_colour = self.palette().color(QPalette.ColorRole.Text)
        for row in shown:
            chip = QRect(rect.left() + 3, top, rect.width() - 6, line - 2)
            colour = QColor(row.colour or NEUTRAL)
            fill = QColor(colour)
            fill.setAlpha(45)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(chip, 3, 3)
            painter.setBrush(colour)
            painter.drawRect(QRect(chip.left(), chip.top(), 3, chip.height()))
            painter.setBrush(QColor(STATUS_COLOURS.get(row.status, NEUTRAL)))
            dot = line // 3
            painter.drawEllipse(chip.right() - dot - 3, chip.center().y() - dot // 2, dot, dot)
            label = f"{row.scheduled_time} {row.title}" if row.scheduled_time else row.title
            painter.setPen(text_colour)
            inner = chip.adjusted(7, 0, -(dot + 8), 0)
            painter.drawText(inner, Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, inner.width()))
            top += line
        if len(shown) < len(rows):
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRect(rect.left() + 8, top, rect.width() - 12, line),
                             Qt.AlignmentFlag.AlignVCenter, f"+{len(rows) - len(shown)} more")

    def post_count(self) -> int:
        """How many posts the grid holds."""
        return sum(len(v) for v in self.by_day.values())


class CalendarView(View):
    """The content calendar, a month at a time."""

    name = "calendar"
    title = "Calendar"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.title_label = heading("")
        self.summary = muted("")
        self.grid = MonthGrid()
        previous = QPushButton("‹ Previous")
        current = QPushButton("Today")
        following = QPushButton("Next ›")
        previous.setToolTip("Previous month")
        following.setToolTip("Next month")
        previous.clicked.connect(lambda: self.shift_month(-1))
        following.clicked.connect(lambda: self.shift_month(1))
        current.clicked.connect(self.go_today)
        bar = QHBoxLayout()
        bar.addWidget(self.title_label)
        bar.addStretch()
        for button in (previous, current, following):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.grid, 1)
        self.year, self.month = today().year, today().month

    def shift_month(self, months: int) -> None:
        """Show the month ``months`` before or after the current one."""
        index = self.year * 12 + self.month - 1 + months
        self.year, self.month = divmod(index, 12)
        self.month += 1
        self.refresh()

    def go_today(self) -> None:
        """Show the current month."""
        self.year, self.month = today().year, today().month
        self.refresh()

    def refresh(self) -> None:
        """Reload the shown month's posts."""
        days = month_days(self.year, self.month)
        rows = posts.posts_between(self.ws, days[0].isoformat(), days[-1].isoformat())
        self.grid.set_posts(self.year, self.month, rows)
        self.title_label.setText(date(self.year, self.month, 1).strftime("%B %Y"))
        in_month = [r for r in rows if r.scheduled_on and r.scheduled_on[:7] ==
                    f"{self.year:04d}-{self.month:02d}"]
        unscheduled = len(posts.unscheduled_posts(self.ws, limit=1000))
        self.summary.setText(
            f"{len(in_month)} posts this month"
            + (f" · {unscheduled} ideas without a date" if unscheduled else "")
            + " · colour: campaign · dot: status"
        )
