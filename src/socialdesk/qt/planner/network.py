"""The network picture: the business in the centre, its best partners around it.

Partners are laid out on a sunflower spiral, the best (most added reach) nearest the
centre; a partner's circle grows with its audience; lines join partners who know each
other, and a line from the centre marks each chosen ask. Only a few names are written,
chosen asks first, and never on top of each other; every number is in the tooltip.
Clicking a partner ticks or unticks it. The picture is drawn in pixels for the current
size (no zooming), so text stays sharp and readable.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from socialdesk.core.formatting import exact, percent
from socialdesk.core.planner.likelihood import SHARE_CHANCE
from socialdesk.qt.planner.partner_table import share_chance_of
from socialdesk.qt.planner.post_plan import PartnerLine

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
MIN_RADIUS, MAX_RADIUS = 5.0, 22.0  # a partner's circle, smallest and largest audience
CENTRE_RADIUS = 24.0
MAX_LABELS = 12
WARNING_COLOUR = "#c98a00"


class PartnerNode(QGraphicsEllipseItem):
    """One partner's circle: hover for the numbers, click to tick or untick."""

    def __init__(self, line: PartnerLine, radius: float, chosen: bool,
                 on_click: Callable[[str], None]) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.line = line
        self.chosen = chosen
        self.on_click = on_click
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(2 if chosen else 1)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        """Tick or untick the partner."""
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self.on_click(self.line.id)
        else:
            super().mousePressEvent(event)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        """Outline the partner under the mouse."""
        pen = QPen(self.pen())
        pen.setWidthF(pen.widthF() + 1.5)
        self.setPen(pen)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        """Back to the normal outline."""
        pen = QPen(self.pen())
        pen.setWidthF(max(1.0, pen.widthF() - 1.5))
        self.setPen(pen)
        super().hoverLeaveEvent(event)


def node_tooltip(line: PartnerLine, links_shown: int) -> str:
    """A partner's numbers, for hovering over its circle."""
    e = line.estimate
    parts = [
        e.name,
        f"{SHARE_CHANCE}: {share_chance_of(line).text}",
        f"Adds about {exact(round(e.added_reach))} people (audience {exact(e.audience)})",
        f"Topic fit {percent(e.fit)} · {e.effort_minutes:.0f} min to ask",
    ]
    if links_shown:
        parts.append(f"Knows {links_shown} of the partners shown")
    if line.overasked:
        parts.append(f"⚠ Asked {line.recent_asks} times in the last 30 days")
    if line.post_status:
        parts.append(f"Asked for this post: {line.post_status.replace('_', ' ')}")
    parts.append("Click to tick or untick")
    return "\n".join(parts)


def spiral_positions(count: int, inner: float, rx: float, ry: float) -> list[QPointF]:
    """``count`` points spread evenly over an ellipse with a hole in the middle.

    The hole's radius is ``inner``; the first points are nearest the centre (a sunflower
    spiral).
    """
    points = []
    start = min(0.9, inner / max(1.0, min(rx, ry)))
    for k in range(count):
        t = start + (1 - start) * math.sqrt((k + 0.6) / max(count, 1))
        angle = k * GOLDEN_ANGLE - math.pi / 2
        points.append(QPointF(t * rx * math.cos(angle), t * ry * math.sin(angle)))
    return points


