"""Item delegates: network marks in a row, and a status badge."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from socialdesk.qt.icons import readable_brand_icon
from socialdesk.qt.table_model import ROW_ROLE, SORT_ROLE

Index = QModelIndex | QPersistentModelIndex

STATUS_COLOURS = {
    "idea": "#8e8e93", "draft": "#c98a00", "scheduled": "#2f6fd6", "published": "#2e8b57",
    "skipped": "#b5483b", "asked": "#2f6fd6", "agreed": "#6a4fc8", "shared": "#2e8b57",
    "declined": "#b5483b", "no_reply": "#8e8e93",
}
STATUS_LABELS = {"no_reply": "no reply"}


def _raw(index: Index) -> object:
    return index.data(SORT_ROLE)[1]


class PlatformsDelegate(QStyledItemDelegate):
    """Paints a tuple of platform names as their marks (the names are the tooltip)."""

    ICON = 16

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Draw the selection background, then one mark per platform."""
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        platforms = _raw(index) or ()
        x = option.rect.left() + 4
        y = option.rect.center().y() - self.ICON // 2
        background = option.palette.color(QPalette.ColorRole.Base)
        for platform in platforms:
            readable_brand_icon(str(platform), self.ICON, background).paint(
                painter, QRect(x, y, self.ICON, self.ICON))
            x += self.ICON + 4
            if x > option.rect.right() - self.ICON:
                break

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Room for four marks."""
        return QSize(4 * (self.ICON + 4) + 8, self.ICON + 8)


class StatusDelegate(QStyledItemDelegate):
    """Paints a status as a small coloured badge."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Draw the selection background, then the badge."""
        self.initStyleOption(option, index)
        status = str(_raw(index) or "")
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        dark = option.palette.color(QPalette.ColorRole.Base).lightness() < 110
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        paint_badge(painter, option.rect, status, option.font, dark=dark,
                    on=option.palette.color(QPalette.ColorRole.HighlightedText)
                    if selected else None)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Room for the badge, so a column fitted to its contents does not cut it."""
        hint = super().sizeHint(option, index)
        label = STATUS_LABELS.get(str(_raw(index) or ""), str(_raw(index) or ""))
        badge = QFontMetrics(option.font).horizontalAdvance(label) + 12
        return QSize(max(hint.width(), badge + 12), hint.height())


def paint_badge(painter: QPainter, rect: QRect, status: str, font: object, *,
                dark: bool = False, on: QColor | None = None) -> int:
    """Draw a status badge at the left of ``rect`` (lighter text on a dark palette).

    ``on``: the text colour of a selected row, whose highlight the badge sits on.
    """
    label = STATUS_LABELS.get(status, status)
    metrics = QFontMetrics(font)
    width = metrics.horizontalAdvance(label) + 12
    height = metrics.height() + 2
    badge = QRect(rect.left() + 4, rect.center().y() - height // 2, width, height)
    colour = QColor(STATUS_COLOURS.get(status, "#8e8e93"))
    if on is not None:  # readable on the selection's highlight
        colour, dark = QColor(on), True
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    fill = QColor(colour)
    fill.setAlpha(60 if dark else 40)
    painter.setBrush(fill)
    painter.drawRoundedRect(badge, height / 2, height / 2)
    painter.setPen(colour.lighter(150) if dark else colour.darker(115))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()
    return width


def row_object(index: Index) -> object:
    """The row object behind a (possibly proxied) index."""
    return index.data(ROW_ROLE)
