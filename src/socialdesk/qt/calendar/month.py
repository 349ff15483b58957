"""The month grid: six Monday-first weeks, each day with its posts as coloured lines."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QLocale, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QWidget

from socialdesk.core.clock import today
from socialdesk.qt.calendar.canvas import Chip, Layout, PostCanvas
from socialdesk.store.models import PostRow
from socialdesk.store.posts import week_of


def month_days(year: int, month: int) -> list[date]:
    """The 42 days (six Monday-first weeks) a month grid shows."""
    start, _ = week_of(date(year, month, 1))
    return [start + timedelta(days=i) for i in range(42)]


class MonthGrid(PostCanvas):
    """Paints six weeks of days, each with its posts (drag one to another day)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.year, self.month = today().year, today().month
        self.days = month_days(self.year, self.month)
        self.setMinimumSize(520, 400)

    def set_month(self, year: int, month: int, rows: list[PostRow]) -> None:
        """Show ``rows`` in the grid of ``month``."""
        self.year, self.month = year, month
        self.set_posts(month_days(year, month), rows)

    def header_height(self) -> int:
        """Height of the weekday names row."""
        return self.fontMetrics().height() + 8

    def compute_layout(self) -> Layout:
        """Cells in a 7×6 grid; in each, as many post lines as fit, then "+N more"."""
        layout = Layout()
        header = self.header_height()
        line = self.line_height()
        width = self.width() / 7
        height = (self.height() - header) / 6
        for i, day in enumerate(self.days):
            col, row = i % 7, i // 7
            left, top = int(col * width), int(header + row * height)
            rect = QRect(left, top, int((col + 1) * width) - left - 1,
                         int(header + (row + 1) * height) - top - 1)
            layout.cells.append((day, rect))
            posts = self.by_day.get(day, [])
            y = rect.top() + line + 2
            room = max(0, (rect.bottom() - y) // line)
            shown = posts if len(posts) <= room else posts[: max(0, room - 1)]
            for post in shown:
                layout.chips.append(Chip(QRect(rect.left() + 3, y, rect.width() - 6, line - 2),
                                         post, day))
                y += line
            if len(shown) < len(posts):
                layout.more.append((QRect(rect.left() + 8, y, rect.width() - 12, line - 2),
                                    day, len(posts) - len(shown)))
        return layout

    def number_rect(self, cell: QRect) -> QRect:
        """Where a day's number goes in its cell."""
        return QRect(cell.left() + 6, cell.top() + 2, cell.width() - 12, self.line_height())

    def today_marker(self, cell: QRect) -> QRectF:
        """The circle behind today's number: as wide as it is high, whatever the cell."""
        number = self.number_rect(cell)
        bold = QFont(self.font())
        bold.setBold(True)
        size = max(self.line_height() - 2, QFontMetrics(bold).horizontalAdvance("30") + 6)
        return QRectF(number.left() - 3, cell.top() + 2, size, size)

    def paint_days(self, painter: QPainter, layout: Layout, clip: QRect) -> None:
        """Weekday names, then each day's cell and number (today in a highlight)."""
        palette = self.palette()
        header = self.header_height()
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        for col in range(7):
            rect = QRect(int(col * self.width() / 7), 0, int(self.width() / 7), header)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter,
                             QLocale().dayName(col + 1, QLocale.FormatType.ShortFormat))
        now = today()
        bold = QFont(self.font())
        bold.setBold(True)
        for day, rect in layout.cells:
            if not rect.intersects(clip):
                continue
            inside = day.month == self.month
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Base if inside
                                                 else QPalette.ColorRole.Window))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            painter.drawRect(rect)
            number = self.number_rect(rect)
            if day == now:
                marker = self.today_marker(rect)
                painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawEllipse(marker)
                painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
                painter.setFont(bold)
                painter.drawText(marker, Qt.AlignmentFlag.AlignCenter, str(day.day))
                painter.setFont(self.font())
                continue
            role = QPalette.ColorRole.Text if inside else QPalette.ColorRole.PlaceholderText
            painter.setPen(palette.color(role))
            painter.drawText(number, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             str(day.day))