class NetworkPicture(QGraphicsView):
    """The partners around the business; ``toggled(id, ticked)`` when one is clicked."""

    toggled = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setMinimumSize(280, 260)
        self.lines: list[PartnerLine] = []
        self.links: list[tuple[str, str, float]] = []
        self.chosen: set[str] = set()
        self.alone = 0.0
        self.message = "Choose a post to see who could carry it."
        self.nodes: dict[str, PartnerNode] = {}
        self.labels: dict[str, QGraphicsSimpleTextItem] = {}
        # the resizes of one relayout (a window reloading, a splitter) redraw once
        self._relayout = QTimer(self, singleShot=True, interval=0)
        self._relayout.timeout.connect(self.redraw)

    # --- content -------------------------------------------------------------------

    def set_plan(self, lines: Sequence[PartnerLine], links: Sequence[tuple[str, str, float]],
                 chosen: Collection[str], alone: float) -> None:
        """Draw these partners (best first) and links, highlighting the chosen ones."""
        self.lines, self.links, self.chosen, self.alone = list(lines), list(links), set(
            chosen), alone
        self.message = ("No partners yet — give a contact an audience (Contacts → "
                        "Audiences) to plan with them." if not lines else "")
        self.redraw()

    def set_message(self, text: str) -> None:
        """Show a line of text instead of a picture (loading, nothing to show)."""
        self.lines, self.links, self.message = [], [], text
        self.redraw()

    def set_chosen(self, chosen: Collection[str]) -> None:
        """Highlight another choice of asks."""
        self.chosen = set(chosen)
        self.redraw()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Lay the picture out again for the new size, once the resizing of this turn ended."""
        super().resizeEvent(event)
        self._relayout.start()

    # --- drawing -------------------------------------------------------------------

    def _click(self, partner_id: str) -> None:
        self.toggled.emit(partner_id, partner_id not in self.chosen)

    def redraw(self) -> None:
        """Rebuild the scene for the current size, partners and choice."""
        scene = self.scene()
        scene.clear()
        self.nodes, self.labels = {}, {}
        width, height = max(self.viewport().width(), 100), max(self.viewport().height(), 100)
        scene.setSceneRect(-width / 2, -height / 2, width, height)
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.Text)
        if not self.lines:
            item = scene.addSimpleText(self.message)
            item.setBrush(palette.color(QPalette.ColorRole.PlaceholderText))
            rect = item.boundingRect()
            item.setPos(-rect.width() / 2, -rect.height() / 2)
            return
        highlight = palette.color(QPalette.ColorRole.Highlight)
        base = palette.color(QPalette.ColorRole.Base)
        dark = base.lightness() < 110
        rx = max(width / 2 - MAX_RADIUS - 8, CENTRE_RADIUS + MAX_RADIUS + 40)
        ry = max(height / 2 - MAX_RADIUS - 8, CENTRE_RADIUS + MAX_RADIUS + 40)
        positions = spiral_positions(len(self.lines), CENTRE_RADIUS + MAX_RADIUS + 14, rx, ry)
        where = {line.id: pos for line, pos in zip(self.lines, positions, strict=True)}
        largest = max((line.estimate.audience for line in self.lines), default=1) or 1
        degree: dict[str, int] = {}
        for a, b, _w in self.links:
            degree[a] = degree.get(a, 0) + 1
            degree[b] = degree.get(b, 0) + 1

        plain = QColor(text_colour)
        plain.setAlpha(45)
        carried = QColor(highlight)
        carried.setAlpha(120)
        for a, b, weight in self.links:
            pen = QPen(carried if (a in self.chosen or b in self.chosen) else plain)
            pen.setWidthF(0.8 + 1.6 * weight)
            scene.addLine(where[a].x(), where[a].y(), where[b].x(), where[b].y(), pen)
        spoke = QPen(highlight, 2.0)
        spoke.setStyle(Qt.PenStyle.DashLine)
        for line in self.lines:
            if line.id in self.chosen:
                p = where[line.id]
                scene.addLine(0, 0, p.x(), p.y(), spoke).setZValue(0.5)

        neutral = palette.color(QPalette.ColorRole.Mid if not dark else QPalette.ColorRole.Light)
        neutral.setAlpha(170)
        for line in self.lines:
            share = math.sqrt(line.estimate.audience / largest)
            radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * share
            chosen = line.id in self.chosen
            node = PartnerNode(line, radius, chosen, self._click)
            node.setPos(where[line.id])
            node.setBrush(QBrush(highlight if chosen else neutral))
            outline = QColor(WARNING_COLOUR) if line.overasked else (
                highlight.darker(140) if chosen else text_colour)
            pen = QPen(outline, 2.0 if (chosen or line.overasked) else 0.8)
            node.setPen(pen)
            node.setToolTip(node_tooltip(line, degree.get(line.id, 0)))
            scene.addItem(node)
            self.nodes[line.id] = node

        centre = scene.addEllipse(-CENTRE_RADIUS, -CENTRE_RADIUS, 2 * CENTRE_RADIUS,
                                  2 * CENTRE_RADIUS, QPen(text_colour, 1.5),
                                  QBrush(palette.color(QPalette.ColorRole.Button)))
        centre.setZValue(3)
        centre.setToolTip(f"You: about {exact(round(self.alone))} people see this post "
                          "through your own channels")
        you = QGraphicsSimpleTextItem("You", centre)
        font = QFont(self.font())
        font.setBold(True)
        you.setFont(font)
        you.setBrush(palette.color(QPalette.ColorRole.ButtonText))
        rect = you.boundingRect()
        you.setPos(-rect.width() / 2, -rect.height() / 2)
        self._label_nodes(where, scene, base, text_colour, width, height)

    def _label_nodes(self, where: dict[str, QPointF], scene: QGraphicsScene, base: QColor,
                     text_colour: QColor, width: float, height: float) -> None:
        """Write the names of the chosen partners, then of the best others, never overlapping.

        A chosen partner's name may cover another partner's circle when there is no free
        place (the circle stays hoverable around it); other names only go where it is free.
        """
        centre = QRectF(-CENTRE_RADIUS, -CENTRE_RADIUS, 2 * CENTRE_RADIUS, 2 * CENTRE_RADIUS)
        circles = {pid: node.mapRectToScene(node.rect()) for pid, node in self.nodes.items()}
        chosen_circles = [rect for pid, rect in circles.items() if pid in self.chosen]
        labels: list[QRectF] = []
        bounds = QRectF(-width / 2 + 2, -height / 2 + 2, width - 4, height - 4)
        fill = QColor(base)
        fill.setAlpha(225)
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 0.9)
        chosen = [line for line in self.lines if line.id in self.chosen]
        others = [line for line in self.lines if line.id not in self.chosen]
        room = max(MAX_LABELS - len(chosen), 4 if not chosen else 3)
        passes = ((chosen, True, [centre, *circles.values()]),
                  (chosen, True, [centre, *chosen_circles]),
                  (others, False, [centre, *circles.values()]))
        for lines, bold, obstacles in passes:
            for line in lines:
                if line.id in self.labels:
                    continue
                if not bold and room <= 0:
                    break
                text = QGraphicsSimpleTextItem(line.name if len(line.name) <= 22
                                               else line.name[:21] + "…")
                label_font = QFont(font)
                label_font.setBold(bold)
                text.setFont(label_font)
                text.setBrush(text_colour)
                box = self._place(where[line.id], self.nodes[line.id].rect().width() / 2,
                                  text.boundingRect(), bounds, [*obstacles, *labels])
                if box is None:
                    continue
                labels.append(box)
                back = QGraphicsRectItem(box)
                back.setBrush(fill)
                back.setPen(QPen(Qt.PenStyle.NoPen))
                back.setZValue(4)
                back.setToolTip(self.nodes[line.id].toolTip())
                text.setParentItem(back)
                text.setPos(box.x() + 3, box.y() + 1)
                scene.addItem(back)
                self.labels[line.id] = text
                if not bold:
                    room -= 1

    @staticmethod
    def _place(p: QPointF, r: float, rect: QRectF, bounds: QRectF,
               taken: list[QRectF]) -> QRectF | None:
        """A free place for a label beside a circle (right, left, below, above), or None."""
        w, h = rect.width() + 6, rect.height() + 2
        right = QRectF(p.x() + r + 1, p.y() - h / 2, w, h)
        left = QRectF(p.x() - r - 1 - w, p.y() - h / 2, w, h)
        centred = min(max(p.x() - w / 2, bounds.left()), bounds.right() - w)
        below = QRectF(centred, p.y() + r + 1, w, h)
        above = QRectF(centred, p.y() - r - 1 - h, w, h)
        sides = (right, left, below, above) if p.x() >= 0 else (left, right, below, above)
        return next((b for b in sides if bounds.contains(b)
                     and not any(b.intersects(t) for t in taken)), None)
