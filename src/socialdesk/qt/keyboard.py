"""Every control can be reached with Tab and has a name a screen reader can say.

A control's name is its text, its buddy label's text (a form's row label, or
:func:`labelled`), or its accessible name. :func:`keyboard_ready` names the buttons that
have none (an icon, or a symbol such as "‹") from their tooltip ("Remove") and the text
boxes from their placeholder ("Search…"), and lets Tab leave tables and text boxes (arrows
move inside a table; a text box takes no Tab characters) and pass over scroll areas to the
controls in them (which scroll into view). Views and dialogs call it once their controls
are made, and again for controls they add later (as
:func:`~socialdesk.qt.wheel.wheel_needs_focus`).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTextEdit,
    QWidget,
)

_SHORTCUT_HINT = re.compile(r"\s*\([^()]*\)\s*$")  # "Previous (Ctrl+Page Up)"


def accessible_name(widget: QWidget) -> str:
    """The name assistive technology says for ``widget`` ("" when it has none)."""
    if widget.accessibleName():
        return widget.accessibleName()
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def takes_tab(widget: QWidget) -> bool:
    """True when Tab can stop at ``widget`` itself (not at a proxy standing in for it)."""
    return (widget.focusProxy() is None
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus)


def labelled(text: str, field: QWidget) -> QLabel:
    """A label naming ``field``: a screen reader says it, and its Alt+letter focuses it."""
    label = QLabel(text)
    label.setBuddy(field)
    return label


def _name_from_hints(widget: QWidget) -> str:
    """A button's tooltip less a shortcut in brackets, or a text box's placeholder's start."""
    if isinstance(widget, QAbstractButton):
        return _SHORTCUT_HINT.sub("", widget.toolTip().strip().split("\n")[0]).strip()
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
        return widget.placeholderText().split(". ")[0].strip().rstrip("…").strip()
    return ""


def _holds_controls(area: QScrollArea) -> bool:
    inner = area.widget()
    return inner is not None and any(takes_tab(w) for w in inner.findChildren(QWidget))


def keyboard_ready(root: QWidget) -> None:
    """Name ``root``'s unnamed controls from their hints; let Tab leave tables and text boxes.

    Calling it again for the same controls changes nothing.
    """
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QAbstractItemView):
            widget.setTabKeyNavigation(False)
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            widget.setTabChangesFocus(True)
        elif isinstance(widget, QScrollArea) and _holds_controls(widget):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if takes_tab(widget) and not any(c.isalnum() for c in accessible_name(widget)):
            name = _name_from_hints(widget)
            if name:
                widget.setAccessibleName(name)
