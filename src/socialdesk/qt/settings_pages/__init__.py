"""The pages of the Settings dialog and the pieces they share.

Each page shows some of the workspace settings (``keys``), loads them from a mapping of
values, gives back what the user made of them, and says what is wrong before anything
is saved. Pages never write: the dialog stores every page's values in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import deepcopy
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.settings import DEFAULTS
from socialdesk.qt.view_base import heading, section_title  # noqa: F401 - section_title re-exported
from socialdesk.store.workspace import Workspace

SPIN_WIDTH = 130  # numbers of up to a billion with separators, and a unit


class Problem(Exception):
    """A value the user typed that cannot be saved; ``widget`` is where to fix it."""

    def __init__(self, message: str, widget: QWidget) -> None:
        super().__init__(message)
        self.widget = widget


def explanation(text: str) -> QLabel:
    """A short plain-language explanation under a field, in the palette's muted colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(label.foregroundRole().PlaceholderText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def page_title(text: str) -> QLabel:
    """A page's title, bold and a little larger."""
    return heading(text, 1.3)


def number_box(low: int, high: int, suffix: str = "", step: int = 1) -> QSpinBox:
    """A whole-number field with a range, thousands separators and the number on the right."""
    box = QSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setSuffix(suffix)
    box.setGroupSeparatorShown(True)
    box.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    box.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
    box.setFixedWidth(SPIN_WIDTH)
    return box


def percent_box(low: float = 0.0, high: float = 100.0, decimals: int = 1) -> QDoubleSpinBox:
    """A percentage field (the setting itself is a fraction: 12.5 % is stored as 0.125)."""
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSingleStep(1.0)
    box.setSuffix(" %")
    box.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    box.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
    box.setFixedWidth(SPIN_WIDTH)
    return box


def set_fraction(box: QDoubleSpinBox, fraction: float) -> None:
    """Show a stored fraction (0.05) as a percentage (5.0 %)."""
    box.setValue(float(fraction) * 100)


def fraction(box: QDoubleSpinBox) -> float:
    """The percentage typed, as the fraction the model stores (4 decimals, no float noise)."""
    return round(box.value() / 100, 4)


def check_typed(box: QAbstractSpinBox, what: str) -> None:
    """Raise :class:`Problem` when the field holds text that is not a number in range."""
    if box.hasAcceptableInput():
        return
    assert isinstance(box, QSpinBox | QDoubleSpinBox)
    low, high = box.minimum(), box.maximum()
    shown = f"{low:g} and {high:g}" if isinstance(box, QDoubleSpinBox) else f"{low:,} and {high:,}"
    raise Problem(f"{what}: type a number between {shown}{box.suffix()}.", box)


class FieldGrid(QGridLayout):
    """Rows of label, field and unit, each with an explanation under the field."""

    def __init__(self) -> None:
        super().__init__()
        self.setColumnStretch(2, 1)
        self.setHorizontalSpacing(12)
        self.setVerticalSpacing(2)
        self._row = 0
        self.captions: list[QLabel] = []

    def add(self, label: str, field: QWidget, text: str, after: QWidget | None = None,
            *, wide: bool = False) -> None:
        """A labelled field (``after`` beside it, e.g. a unit), its explanation below.

        A ``wide`` field (a path) takes the whole width instead of its natural size.
        """
        caption = QLabel(label)
        caption.setBuddy(field)
        self.captions.append(caption)
        self.addWidget(caption, self._row, 0, Qt.AlignmentFlag.AlignRight
                       | Qt.AlignmentFlag.AlignVCenter)
        if wide:
            self.addWidget(field, self._row, 1, 1, 2)
        else:
            self.addWidget(field, self._row, 1, Qt.AlignmentFlag.AlignLeft)
        if after is not None:
            self.addWidget(after, self._row, 2, Qt.AlignmentFlag.AlignLeft
                           | Qt.AlignmentFlag.AlignVCenter)
        note = explanation(text)
        self.addWidget(note, self._row + 1, 1, 1, 2)
        self.setRowMinimumHeight(self._row + 2, 10)  # air between one field and the next
        self._row += 3

    def add_below(self, widget: QWidget) -> None:
        """A widget (a warning, a state) under the last field's explanation."""
        widget.setContentsMargins(0, 0, 0, 8)
        self.addWidget(widget, self._row - 1, 1, 1, 2)


def align_labels(*grids: FieldGrid) -> None:
    """Give several grids of one page the same label column, so their fields line up."""
    width = max((c.sizeHint().width() for g in grids for c in g.captions), default=0)
    for grid in grids:
        grid.setColumnMinimumWidth(0, width)


class SettingsPage(QWidget):
    """One page of the Settings dialog; subclasses build fields for their ``keys``."""

    title = ""
    icon = ""
    keys: tuple[str, ...] = ()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(page_title(self.title))

    def load(self, values: Mapping[str, Any]) -> None:
        """Show ``values`` (every setting, merged with the defaults)."""
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        """The values shown, for this page's keys (check with :meth:`check` first)."""
        raise NotImplementedError

    def check(self) -> None:
        """Raise :class:`Problem` for the first value that cannot be saved."""

    def restore_defaults(self) -> None:
        """Show SocialDesk's defaults for this page (saved only when the user clicks OK)."""
        self.load(deepcopy(DEFAULTS))
