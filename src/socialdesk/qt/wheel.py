"""The mouse wheel changes a value box only when it has the focus.

Scrolling a form with the wheel must not change the combo boxes, spin boxes, date and
time boxes or sliders that pass under the pointer: an unfocused one hands the wheel to
its parent (the form scrolls on), a focused one (clicked or tabbed into) takes it as usual,
as in most KDE and GNOME applications.

Every form calls :func:`wheel_needs_focus` once its boxes are made, and again for boxes it
adds later. (Not one filter on the whole application: that would run Python for every
event of every widget, each call waiting for the interpreter lock while a worker runs.)
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QSlider, QWidget

VALUE_BOXES = (QComboBox, QAbstractSpinBox, QSlider)  # date and time boxes are spin boxes


class _WheelGuard(QObject):
    """Passes a wheel event over an unfocused box on to its parent."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ignore the wheel here (the parent gets it) unless the box has the focus."""
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) \
                and not watched.hasFocus():
            event.ignore()
            return True
        return False


def wheel_needs_focus(root: QWidget) -> None:
    """Make ``root`` and every value box inside it take the wheel only when focused.

    The boxes stop taking the focus from the wheel (a click or Tab still gives it).
    Calling it again for the same boxes changes nothing.
    """
    guard = root.findChild(_WheelGuard, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if guard is None:
        guard = _WheelGuard(root)
    boxes = [root] if isinstance(root, VALUE_BOXES) else []
    for kind in VALUE_BOXES:
        boxes.extend(root.findChildren(kind))
    for box in boxes:
        if box.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        box.installEventFilter(guard)  # once: installing it again moves it, not adds it
