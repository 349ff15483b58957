"""The planner's summary: reach alone → with the chosen asks, the likely range, the effort.

The likely range is the command line's headline, in the same words: the cascade's p10–p90
and median, with the mean and the chance that nobody shares on the line under it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from socialdesk.core.formatting import compact, exact, percent
from socialdesk.core.planner.headline import likely_range, mean_and_none, multiplier_text
from socialdesk.qt.icons import ui_icon

if TYPE_CHECKING:
    from socialdesk.core.planner.cascade import CascadeSummary

WARNING_COLOUR = "#c98a00"


class Figure(QWidget):
    """A caption over a large number."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(caption)
        self.caption.setForegroundRole(self.caption.foregroundRole().PlaceholderText)
        self.value = QLabel("–")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QLabel("")
        self.detail.setForegroundRole(self.detail.foregroundRole().PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def set(self, value: str, tooltip: str = "", detail: str = "") -> None:
        """Show a value, its exact figures on hover and a small line under it."""
        self.value.setText(value)
        self.detail.setText(detail)
        self.setToolTip(tooltip)


def _arrow() -> QLabel:
    label = QLabel("→")
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.45)
    label.setFont(font)
    label.setForegroundRole(label.foregroundRole().PlaceholderText)
    return label


def _divider() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


class PlanSummary(QWidget):
    """The figures a user compares when choosing asks, and a warning line when needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alone = Figure("Your channels alone")
        self.asks = Figure("With these asks")
        self.range = Figure("Likely reach, counting reshares")
        self.effort = Figure("Time to ask")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        row.addWidget(self.alone)
        row.addWidget(_arrow())
        row.addWidget(self.asks)
        row.addWidget(_divider())
        row.addWidget(self.range)
        row.addWidget(_divider())
        row.addWidget(self.effort)
        row.addStretch(1)
        self.warning_icon = QLabel()
        self.warning_icon.setPixmap(ui_icon("triangle-alert", WARNING_COLOUR, 16).pixmap(16, 16))
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        warning_row = QHBoxLayout()
        warning_row.setContentsMargins(0, 0, 0, 0)
        warning_row.addWidget(self.warning_icon, 0, Qt.AlignmentFlag.AlignTop)
        warning_row.addWidget(self.warning, 1)
        self.warning_box = QWidget()
        self.warning_box.setLayout(warning_row)
        self.warning_box.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.warning_box)

    def show_first_degree(self, alone: float, reach: float, asks: int, effort: float) -> None:
        """The model's expected reach without and with the chosen asks (shown at once)."""
        self.alone.set(f"{compact(alone)} people",
                       f"About {exact(round(alone))} people see this post through your own "
                       "channels.", "without asking anyone")
        multiplier = multiplier_text(reach / alone if alone > 0 else None)
        noun = "ask" if asks == 1 else "asks"
        self.asks.set(
            f"{compact(reach)} people", f"About {exact(round(reach))} people expected with "
            f"{asks} {noun} (partners' audiences overlap, and not everyone shares).",
            f"{multiplier} with {asks} {noun}" if asks else "tick partners to ask")
        self.effort.set(f"{effort:.0f} min", f"{effort:.0f} minutes to write to the "
                        f"{asks} partners", f"for {asks} {noun}")

    def show_range(self, summary: CascadeSummary | None, pending: bool = False) -> None:
        """The Monte Carlo range with reshares, or a note that it is being worked out."""
        if pending:
            self.range.value.setEnabled(False)
            self.range.detail.setText("working it out…")
            return
        self.range.value.setEnabled(True)
        if summary is None:
            self.range.set("–", "", "")
            return
        self.range.set(
            likely_range(summary),
            f"In 8 of 10 of {summary.runs:,} simulated outcomes the post reaches between "
            f"{exact(round(summary.p10))} and {exact(round(summary.p90))} people (half of "
            f"them reach {exact(round(summary.median))} or more; average "
            f"{exact(round(summary.mean))}), counting partners who pass it on to partners "
            f"they know; {summary.mean_sharers:.1f} partners share on average, and in "
            f"{percent(summary.p_none)} of the outcomes nobody shares.",
            mean_and_none(summary))

    def clear(self) -> None:
        """No plan: dashes everywhere."""
        for figure in (self.alone, self.asks, self.range, self.effort):
            figure.set("–")
        self.set_warning("")

    def set_warning(self, text: str) -> None:
        """Show (or, with an empty text, hide) the inline warning."""
        self.warning.setText(text)
        self.warning_box.setVisible(bool(text))
