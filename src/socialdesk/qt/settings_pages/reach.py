"""Settings → Reach model: the leverage model's parameters, each explained in a line.

Beside the set values it shows what the track record learned (the recalibration of the
chance to share, reach rates from published own posts), each with its evidence, and the
switches that let the planner use them. What was learned is read on a worker thread: a
large workspace has tens of thousands of answered asks to fit.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QGridLayout, QLabel, QWidget

from socialdesk.core.limits import platform_name
from socialdesk.core.planner import track_record
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
from socialdesk.qt.workers import LatestJob
from socialdesk.store.workspace import Workspace

RATE_COLUMNS = 3
GROUP = 4  # columns per network in the rates grid: icon, name, field, learned rate
Learning = tuple[track_record.Calibration, dict[str, track_record.LearnedRate]]


def read_learning(path: Path) -> Learning:
    """Worker: the recalibration and the learned rates, on a read-only connection."""
    with Workspace.open_readonly(path) as ws:
        return track_record.calibration(ws), track_record.workspace_learned_rates(ws)


class ReachPage(SettingsPage):
    """The leverage model's parameters, each with a line saying what it does."""

    title = "Reach model"
    icon = "network"
    keys = ("universe", "cross_platform", "extra_platforms", "reshare", "max_hops", "prior_a",
            "prior_b", "fatigue_days", "default_effort_minutes", "reach_rates",
            "calibration_on", "learned_rates_on")

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
        self.learned: dict[str, track_record.LearnedRate] = {}
        self.rates: dict[str, QDoubleSpinBox] = {}
        self.learned_labels: dict[str, QLabel] = {}
        self.rate_grid = QGridLayout()
        self.rate_grid.setHorizontalSpacing(8)
        self.rate_grid.setVerticalSpacing(4)
        self._place_rates(REACH_RATES)
        self.layout_.addLayout(self.rate_grid)

        self.layout_.addSpacing(6)
        self.layout_.addWidget(section_title("Learning from your results"))
        self.calibration: track_record.Calibration | None = None
        self.calibration_on = QCheckBox("Correct the chance to share by your track record")
        self.calibration_note = explanation("Reading your track record…")
        self.learned_rates_on = QCheckBox("Use the share of followers learned from your posts")
        self.learned_note = explanation("")
        for widget in (self.calibration_on, self.calibration_note, self.learned_rates_on,
                       self.learned_note):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)
        self.learning = LatestJob(self)
        self.learning.finished.connect(self.show_learning)
        path = ws.path
        self.learning.start(lambda: read_learning(path))

    def show_learning(self, learning: Learning) -> None:
        """Show the recalibration and each network's learned rate, with their evidence."""
        self.calibration, self.learned = learning
        self.calibration_note.setText(calibration_text(self.calibration))
        self.learned_note.setText(learned_text(self.learned))
        for platform, label in self.learned_labels.items():
            label.setText(learned_rate_text(self.learned.get(platform)))
            label.setToolTip(learned_rate_tooltip(platform, self.learned.get(platform)))

    def _place_rates(self, rates: Mapping[str, float]) -> None:
        """A field per network, in columns; networks not seen before get one too."""
        for platform in rates:
            if platform in self.rates:
                continue
            index = len(self.rates)
            row, column = index % 5, (index // 5) * GROUP
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
            learned = QLabel(learned_rate_text(self.learned.get(platform)))
            learned.setForegroundRole(learned.foregroundRole().PlaceholderText)
            learned.setToolTip(learned_rate_tooltip(platform, self.learned.get(platform)))
            self.rate_grid.addWidget(learned, row, column + 3)
            self.rate_grid.setColumnMinimumWidth(column + 3, 24)
            self.rates[platform] = box
            self.learned_labels[platform] = learned

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
            default = REACH_RATES.get(platform, REACH_RATES["other"])
            set_fraction(box, values["reach_rates"].get(platform, default))
        self.calibration_on.setChecked(bool(values["calibration_on"]))
        self.learned_rates_on.setChecked(bool(values["learned_rates_on"]))

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
            "calibration_on": self.calibration_on.isChecked(),
            "learned_rates_on": self.learned_rates_on.isChecked(),
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


def calibration_text(c: track_record.Calibration) -> str:
    """What the recalibration is, from how many answered asks (or how many more it needs)."""
    if not c.fitted:
        return (f"Once {track_record.MIN_RESOLVED} asks made in the Planner are answered, the "
                "chances it gives are corrected by how often partners really shared "
                f"({c.resolved:,} so far). Until then they are used as they are.")
    return (f"Learned from {c.resolved:,} answered asks: α {c.alpha:+.2f}, β {c.beta:.2f} "
            "(the default, α 0 and β 1, changes nothing). Reports → Track record shows how "
            "the chances compared with what partners did.")


def learned_text(learned: Mapping[str, track_record.LearnedRate]) -> str:
    """Which networks have a learned rate, from how many posts."""
    ready = [(name, r) for name, r in learned.items() if r.rate is not None]
    if not ready:
        return (f"After {track_record.MIN_POSTS} published posts on a network with their reach "
                "typed in (each made for that one network), the share of your followers who "
                "saw them is learned and shown beside the rate above.")
    listed = ", ".join(f"{platform_name(name)} {r.rate:.1%} ({r.posts:,} posts)"
                       for name, r in ready)
    return (f"Learned: {listed}. A few posts count for little: each rate starts at its "
            f"default and moves toward your own as posts add up.")


def learned_rate_text(learned: track_record.LearnedRate | None) -> str:
    """A network's learned rate beside its field ("learned 24.0% · 7 posts") or its posts."""
    if learned is None:
        return ""
    if learned.rate is None:
        return f"{learned.posts} of {track_record.MIN_POSTS} posts"
    return f"learned {learned.rate:.1%} · {learned.posts:,} posts"


def learned_rate_tooltip(platform: str, learned: track_record.LearnedRate | None) -> str:
    """The learned rate's evidence in words."""
    name = platform_name(platform)
    if learned is None:
        return f"No published {name} post with its reach typed in yet"
    if learned.rate is None:
        return (f"{learned.posts} published {name} posts with their reach: "
                f"{track_record.MIN_POSTS} are needed to learn a rate")
    return (f"Learned from {learned.posts:,} published {name} posts: {learned.rate:.1%} "
            f"(default {learned.default:.1%})")
