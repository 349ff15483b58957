"""The narrow sidebar: an icon and a word per view."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QButtonGroup, QFrame, QToolButton, QVBoxLayout, QWidget

from socialdesk.qt.icons import ui_icon


class Sidebar(QFrame):
    """Checkable buttons, one per view; emits the chosen view's name."""

    selected = Signal(str)

    def __init__(self, entries: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        """``entries``: (name, title, icon name) per view, in order."""
        super().__init__(parent)
        self.buttons: dict[str, QToolButton] = {}
        self.icons = {name: icon for name, _title, icon in entries}
        self.setObjectName("sidebar")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)  # follows light and dark
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 8, 6, 8)
        layout.setSpacing(4)
        for number, (name, title, _icon) in enumerate(entries, start=1):
            button = QToolButton()
            button.setText(title)
            button.setIconSize(QSize(24, 24))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setFixedSize(QSize(78, 58))
            button.setToolTip(f"{title} (Ctrl+{number})")
            button.setAccessibleName(title)
            button.clicked.connect(lambda _=False, n=name: self.selected.emit(n))
            self.group.addButton(button)
            self.buttons[name] = button
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()
        self.setFixedWidth(90)
        self._draw_icons()

    def _draw_icons(self) -> None:
        colour = self.palette().color(QPalette.ColorRole.Text)
        for name, button in self.buttons.items():
            button.setIcon(ui_icon(self.icons[name], colour))

    def changeEvent(self, event: QEvent) -> None:
        """Draw the icons again in the new text colour (light ↔ dark)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._draw_icons()

    def set_current(self, name: str | None) -> None:
        """Mark a view as the current one (None: none, as on the welcome panel)."""
        if name is None:
            self.group.setExclusive(False)
            for button in self.buttons.values():
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[name].setChecked(True)
