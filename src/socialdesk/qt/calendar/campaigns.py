"""Campaigns and own channels: a list and an editor each, shown in the calendar's side pane."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.formatting import compact, exact
from socialdesk.core.limits import CHANNEL_PLATFORMS, platform_name
from socialdesk.qt.calendar.actions import CalendarActions
from socialdesk.qt.calendar.fields import hbox, iso_date, qdate
from socialdesk.qt.formatting import date_edit_format, day_text
from socialdesk.qt.icons import readable_brand_icon
from socialdesk.qt.table_model import Column, RowTableModel
from socialdesk.qt.view_base import EmptyState, make_table, muted, section_title
from socialdesk.store import campaigns as store
from socialdesk.store import posts
from socialdesk.store.models import Campaign, Channel

# Distinct colours for new campaigns (Tableau 10), offered as one-click swatches.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac")


def swatch(colour: str, size: int = 14) -> QIcon:
    """A square of ``colour`` as an icon."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def _day(iso: str) -> str:
    return day_text(iso, weekday=False)


def _dates(campaign: Campaign) -> str:
    if campaign.starts_on and campaign.ends_on:
        return f"{_day(campaign.starts_on)} – {_day(campaign.ends_on)}"
    if campaign.starts_on:
        return f"from {_day(campaign.starts_on)}"
    return f"until {_day(campaign.ends_on)}" if campaign.ends_on else "No dates"


