"""The week view: seven day columns of post cards with time, status, channels, campaign."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QWidget

from socialdesk.core.clock import today
from socialdesk.qt.calendar.canvas import Chip, Layout, PostCanvas
from socialdesk.qt.calendar.chips import card_height, paint_card
from socialdesk.qt.formatting import day_text, weekday_text
from socialdesk.store.models import PostRow
from socialdesk.store.posts import week_of


def week_days(day: date) -> list[date]:
    """The seven days of the week that contains ``day`` (:func:`posts.week_of`)."""
    monday, _ = week_of(day)
    return [monday + timedelta(days=i) for i in range(7)]


class WeekGrid(PostCanvas):
    """A week as columns of cards; drag a card to another day, double-click to edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days = week_days(today())
        self.setMinimumSize(520, 300)

    def set_week(self, day: date, rows: list[PostRow]) -> None:
        """Show the week of ``day`` with ``rows``."""
        self.set_posts(week_days(day), rows)

    def header_height(self) -> int:
        """Height of the day names over the columns."""
        return 2 * self.fontMetrics().height() + 14

    def compute_layout(self) -> Layout:
        """One column per day; cards top to bottom, "+N more" when they do not fit."""
        layout = Layout()
        header = self.header_height()
        card = card_height(QFontMetrics(self.font()))
        line = self.line_height()
        width = self.width() / 7
        for col, day in enumerate(self.days):
            left = int(col * width)
            rect = QRect(left, 0, int((col + 1) * width) - left - 1, self.height() - 1)
            layout.cells.append((day, rect))
            posts = self.by_day.get(day, [])
            y = header + 4
            room = max(0, (rect.bottom() - y) // (card + 4))
            shown = posts if len(posts) <= room else posts[: max(0, room - 1)]
            for post in shown:
                layout.chips.append(Chip(QRect(rect.left() + 4, y, rect.width() - 8, card),
                                         post, day))
                y += card + 4
            if len(shown) < len(posts):
                layout.more.append((QRect(rect.left() + 8, y, rect.width() - 12, line),
                                    day, len(posts) - len(shown)))
        return layout

    def paint_days(self, painter: QPainter, layout: Layout, clip: QRect) -> None:
        """Column backgrounds, separators and the day names (today highlighted)."""
        palette = self.palette()
        header = self.header_height()
        now = today()
        bold = QFont(self.font())
        bold.setBold(True)
        big = QFont(bold)
        big.setPointSizeF(big.pointSizeF() * 1.3)
        for day, rect in layout.cells:
            if not rect.intersects(clip):
                continue
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
            if day == now:
                tint = QColor(palette.color(QPalette.ColorRole.Highlight))
                tint.setAlpha(22)
                painter.fillRect(rect, tint)
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            painter.drawLine(rect.topRight(), rect.bottomRight())
            painter.drawLine(rect.left(), header, rect.right(), header)
            role = QPalette.ColorRole.Highlight if day == now else QPalette.ColorRole.Text
            painter.setPen(palette.color(role))
            top = QRect(rect.left(), 4, rect.width(), self.fontMetrics().height() + 2)
            painter.setFont(self.font())
            painter.drawText(top, Qt.AlignmentFlag.AlignCenter, weekday_text(day))
            painter.setFont(big)
            painter.drawText(QRect(rect.left(), top.bottom(), rect.width(),
                                   header - top.bottom() - 2),
                             Qt.AlignmentFlag.AlignCenter, day_text(day, day, weekday=False))
            painter.setFont(self.font())
        if not layout.chips and not any(self.by_day.values()):
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(QRect(0, header, self.width(), self.height() - header),
                             Qt.AlignmentFlag.AlignCenter,
                             "No posts this week — double-click a day to plan one.")

    def paint_post(self, painter: QPainter, chip: Chip, selected: bool) -> None:
        """A card rather than a line."""
        paint_card(painter, chip.rect, chip.row, self.palette(), self.font(), selected=selected,
                   ratio=self.devicePixelRatioF())
