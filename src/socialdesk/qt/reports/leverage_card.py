"""Today's leverage card: recent leverage, reach per hour of asking, asks waiting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from socialdesk.qt.formatting import day_text
from socialdesk.qt.reports.figures import (
    per_hour_text,
    per_hour_tooltip,
    ratio_text,
    ratio_tooltip,
)
from socialdesk.qt.reports.tiles import Sparkline, StatTile, tile_row
from socialdesk.store import asks, reports
from socialdesk.store.asks import WaitingAsks
from socialdesk.store.report_models import Leverage
from socialdesk.store.workspace import Workspace

EMPTY_HINT = ("No results to compare yet: after a post goes out, type in its reach in the "
              "Calendar and record partners' shares on their asks.")


@dataclass(frozen=True, slots=True)
class CardFigures:
    """What the card shows: the last 12 weeks' leverage and the asks waiting on ``day``."""

    day: date
    weeks: tuple[Leverage, ...]
    waiting: WaitingAsks


def read_card(ws: Workspace, day: date) -> CardFigures:
    """The card's figures (two queries; safe on a worker's own connection)."""
    first, last = reports.week_window(day)
    return CardFigures(day, tuple(reports.leverage_by_week(ws, first, last)),
                       asks.waiting_asks(ws, day.isoformat()))


class LeverageCard(QFrame):
    """How much further partners carried the posts lately, in four figures."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.sparkline = Sparkline()
        self.this_week = StatTile("Leverage this week")
        self.twelve_weeks = StatTile("Leverage, last 12 weeks", self.sparkline)
        self.per_hour = StatTile("Reach per hour of asking")
        self.waiting = StatTile("Asks waiting")
        self.hint = QLabel(EMPTY_HINT)
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(self.hint.foregroundRole().PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(2)
        layout.addLayout(tile_row([self.this_week, self.twelve_weeks, self.per_hour,
                                   self.waiting]))
        layout.addWidget(self.hint)
        self.weeks: list[Leverage] = []

    def show_figures(self, figures: CardFigures) -> None:
        """Show figures read by :func:`read_card`."""
        day = figures.day
        first = figures.weeks[0].first
        self.weeks = list(figures.weeks)
        week, total = self.weeks[-1], Leverage.combined(self.weeks)
        self.this_week.set_figure(
            ratio_text(week.ratio), ratio_tooltip(week, "this week"),
            "partners ÷ own reach" if week.ratio is not None else "")
        self.twelve_weeks.set_figure(
            ratio_text(total.ratio),
            ratio_tooltip(total, f"since {day_text(first, day)}") + "\n"
            + "\n".join(f"Week of {day_text(w.first, day)}: {ratio_text(w.ratio)}"
                        for w in self.weeks))
        self.sparkline.set_values([w.ratio for w in self.weeks])
        self.per_hour.set_figure(per_hour_text(total),
                                 per_hour_tooltip(total, "in the last 12 weeks"),
                                 "people" if total.reach_per_hour is not None else "")
        waiting = figures.waiting
        self.waiting.set_figure(
            f"{waiting.waiting:,}",
            f"{waiting.waiting:,} asks waiting: asked and not answered yet, or agreed but "
            "not shared yet.\n"
            f"{waiting.overdue:,} of them overdue: waiting past their due date.",
            f"{waiting.overdue:,} overdue" if waiting.overdue else "")
        self.hint.setVisible(total.empty)
