"""Small editing widgets the post editor uses: counts, topic completion, time zones."""

from __future__ import annotations

import zoneinfo
from functools import cache

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, QStringListModel, Qt
from PySide6.QtGui import QFocusEvent, QIntValidator, QWheelEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QLineEdit, QWidget

from socialdesk.core.clock import today
from socialdesk.core.timezones import local_timezone


def hbox(*widgets: QWidget, stretch: bool = False) -> QWidget:
    """Widgets side by side in a holder without margins."""
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    if stretch:
        layout.addStretch()
    return holder


def qdate(iso: str | None) -> QDate:
    """An ISO date as a QDate (today when there is none)."""
    day = today() if not iso else None
    return QDate(day.year, day.month, day.day) if day else QDate.fromString(iso, "yyyy-MM-dd")


def iso_date(value: QDate) -> str:
    """A QDate as ISO text."""
    return value.toString("yyyy-MM-dd")


class CountField(QLineEdit):
    """A whole number that may be unknown (empty)."""

    def __init__(self, placeholder: str, tooltip: str = "", parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setValidator(QIntValidator(0, 2_000_000_000, self))
        self.setPlaceholderText(placeholder)
        self.setToolTip(f"{tooltip} (empty: not known)" if tooltip else "")
        self.setAlignment(Qt.AlignmentFlag.AlignRight)

    def value(self) -> int | None:
        """The number, or None when empty."""
        text = self.text().strip()
        return int(text) if text else None

    def set_value(self, value: int | None) -> None:
        """Show a number, or nothing for None."""
        self.setText("" if value is None else str(value))


class TokenCompleter(QCompleter):
    """Completes the last comma-separated word of a line edit (for topics)."""

    def __init__(self, words: list[str], parent: QLineEdit) -> None:
        super().__init__(parent)
        self.words = QStringListModel(words, self)
        self.setModel(self.words)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self.line = parent

    def set_words(self, words: list[str]) -> None:
        """Replace the words offered."""
        self.words.setStringList(words)

    def splitPath(self, path: str) -> list[str]:
        """Complete only what follows the last comma."""
        return [path.split(",")[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        """The text with its last word replaced by the chosen topic."""
        head = self.line.text().rsplit(",", 1)[0] if "," in self.line.text() else ""
        word = str(index.data())
        return f"{head}, {word}" if head else word


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA time zone name, sorted."""
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC"))


class ZoneBox(QComboBox):
    """An IANA time zone picker (type to search); starts on this computer's zone.

    The list of zones (some 400 names read from the time zone database) is filled in
    the first time the box is used — focused, opened, scrolled — not when it is made.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.default = local_timezone()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        completer = self.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setToolTip("The time zone of the time above (type a city to find it)")
        self._filled = False
        self.set_zone(None)

    def fill(self) -> None:
        """List every zone (once), keeping what the box shows."""
        if self._filled:
            return
        self._filled = True
        shown = self.currentText()
        self.addItems(list(zone_names()))
        self.setCurrentText(shown)

    def set_zone(self, name: str | None) -> None:
        """Show ``name``, or this computer's zone for None."""
        self.setCurrentText(name or self.default)

    def zone(self) -> str:
        """The chosen zone's name as typed or picked."""
        return self.currentText().strip()

    def focusInEvent(self, event: QFocusEvent) -> None:
        """List the zones before the user types (the completer searches them)."""
        self.fill()
        super().focusInEvent(event)

    def showPopup(self) -> None:
        """List the zones before the list opens."""
        self.fill()
        super().showPopup()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """List the zones before the wheel steps through them."""
        self.fill()
        super().wheelEvent(event)
