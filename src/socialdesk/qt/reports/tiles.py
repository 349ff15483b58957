"""Figure tiles (a caption over a big number) and a sparkline, for the Today card and Reports."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from socialdesk.qt.reports.colours import ratio_colour


def _scaled(label: QLabel, scale: float, bold: bool = False) -> QLabel:
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    label.setFont(font)
    return label


class StatTile(QWidget):
    """A caption over a big, rounded figure and a short note; the exact value on hover."""

    def __init__(self, caption: str, extra: QWidget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = _scaled(QLabel(caption), 0.9)
        self.caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.value = _scaled(QLabel("–"), 1.5, bold=True)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = _scaled(QLabel(""), 0.9)
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.value)
        if extra is not None:
            row.addWidget(extra, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.note, 0, Qt.AlignmentFlag.AlignBottom)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addLayout(row)

    def set_figure(self, text: str, tooltip: str, note: str = "") -> None:
        """Show ``text`` (with ``note`` beside it); ``tooltip`` gives the exact figures."""
        self.value.setText(text)
        self.note.setText(note)
        self.setToolTip(tooltip)
        for label in (self.caption, self.value, self.note):
            label.setToolTip(tooltip)


def tile_row(tiles: Sequence[QWidget]) -> QHBoxLayout:
    """Tiles side by side, evenly spaced."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(24)
    for tile in tiles:
        row.addWidget(tile, 1)
    return row


class Sparkline(QWidget):
    """A tiny line of values (None leaves a gap), scaled to its own maximum."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: list[float | None] = []
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        """About a dozen weeks' worth: 84 × 22 px."""
        return QSize(84, 22)

    def set_values(self, values: Sequence[float | None]) -> None:
        """Draw these values, oldest first."""
        self.values = list(values)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the line, a dot on the latest value, and a faint baseline."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        known = [v for v in self.values if v is not None]
        width, height = self.width() - 4, self.height() - 4
        base = self.palette().color(QPalette.ColorRole.Mid)
        painter.setPen(QPen(base, 1))
        painter.drawLine(2, 2 + height, 2 + width, 2 + height)
        if not known or len(self.values) < 2:
            return
        peak = max(known) or 1.0
        step = width / (len(self.values) - 1)

        def at(i: int, value: float) -> QPointF:
            return QPointF(2 + i * step, 2 + height - height * value / peak)

        green = ratio_colour(self.palette())
        painter.setPen(QPen(green, 1.6))
        previous: QPointF | None = None
        for i, value in enumerate(self.values):
            point = None if value is None else at(i, value)
            if point is not None and previous is not None:
                painter.drawLine(previous, point)
            previous = point
        last = next((i for i in range(len(self.values) - 1, -1, -1)
                     if self.values[i] is not None), None)
        if last is not None:
            painter.setBrush(green)
            painter.drawEllipse(at(last, self.values[last] or 0.0), 2.5, 2.5)
