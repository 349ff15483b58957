"""Shared set-up for the calendar GUI tests: a view on a workspace with known posts."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, QRect, Qt

from socialdesk.qt.calendar.canvas import PostCanvas
from socialdesk.store.models import PostDraft
from socialdesk.store.post_writes import create_post

MONTH = date(2031, 3, 1)  # a March that starts on a Saturday: the grid shows 24 Feb – 6 Apr


def add_post(ws, title: str, day: str | None, **fields) -> int:
    """Store a post with one channel unless told otherwise."""
    fields.setdefault("channels", (("instagram", None),))
    fields.setdefault("status", "scheduled" if day else "idea")
    return create_post(ws, PostDraft(title=title, scheduled_on=day, **fields))


def empty_spot(canvas: PostCanvas, day: date) -> QPoint:
    """A point inside ``day``'s cell below its posts."""
    rect = canvas.day_rect(day)
    assert rect is not None
    return QPoint(rect.center().x(), rect.bottom() - 4)


def drag(qtbot, canvas: PostCanvas, start: QPoint, end: QPoint) -> None:
    """Press, move in steps and release, as a user's drag does."""
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    for fraction in (0.1, 0.5, 1.0):
        step = start + (end - start) * fraction
        qtbot.mouseMove(canvas, QPoint(int(step.x()), int(step.y())))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)


def centre(rect: QRect | None) -> QPoint:
    """The middle of a rectangle that must exist."""
    assert rect is not None
    return rect.center()


def new_post(view, qtbot, title: str, *platforms: str):
    """A new post in ``MONTH`` in the view's editor, on exactly ``platforms``, titled."""
    view.new_post(MONTH)
    editor = view.editor
    for platform in editor.texts.chosen():
        editor.texts.buttons[platform].click()
    for platform in platforms:
        editor.texts.buttons[platform].click()
    qtbot.keyClicks(editor.title, title)
    return editor
