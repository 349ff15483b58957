"""Painting one post on the calendar: campaign colour, time, title, channel marks, status."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPixmap

from socialdesk.core.limits import platform_name
from socialdesk.qt.delegates import STATUS_COLOURS, paint_badge
from socialdesk.qt.formatting import clock_text, day_text
from socialdesk.qt.icons import readable_brand_icon
from socialdesk.store.models import PostRow

NEUTRAL = "#9e9e9e"
REPEAT_MARK = "↻ "


@cache
def _mark(platform: str, size: int, ratio: float, dark: bool) -> QPixmap:
    background = QColor("#202020" if dark else "#ffffff")
    return readable_brand_icon(platform, size, background).pixmap(QSize(size, size), ratio)


def mark(platform: str, size: int, ratio: float, palette: QPalette | None = None) -> QPixmap:
    """A network's mark as a pixmap, rendered once per size (painting stays cheap)."""
    dark = palette is not None and palette.color(QPalette.ColorRole.Base).lightness() < 110
    return _mark(platform, size, ratio, dark)


def post_label(row: PostRow) -> str:
    """Time and title, with a repeat mark on a repeat's later dates."""
    title = (REPEAT_MARK if row.occurrence else "") + row.title
    return f"{clock_text(row.scheduled_time)} {title}" if row.scheduled_time else title


def post_tooltip(row: PostRow) -> str:
    """Everything the chip cannot show, for its tooltip."""
    when = day_text(row.scheduled_on)
    if row.scheduled_time:
        zone = f" ({row.timezone})" if row.timezone else ""
        when += f", {clock_text(row.scheduled_time)}{zone}"
    lines = [row.title, when, f"Status: {row.status}"]
    lines.append("Channels: " + (", ".join(platform_name(p) for p in row.platforms)
                                 if row.platforms else "none yet"))
    lines.append(f"Campaign: {row.campaign}" if row.campaign else "No campaign")
    if row.topics:
        lines.append("Topics: " + ", ".join(row.topics))
    if row.occurrence:
        lines.append("A repeat of this post: its status and results are its own; drag the "
                     "first date to move the series.")
    elif row.repeats:
        lines.append("Repeats (see the post's repeat settings).")
    return "\n".join(lines)


def paint_chip(painter: QPainter, rect: QRect, row: PostRow, palette: QPalette,
               metrics: QFontMetrics, *, selected: bool = False, ghost: bool = False,
               ratio: float = 1.0) -> None:
    """One line: colour bar, time and title, channel marks (room permitting), status dot."""
    colour = QColor(row.colour or NEUTRAL)
    fill = QColor(colour)
    fill.setAlpha(110 if selected else 28 if row.occurrence else 48)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, 3, 3)
    if selected:
        painter.setPen(palette.color(QPalette.ColorRole.Highlight))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 3, 3)
        painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRect(QRect(rect.left(), rect.top(), 3, rect.height()))
    dot = max(6, rect.height() // 3)
    painter.setBrush(QColor(STATUS_COLOURS.get(row.status, NEUTRAL)))
    painter.drawEllipse(rect.right() - dot - 3, rect.center().y() - dot // 2 + 1, dot, dot)
    right = rect.right() - dot - 6
    icon = min(14, rect.height() - 4)
    marks, text = chip_contents(row, rect.width(), rect.height(), metrics, ghost=ghost)
    for platform in reversed(marks):
        right -= icon + 2
        painter.drawPixmap(right, rect.center().y() - icon // 2,
                           mark(platform, icon, ratio, palette))
    text_colour = palette.color(QPalette.ColorRole.Text)
    if row.occurrence:
        text_colour = palette.color(QPalette.ColorRole.PlaceholderText)
    painter.setPen(text_colour)
    inner = QRect(rect.left() + 6, rect.top(), right - rect.left() - 8, rect.height())
    painter.drawText(inner, Qt.AlignmentFlag.AlignVCenter, text)


def chip_contents(row: PostRow, width: int, height: int, metrics: QFontMetrics, *,
                  ghost: bool = False) -> tuple[list[str], str]:
    """The channel marks and the (elided) text a chip ``width`` wide shows.

    The title comes first: a narrow chip (a month cell beside the editor) leaves out the
    marks, then the time (both are in the tooltip).
    """
    dot = max(6, height // 3)
    icon = min(14, height - 4)
    room = (3 if width >= 200 else 2 if width >= 160 else 1 if width >= 130 else 0)
    marks = [] if ghost else list(row.platforms[:room])
    text_width = width - 1 - dot - 6 - len(marks) * (icon + 2) - 8  # as paint_chip draws
    label = post_label(row)
    if width < 160 and row.scheduled_time:
        label = (REPEAT_MARK if row.occurrence else "") + row.title
    return marks, metrics.elidedText(label, Qt.TextElideMode.ElideRight, text_width)


def card_height(metrics: QFontMetrics) -> int:
    """Height of a week-view card: three lines of text and padding."""
    return 3 * (metrics.height() + 2) + 10


def paint_card(painter: QPainter, rect: QRect, row: PostRow, palette: QPalette,
               font: QFont, *, selected: bool = False, ratio: float = 1.0) -> None:
    """A week-view card: time and status, title, channel marks and campaign."""
    metrics = QFontMetrics(font)
    line = metrics.height() + 2
    colour = QColor(row.colour or NEUTRAL)
    fill = QColor(colour)
    fill.setAlpha(90 if selected else 26 if row.occurrence else 40)
    painter.setPen(palette.color(QPalette.ColorRole.Highlight) if selected else Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 4, 4)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRect(QRect(rect.left(), rect.top() + 2, 4, rect.height() - 4))
    left = rect.left() + 9
    width = rect.width() - 14
    top = rect.top() + 5
    bold = QFont(font)
    bold.setBold(True)
    painter.setFont(bold)
    painter.setPen(palette.color(QPalette.ColorRole.Text))
    when = clock_text(row.scheduled_time) if row.scheduled_time else "All day"
    painter.drawText(QRect(left, top, width, line), Qt.AlignmentFlag.AlignVCenter, when)
    badge_x = left + QFontMetrics(bold).horizontalAdvance(when) + 2
    painter.setFont(font)
    if rect.right() - badge_x > metrics.horizontalAdvance(row.status) + 20:
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 110
        paint_badge(painter, QRect(badge_x, top, width, line), row.status, font, dark=dark)
    else:  # too narrow for the word: a dot in the status colour
        dot = max(6, line // 3)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(STATUS_COLOURS.get(row.status, NEUTRAL)))
        painter.drawEllipse(rect.right() - dot - 6, top + (line - dot) // 2, dot, dot)
    top += line
    title = (REPEAT_MARK if row.occurrence else "") + row.title
    painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText if row.occurrence
                                 else QPalette.ColorRole.Text))
    painter.drawText(QRect(left, top, width, line), Qt.AlignmentFlag.AlignVCenter,
                     metrics.elidedText(title, Qt.TextElideMode.ElideRight, width))
    top += line
    icon = min(14, line - 2)
    x = left
    for platform in row.platforms:
        if x + icon > rect.right() - 4:
            break
        painter.drawPixmap(x, top + (line - icon) // 2, mark(platform, icon, ratio, palette))
        x += icon + 3
    if row.campaign and x < rect.right() - 30:
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        room = rect.right() - x - 6
        painter.drawText(QRect(x + 3, top, room, line), Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(row.campaign, Qt.TextElideMode.ElideRight, room))
