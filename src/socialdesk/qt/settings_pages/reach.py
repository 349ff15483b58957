"""Settings → Reach model: the leverage model's parameters, each explained in a line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDoubleSpinBox, QGridLayout, QLabel, QWidget

from socialdesk.core.limits import platform_name
from socialdesk.core.settings import REACH_RATES
from socialdesk.qt.icons import brand_icon
from socialdesk.qt.settings_pages import (
    FieldGrid,
    SettingsPage,
    check_typed,
    explanation,
    fraction,
    number_box,
    percent_box,
    section_title,
    set_fraction,
)
from socialdesk.store.workspace import Workspace

RATE_COLUMNS = 3


class ReachPage(SettingsPage):
    """The leverage model's parameters, each with a line saying what it does."""

    title = "Reach model"
    icon = "network"
    keys = ("universe", "cross_platform", "extra_platforms", "reshare", "max_hops", "prior_a",
            "prior_b", "fatigue_days", "default_effort_minutes", "reach_rates")

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.layout_.addWidget(explanation(
            "How SocialDesk estimates the people a post reaches, alone and with your "
            "partners' help. The defaults suit most small businesses; adjust them when "
            "your results tell a different story."))
        self.universe = number_box(100, 1_000_000_000, " people", step=1000)
        self.universe.setFixedWidth(170)
        self.cross_platform = percent_box(decimals=0)
        self.extra_platforms = percent_box(decimals=0)
        self.reshare = percent_box(decimals=0)
        self.max_hops = number_box(1, 4)
        self.prior_a = percent_box(decimals=0)
        self.prior_b = percent_box(decimals=0)
        self.fatigue_days = number_box(1, 365, " days")
        self.default_effort = number_box(0, 8 * 60, " min", step=5)
        grid = FieldGrid()
        grid.add("Your market:", self.universe,
                 "How many people could plausibly hear of you at all (your market). "
                 "No estimate goes above it.")
        grid.add("Other networks count:", self.cross_platform,
                 "How much an audience on a network the post is not made for still counts — "
                 "say a partner's Facebook fans, for an Instagram post.")
        grid.add("Their other networks:", self.extra_platforms,
                 "A partner shares mainly on the network where the post does best for them; "
                 "this much of their audiences elsewhere sees it too.")
        grid.add("Passed on:", self.reshare,
                 "The chance that a partner passes a post on when someone linked to them "
                 "shares it.")
        grid.add("Sharing steps:", self.max_hops,
                 "How far a post travels: 1 is your partners' own shares, 2 adds the "
                 "partners they pass it to, up to 4.")
        grid.add("Likely to share:", self.prior_a,
                 "The chance that a partner with no tie to you shares when asked, before "
                 "any answer of theirs is known.")
        grid.add("More with a close tie:", self.prior_b,
                 "What a close tie adds to that chance (a partner's tie strength is "
                 "between none and close); answers to asks then teach the rest.")
        grid.add("Time between asks:", self.fatigue_days,
                 "Right after an ask a partner is unlikely to share again; after this many "
                 "days they are about two-thirds back to normal.")
        grid.add("Time per ask:", self.default_effort,
                 "How long one ask usually takes you. New contacts start with it; each "
                 "contact can have their own.")
        self.layout_.addLayout(grid)

        self.layout_.addSpacing(6)
        self.layout_.addWidget(section_title("Followers who see a post"))
        self.layout_.addWidget(explanation(
            "Of the people who follow an account, the share who see an ordinary post there. "
            "Feeds show a post to few followers; newsletters reach more of their readers."))
        self.rates: dict[str, QDoubleSpinBox] = {}
        self.rate_grid = QGridLayout()
        self.rate_grid.setHorizontalSpacing(8)
        self.rate_grid.setVerticalSpacing(4)
        self._place_rates(REACH_RATES)
        self.layout_.addLayout(self.rate_grid)
        self.layout_.addStretch(1)

    def _place_rates(self, rates: Mapping[str, float]) -> None:
        """A field per network, in columns; networks not seen before get one too."""
        for platform in rates:
            if platform in self.rates:
                continue
            index = len(self.rates)
            row, column = index % 5, (index // 5) * 3
            icon = QLabel()
            icon.setPixmap(brand_icon(platform, 16).pixmap(QSize(16, 16)))
            name = QLabel(platform_name(platform))
            box = percent_box(decimals=1)
            box.setFixedWidth(96)
            box.setToolTip(f"Share of {platform_name(platform)} followers who see a post")
            name.setBuddy(box)
            self.rate_grid.addWidget(icon, row, column)
            self.rate_grid.addWidget(name, row, column + 1)
            self.rate_grid.addWidget(box, row, column + 2, Qt.AlignmentFlag.AlignLeft)
            self.rate_grid.setColumnMinimumWidth(column + 2, 96 + 24)
            self.rates[platform] = box

    def load(self, values: Mapping[str, Any]) -> None:
        """Show the model's parameters."""
        self.universe.setValue(int(values["universe"]))
        set_fraction(self.cross_platform, values["cross_platform"])
        set_fraction(self.extra_platforms, values["extra_platforms"])
        set_fraction(self.reshare, values["reshare"])
        self.max_hops.setValue(int(values["max_hops"]))
        set_fraction(self.prior_a, values["prior_a"])
        set_fraction(self.prior_b, values["prior_b"])
        self.fatigue_days.setValue(round(float(values["fatigue_days"])))
        self.default_effort.setValue(int(values["default_effort_minutes"]))
        self._place_rates(values["reach_rates"])
        for platform, box in self.rates.items():
            set_fraction(box, values["reach_rates"].get(platform, REACH_RATES.get(platform, 0)))

    def values(self) -> dict[str, Any]:
        """The parameters as typed."""
        return {
            "universe": self.universe.value(),
            "cross_platform": fraction(self.cross_platform),
            "extra_platforms": fraction(self.extra_platforms),
            "reshare": fraction(self.reshare),
            "max_hops": self.max_hops.value(),
            "prior_a": fraction(self.prior_a),
            "prior_b": fraction(self.prior_b),
            "fatigue_days": self.fatigue_days.value(),
            "default_effort_minutes": self.default_effort.value(),
            "reach_rates": {platform: fraction(box) for platform, box in self.rates.items()},
        }

    def check(self) -> None:
        """Every field holds a number in its range."""
        check_typed(self.universe, "Your market")
        check_typed(self.cross_platform, "Other networks count")
        check_typed(self.extra_platforms, "Their other networks")
        check_typed(self.reshare, "Passed on")
        check_typed(self.max_hops, "Sharing steps")
        check_typed(self.prior_a, "Likely to share")
        check_typed(self.prior_b, "More with a close tie")
        check_typed(self.fatigue_days, "Time between asks")
        check_typed(self.default_effort, "Time per ask")
        for platform, box in self.rates.items():
            check_typed(box, f"Followers who see a post on {platform_name(platform)}")
