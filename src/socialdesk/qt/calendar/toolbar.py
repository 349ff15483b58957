"""The calendar's two bars: title, navigation, mode switch and actions; filters and summary.

Nothing in them moves when the period changes: the title keeps the width of the longest
one, and the summary keeps to one line (its whole text in a tooltip when cut).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.limits import CHANNEL_PLATFORMS, platform_name
from socialdesk.qt.calendar.campaigns import swatch
from socialdesk.qt.formatting import month_title, week_title
from socialdesk.qt.icons import readable_brand_icon
from socialdesk.qt.view_base import heading
from socialdesk.store.models import Campaign, PostRow
from socialdesk.store.vocabulary import POST_STATUSES

MODES = ("month", "week", "agenda")
NO_CAMPAIGN = -1  # the campaign filter's "No campaign"
# The widest titles: the longest month name, a week across two months.
def widest_titles() -> list[str]:
    """Every month's title and weeks across two months, in the locale's words."""
    months = [date(2088, month, 1) for month in range(1, 13)]
    return [*(month_title(m) for m in months),
            *(week_title(m - timedelta(days=3), m + timedelta(days=3)) for m in months)]


class OneLineLabel(QLabel):
    """Muted text kept to one line, cut with "…" where the room ends (whole on hover).

    ``text()`` stays the whole text; the label asks for no width of its own.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def setText(self, text: str) -> None:
        """Show ``text``; the tooltip repeats it."""
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the text on one line, elided to the width."""
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        room = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                              room.width())
        painter.drawText(room, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         shown)


class CalendarBar(QWidget):
    """Buttons and filters over the calendar; the view connects to their signals."""

    mode_chosen = Signal(str)
    step = Signal(int)  # -1 previous, +1 next
    today_clicked = Signal()
    filters_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = heading("")
        self._fit_title()
        self.mode_buttons: dict[str, QToolButton] = {}
        group = QButtonGroup(self)
        switch = QHBoxLayout()
        switch.setSpacing(0)
        for mode in MODES:
            button = QToolButton()
            button.setText(mode.title())
            button.setCheckable(True)
            button.setToolTip(f"Show a {mode}" if mode != "agenda" else "Show a list")
            button.clicked.connect(lambda _=False, m=mode: self.mode_chosen.emit(m))
            group.addButton(button)
            switch.addWidget(button)
            self.mode_buttons[mode] = button
        self.mode_buttons["month"].setChecked(True)
        previous, following = QToolButton(), QToolButton()
        previous.setText("‹")
        following.setText("›")
        previous.setToolTip("Previous (Ctrl+Page Up)")
        following.setToolTip("Next (Ctrl+Page Down)")
        previous.clicked.connect(lambda: self.step.emit(-1))
        following.clicked.connect(lambda: self.step.emit(1))
        current = QPushButton("Today")
        current.clicked.connect(self.today_clicked)
        self.new_button = QPushButton("New post")
        self.new_button.setToolTip("Plan a new post (or double-click a day)")
        self.template_button = QPushButton("From template")
        self.template_button.setToolTip("Start a new post from a saved template, or manage "
                                        "the templates")
        self.campaigns_button = QPushButton("Campaigns")
        self.campaigns_button.setToolTip("Add or change campaigns and their colours")
        self.channels_button = QPushButton("Own channels")
        self.channels_button.setToolTip("Your own accounts and their followers")
        top = QHBoxLayout()
        top.addWidget(self.title_label)
        top.addSpacing(12)
        for button in (previous, current, following):
            top.addWidget(button)
        top.addSpacing(12)
        top.addLayout(switch)
        top.addStretch()
        for button in (self.new_button, self.template_button, self.campaigns_button,
                       self.channels_button):
            top.addWidget(button)

        self.channel_filter = QComboBox()
        self.channel_filter.addItem("All channels", None)
        base = self.palette().color(QPalette.ColorRole.Base)
        for platform in CHANNEL_PLATFORMS:
            self.channel_filter.addItem(readable_brand_icon(platform, 16, base),
                                        platform_name(platform), platform)
        self.campaign_filter = QComboBox()
        self.campaign_filter.setMinimumContentsLength(14)
        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", None)
        for status in POST_STATUSES:
            self.status_filter.addItem(status.title(), status)
        for box in self.filters():
            box.currentIndexChanged.connect(self.filters_changed)
        self.summary = OneLineLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("Show:"))
        for box in self.filters():
            bottom.addWidget(box)
        bottom.addSpacing(12)
        bottom.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(bottom)

    def _fit_title(self) -> None:
        """Give the title the width of the longest one, so the buttons after it stay put."""
        metrics = self.title_label.fontMetrics()
        margin = 2 * self.title_label.margin() + 4
        self.title_label.setFixedWidth(
            max(metrics.horizontalAdvance(text) for text in widest_titles()) + margin)

    def changeEvent(self, event: QEvent) -> None:
        """Fit the title again when the font changes."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_title()

    def filters(self) -> tuple[QComboBox, QComboBox, QComboBox]:
        """The channel, campaign and status filters."""
        return self.channel_filter, self.campaign_filter, self.status_filter

    def filtering(self) -> bool:
        """True when any filter is set."""
        return any(box.currentData() is not None for box in self.filters())

    def matcher(self) -> Callable[[PostRow], bool]:
        """The filters as they are set now, as a test of one post."""
        channel = self.channel_filter.currentData()
        campaign = self.campaign_filter.currentData()
        status = self.status_filter.currentData()
        if channel is None and campaign is None and status is None:
            return lambda _row: True

        def matches(row: PostRow) -> bool:
            return ((channel is None or channel in row.platforms)
                    and (campaign is None or (row.campaign_id is None if campaign == NO_CAMPAIGN
                                              else row.campaign_id == campaign))
                    and (status is None or row.status == status))

        return matches

    def set_campaigns(self, campaigns: list[Campaign]) -> None:
        """Offer ``campaigns`` in the campaign filter, keeping the choice if it still exists."""
        box = self.campaign_filter
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem("All campaigns", None)
        box.addItem("No campaign", NO_CAMPAIGN)
        for campaign in campaigns:
            box.addItem(swatch(campaign.colour), campaign.name, campaign.id)
        box.setCurrentIndex(max(0, box.findData(current)))
        box.blockSignals(False)