class _ListEditor(QWidget):
    """A table over a form with New, Save and Delete (shared by both panels)."""

    close_requested = Signal()

    def __init__(self, actions: CalendarActions, title: str, hint: str, empty: str) -> None:
        super().__init__()
        self.actions = actions
        self.ws = actions.ws
        self.current_id = 0
        self.table = make_table(self.model, stretch=0)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.body = EmptyState(self.table, empty)
        self.form = QFormLayout()
        self.new_button = QPushButton("New")
        self.new_button.clicked.connect(self.new)
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Close")
        close.clicked.connect(self.close_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(hbox(section_title(title), stretch=True))
        layout.itemAt(0).widget().layout().addWidget(close)
        layout.addWidget(muted(hint))
        layout.addWidget(self.body, 1)
        self.form_title = section_title("")
        layout.addWidget(self.form_title)
        layout.addLayout(self.form)
        layout.addWidget(hbox(self.new_button, self.delete_button, stretch=True))
        layout.itemAt(layout.count() - 1).widget().layout().addWidget(self.save_button)

    model: RowTableModel

    def refresh(self) -> None:
        """Reload the list, keeping the one being edited selected."""
        rows = self.load_rows()
        self.model.set_rows(rows)
        self.body.set_empty(not rows)
        for number, row in enumerate(rows):
            if row.id == self.current_id:
                self.table.selectRow(number)
                return
        self.new()

    def _selected(self, selected: QItemSelection, _old: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self.show_item(self.model.row_at(indexes[0].row()))

    def select_id(self, item_id: int) -> None:
        """Select and edit the item with ``item_id``."""
        for number, row in enumerate(self.model.rows):
            if row.id == item_id:
                self.table.selectRow(number)

    def load_rows(self) -> list:
        """The items to list (subclasses)."""
        raise NotImplementedError

    def show_item(self, item: object) -> None:
        """Put an item into the form (subclasses)."""
        raise NotImplementedError

    def new(self) -> None:
        """Clear the form for a new item (subclasses)."""
        raise NotImplementedError

    def save(self) -> None:
        """Save the form (subclasses)."""
        raise NotImplementedError

    def delete(self) -> None:
        """Delete the item being edited (subclasses)."""
        raise NotImplementedError


class CampaignsPanel(_ListEditor):
    """Every campaign with its dates and posts; edit name, goal, dates and colour."""

    def __init__(self, actions: CalendarActions) -> None:
        self.counts: dict[int, int] = {}
        self.model: RowTableModel[Campaign] = RowTableModel([
            Column("Campaign", lambda c: c.name, colour=lambda c: c.colour,
                   tooltip=lambda c: c.goal or "No goal written yet"),
            Column("Dates", _dates),
            Column("Posts", lambda c: self.counts.get(c.id, 0), numeric=True),
        ])
        super().__init__(actions, "Campaigns",
                         "A campaign groups posts with one goal; its colour marks them in "
                         "the calendar.",
                         "No campaigns yet — click New to start one (for example "
                         "“Christmas orders”).")
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Christmas orders")
        self.goal = QLineEdit()
        self.goal.setPlaceholderText("Why, in one sentence: e.g. sell out the Christmas stollen")
        self.has_start = QCheckBox("from")
        self.starts = QDateEdit()
        self.has_end = QCheckBox("to")
        self.ends = QDateEdit()
        for check, edit in ((self.has_start, self.starts), (self.has_end, self.ends)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_edit_format())
            check.toggled.connect(edit.setEnabled)
        self.colour = "#4e79a7"
        self.colour_button = QPushButton("Other colour…")
        self.colour_button.clicked.connect(self.pick_colour)
        self.swatches: list[QToolButton] = []
        for colour in PALETTE:
            button = QToolButton()
            button.setIcon(swatch(colour, 16))
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setToolTip(colour)
            button.clicked.connect(lambda _=False, c=colour: self.set_colour(c))
            self.swatches.append(button)
        self.form.addRow("Name", self.name)
        self.form.addRow("Goal", self.goal)
        self.form.addRow("Dates", hbox(self.has_start, self.starts, self.has_end, self.ends,
                                       stretch=True))
        self.form.addRow("Colour", hbox(*self.swatches, stretch=True))
        self.form.addRow("", hbox(self.colour_button, stretch=True))

    def load_rows(self) -> list[Campaign]:
        """Every campaign, with its number of posts."""
        self.counts = store.campaign_post_counts(self.ws)
        return posts.campaigns(self.ws)

    def set_colour(self, colour: str) -> None:
        """Use ``colour`` for the campaign being edited."""
        self.colour = QColor(colour).name()
        for button, option in zip(self.swatches, PALETTE, strict=True):
            button.setChecked(option == self.colour)
        self.colour_button.setIcon(swatch(self.colour))

    def pick_colour(self) -> None:
        """Choose any colour."""
        chosen = QColorDialog.getColor(QColor(self.colour), self, "Campaign colour")
        if chosen.isValid():
            self.set_colour(chosen.name())

    def show_item(self, item: object) -> None:
        """Edit a campaign."""
        assert isinstance(item, Campaign)
        self.current_id = item.id
        self.form_title.setText(f"Edit “{item.name}”")
        self.name.setText(item.name)
        self.goal.setText(item.goal)
        for check, edit, value in ((self.has_start, self.starts, item.starts_on),
                                   (self.has_end, self.ends, item.ends_on)):
            check.setChecked(value is not None)
            edit.setEnabled(value is not None)
            edit.setDate(qdate(value))
        self.set_colour(item.colour)
        self.delete_button.setEnabled(True)

    def new(self) -> None:
        """Start a new campaign with a colour no other campaign uses (if one is left)."""
        self.current_id = 0
        self.table.clearSelection()
        self.form_title.setText("New campaign")
        used = {c.colour.lower() for c in self.model.rows}
        self.show_item(Campaign(0, "", colour=next((c for c in PALETTE if c not in used),
                                                   PALETTE[0])))
        self.form_title.setText("New campaign")
        self.delete_button.setEnabled(False)
        self.name.setFocus()

    def campaign(self) -> Campaign:
        """The form as a campaign."""
        return Campaign(
            self.current_id, self.name.text(), self.goal.text(),
            iso_date(self.starts.date()) if self.has_start.isChecked() else None,
            iso_date(self.ends.date()) if self.has_end.isChecked() else None, self.colour)

    def save(self) -> None:
        """Save the campaign (one undo step)."""
        saved = self.actions.save_campaign(self.campaign())
        if saved is not None:
            self.current_id = saved
            self.refresh()

    def delete(self) -> None:
        """Delete the campaign; its posts stay, without a campaign."""
        if self.current_id and self.actions.delete_campaign(self.current_id):
            self.current_id = 0
            self.refresh()


class ChannelsPanel(_ListEditor):
    """The business's own accounts: network, handle and followers (the planner's own reach)."""

    def __init__(self, actions: CalendarActions) -> None:
        self.model: RowTableModel[Channel] = RowTableModel([
            Column("Channel", lambda c: platform_name(c.platform)),
            Column("Handle", lambda c: c.handle),
            Column("Followers", lambda c: c.followers, display=compact, numeric=True,
                   tooltip=lambda c: exact(c.followers)),
            Column("Active", lambda c: c.active, display=lambda v: "yes" if v else "no"),
        ])
        super().__init__(actions, "Own channels",
                         "Your own accounts. Their followers are the reach a post has "
                         "before any partner shares it.",
                         "No channels yet — click New and add your Instagram, Facebook page "
                         "or newsletter.")
        self.platform = QComboBox()
        for platform in (*CHANNEL_PLATFORMS, "other"):
            self.platform.addItem(self._icon(platform), platform_name(platform), platform)
        self.handle = QLineEdit()
        self.handle.setPlaceholderText("@yourbakery")
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://…")
        self.followers = QSpinBox()
        self.followers.setRange(0, 2_000_000_000)
        self.followers.setGroupSeparatorShown(True)
        self.followers.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.active = QCheckBox("Active (count it in plans)")
        self.form.addRow("Network", self.platform)
        self.form.addRow("Handle", self.handle)
        self.form.addRow("Address", self.url)
        self.form.addRow("Followers", self.followers)
        self.form.addRow("", self.active)

    def _icon(self, platform: str) -> QIcon:
        return readable_brand_icon(platform, 16, self.palette().color(QPalette.ColorRole.Base))

    def load_rows(self) -> list[Channel]:
        """Every own channel."""
        return store.all_channels(self.ws)

    def show_item(self, item: object) -> None:
        """Edit a channel."""
        assert isinstance(item, Channel)
        self.current_id = item.id
        self.form_title.setText(f"Edit {platform_name(item.platform)} {item.handle}".strip())
        index = self.platform.findData(item.platform)
        if index < 0:
            self.platform.addItem(self._icon(item.platform), platform_name(item.platform),
                                  item.platform)
            index = self.platform.count() - 1
        self.platform.setCurrentIndex(index)
        self.handle.setText(item.handle)
        self.url.setText(item.url)
        self.followers.setValue(item.followers)
        self.active.setChecked(item.active)
        self.delete_button.setEnabled(True)

    def new(self) -> None:
        """Start a new channel."""
        self.current_id = 0
        self.table.clearSelection()
        self.show_item(Channel(0, "instagram", "", 0))
        self.form_title.setText("New channel")
        self.delete_button.setEnabled(False)

    def channel(self) -> Channel:
        """The form as a channel."""
        return Channel(self.current_id, self.platform.currentData(), self.handle.text(),
                       self.followers.value(), self.url.text(), self.active.isChecked())

    def save(self) -> None:
        """Save the channel (one undo step)."""
        saved = self.actions.save_channel(self.channel())
        if saved is not None:
            self.current_id = saved
            self.refresh()

    def delete(self) -> None:
        """Delete the channel."""
        if self.current_id and self.actions.delete_channel(self.current_id):
            self.current_id = 0
            self.refresh()

