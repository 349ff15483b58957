"""What the month and week grids share: laid-out days and posts, hit testing, dragging.

A grid lays out its days (cells) and posts (chips) once per size and data change and
paints from that layout; the mouse code uses the same layout to find what is under the
pointer. Dragging a post onto another day emits ``post_moved`` (the view turns it into an
undoable command); Escape cancels a drag.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QMenu, QSizePolicy, QToolTip, QWidget

from socialdesk.core.clock import today
from socialdesk.qt.calendar.chips import paint_chip, post_tooltip
from socialdesk.qt.formatting import day_text
from socialdesk.store.models import PostRow


@dataclass(frozen=True, slots=True)
class Chip:
    """A post drawn at ``rect`` on ``day``."""

    rect: QRect
    row: PostRow
    day: date


@dataclass(slots=True)
class Layout:
    """Where every day, post and "+N more" link is."""

    cells: list[tuple[date, QRect]] = field(default_factory=list)
    chips: list[Chip] = field(default_factory=list)
    more: list[tuple[QRect, date, int]] = field(default_factory=list)


# The arrow keys go from post to post in the order shown.
ARROW_STEPS = {Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1}


class PostCanvas(QWidget):
    """Base of the month and week grids (subclasses lay out and paint)."""

    post_activated = Signal(int)  # double-click or Enter on a post: edit it
    repeat_activated = Signal(int, date)  # double-click on a repeat's later date: edit that
    day_activated = Signal(date)  # double-click on a day's empty space: new post
    post_moved = Signal(int, date)  # a post dropped on another day
    plan_requested = Signal(int)
    publish_requested = Signal(int)  # "Publish now" on a post
    delete_requested = Signal(int)
    duplicate_requested = Signal(int)  # "Duplicate" on a post: an undated copy
    more_requested = Signal(date)  # "+N more" clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[date] = []
        self.by_day: dict[date, list[PostRow]] = {}
        self.selected_id: int | None = None
        self.selected_day: date | None = None  # the day last clicked (a new post's date)
        self._layout: Layout | None = None
        self._press: tuple[QPoint, Chip] | None = None
        self._dragging: Chip | None = None
        self._drag_pos = QPoint()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # --- data and layout -------------------------------------------------------------

    def set_posts(self, days: list[date], rows: list[PostRow]) -> None:
        """Show ``rows`` on ``days`` (rows on other days are ignored)."""
        self.days = list(days)
        shown = {day.isoformat(): day for day in self.days}  # no date parsed per post
        grouped: dict[date, list[PostRow]] = defaultdict(list)
        for row in rows:
            day = shown.get(row.scheduled_on or "")
            if day is not None:
                grouped[day].append(row)
        self.by_day = dict(grouped)
        self._layout = None
        self.update()

    def post_count(self) -> int:
        """How many posts (repeats included) the grid holds."""
        return sum(len(v) for v in self.by_day.values())

    def layout_items(self) -> Layout:
        """The current layout, computed when size or data changed."""
        if self._layout is None:
            self._layout = self.compute_layout()
        return self._layout

    def compute_layout(self) -> Layout:
        """Place days and posts (subclasses)."""
        raise NotImplementedError

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Lay out again at the new size."""
        self._layout = None
        super().resizeEvent(event)

    def line_height(self) -> int:
        """Height of one line of text in a chip."""
        return QFontMetrics(self.font()).height() + 4

    def day_at(self, pos: QPoint) -> date | None:
        """The day under ``pos``."""
        return next((day for day, rect in self.layout_items().cells if rect.contains(pos)), None)

    def day_rect(self, day: date) -> QRect | None:
        """Where ``day`` is drawn."""
        return next((rect for d, rect in self.layout_items().cells if d == day), None)

    def chip_at(self, pos: QPoint) -> Chip | None:
        """The post under ``pos``."""
        return next((chip for chip in self.layout_items().chips if chip.rect.contains(pos)), None)

    def chip_rect(self, post_id: int, day: date | None = None) -> QRect | None:
        """Where a post (on ``day``, or its first shown day) is drawn, if it is."""
        for chip in self.layout_items().chips:
            if chip.row.id == post_id and (day is None or chip.day == day):
                return chip.rect
        return None

    def more_at(self, pos: QPoint) -> date | None:
        """The day whose "+N more" link is under ``pos``."""
        return next((day for rect, day, _ in self.layout_items().more if rect.contains(pos)),
                    None)

    # --- painting --------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the days, then the posts, then a post being dragged."""
        layout = self.layout_items()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        metrics = QFontMetrics(self.font())
        clip = event.rect()
        self.paint_days(painter, layout, clip)
        chosen = self.day_rect(self.selected_day) if self.selected_day else None
        if chosen is not None:
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRect(chosen.adjusted(1, 1, -1, -1))
        drop = self.day_at(self._drag_pos) if self._dragging else None
        if drop is not None:
            rect = self.day_rect(drop)
            if rect is not None:
                highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
                highlight.setAlpha(45)
                painter.fillRect(rect, highlight)
        for chip in layout.chips:
            if chip.rect.intersects(clip):
                self.paint_post(painter, chip, chip.row.id == self.selected_id)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        for rect, _, hidden in layout.more:
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter, f"+{hidden} more")
        if self._dragging is not None:
            source = self._dragging.rect
            ghost = QRect(self._drag_pos.x() - 10, self._drag_pos.y() - source.height() // 2,
                          max(120, min(source.width(), 220)), min(source.height(),
                                                                  self.line_height() - 2))
            painter.setOpacity(0.85)
            paint_chip(painter, ghost, self._dragging.row, palette, metrics,
                       selected=True, ghost=True)
        painter.end()

    def paint_days(self, painter: QPainter, layout: Layout, clip: QRect) -> None:
        """Paint the day cells (subclasses)."""
        raise NotImplementedError

    def paint_post(self, painter: QPainter, chip: Chip, selected: bool) -> None:
        """Paint one post (subclasses may draw more than a line)."""
        paint_chip(painter, chip.rect, chip.row, self.palette(), QFontMetrics(self.font()),
                   selected=selected, ratio=self.devicePixelRatioF())

    # --- mouse and keyboard ----------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Select the post (and its day) or the day under the pointer; a post may be dragged."""
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        pos = event.position().toPoint()
        chip = self.chip_at(pos)
        self.selected_id = chip.row.id if chip else None
        self.selected_day = chip.day if chip else self.day_at(pos)
        self._press = (pos, chip) if chip and not chip.row.occurrence else None
        self.update()
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Start or continue dragging a post."""
        pos = event.position().toPoint()
        if self._press and not self._dragging:
            start, chip = self._press
            if (pos - start).manhattanLength() >= QApplication.startDragDistance():
                self._dragging = chip
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
        if self._dragging:
            self._drag_pos = pos
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Drop a dragged post on the day under the pointer; a click on "+N more" expands."""
        pos = event.position().toPoint()
        dragged, self._dragging, self._press = self._dragging, None, None
        self.unsetCursor()
        if dragged is not None:
            self.update()
            target = self.day_at(pos)
            if target is not None and target != dragged.day:
                self.post_moved.emit(dragged.row.id, target)
            return
        if event.button() == Qt.MouseButton.LeftButton:
            day = self.more_at(pos)
            if day is not None:
                self.more_requested.emit(day)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Edit the post under the pointer, or start a new post on the day."""
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        chip = self.chip_at(pos)
        if chip is not None:
            self.activate(chip)
            return
        if self.more_at(pos) is not None:
            return
        day = self.day_at(pos)
        if day is not None:
            self.day_activated.emit(day)

    def activate(self, chip: Chip) -> None:
        """Edit the post of ``chip`` (the date's own status and results on a later date)."""
        if chip.row.occurrence:
            self.repeat_activated.emit(chip.row.id, chip.day)
        else:
            self.post_activated.emit(chip.row.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Escape cancels a drag; arrows choose a post, Enter edits and Delete deletes it."""
        key = event.key()
        if key in ARROW_STEPS:
            self.step_selection(ARROW_STEPS[key])
        elif key == Qt.Key.Key_Escape and self._dragging:
            self._dragging, self._press = None, None
            self.unsetCursor()
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_id is not None:
            self.post_activated.emit(self.selected_id)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected_id is not None:
            self.delete_requested.emit(self.selected_id)
        else:
            super().keyPressEvent(event)

    def step_selection(self, step: int) -> None:
        """Select the post ``step`` places after (before, if negative) the selected one."""
        chips = self.layout_items().chips
        at = next((i for i, chip in enumerate(chips) if chip.row.id == self.selected_id
                   and chip.day == self.selected_day), None)
        if chips:
            chip = chips[0 if at is None else min(max(at + step, 0), len(chips) - 1)]
            self.selected_id, self.selected_day = chip.row.id, chip.day
            self.update()

    def menu_for(self, pos: QPoint) -> QMenu | None:
        """The context menu for ``pos``: the post's actions, or a new post on the day."""
        chip = self.chip_at(pos)
        menu = QMenu(self)
        if chip is not None:
            post_id = chip.row.id
            self.selected_id = post_id
            self.update()
            if chip.row.occurrence:
                menu.addAction(f"Edit {day_text(chip.day.isoformat(), today())}…",
                               lambda: self.activate(chip))
            menu.addAction("Edit the series…" if chip.row.occurrence else "Edit…",
                           lambda: self.post_activated.emit(post_id))
            menu.addAction("Plan leverage…", lambda: self.plan_requested.emit(post_id))
            menu.addAction("Publish now", lambda: self.publish_requested.emit(post_id))
            menu.addAction("Duplicate", lambda: self.duplicate_requested.emit(post_id))
            menu.addSeparator()
            menu.addAction("Delete", lambda: self.delete_requested.emit(post_id))
            return menu
        day = self.day_at(pos)
        if day is None:
            return None
        menu.addAction(f"New post on {day_text(day.isoformat())}…",
                       lambda: self.day_activated.emit(day))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Show :meth:`menu_for` at the pointer."""
        menu = self.menu_for(event.pos())
        if menu is not None:
            menu.exec(event.globalPos())

    def event(self, event: QEvent) -> bool:
        """Tooltips: everything about the post under the pointer."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            chip = self.chip_at(event.pos())
            if chip is not None:
                QToolTip.showText(event.globalPos(), post_tooltip(chip.row), self, chip.rect)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)
