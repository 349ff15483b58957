"""Small dialogs of the contact editor: one audience, one link to another contact."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.clock import today
from socialdesk.core.limits import platform_name
from socialdesk.qt.contacts.form import ListEdit
from socialdesk.qt.formatting import date_edit_format
from socialdesk.qt.icons import brand_icon
from socialdesk.qt.keyboard import keyboard_ready
from socialdesk.qt.wheel import wheel_needs_focus
from socialdesk.store import contacts as contact_store
from socialdesk.store.audiences import check_audience
from socialdesk.store.contact_search import ContactSearch
from socialdesk.store.contacts import ContactQuery
from socialdesk.store.links import check_link
from socialdesk.store.models import Audience, Link
from socialdesk.store.vocabulary import PLATFORMS
from socialdesk.store.workspace import Workspace

ID_ROLE = Qt.ItemDataRole.UserRole + 10


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class AudienceDialog(QDialog):
    """Add or change one audience: platform, handle or address, size, topics, engagement."""

    def __init__(self, audience: Audience, topics: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audience")
        self.audience = audience
        self.platform = QComboBox()
        for platform in PLATFORMS:
            self.platform.addItem(brand_icon(platform), platform_name(platform), platform)
        if self.platform.findData(audience.platform) < 0:
            self.platform.addItem(audience.platform.title(), audience.platform)
        self.platform.setCurrentIndex(self.platform.findData(audience.platform))
        self.handle = QLineEdit(audience.handle)
        self.handle.setPlaceholderText("@handle or the name of the list")
        self.url = QLineEdit(audience.url)
        self.url.setPlaceholderText("https://…")
        self.size = QSpinBox()
        self.size.setRange(0, 2_000_000_000)
        self.size.setGroupSeparatorShown(True)
        self.size.setValue(audience.size)
        self.size.setSuffix(" people")
        self.topics = ListEdit("What they post about, separated by commas")
        self.topics.completer_.set_choices(topics)
        self.topics.set_items(audience.topics)
        self.engagement = QDoubleSpinBox()
        self.engagement.setRange(-0.1, 100)
        self.engagement.setDecimals(1)
        self.engagement.setSuffix("%")
        self.engagement.setSpecialValueText("Not known")
        rate = audience.engagement_rate
        self.engagement.setValue(-0.1 if rate is None else rate * 100)
        self.engagement.setToolTip("Share of the audience that likes, comments or shares a "
                                   "typical post")
        self.checked = QCheckBox("Checked on")
        self.checked_on = QDateEdit()
        self.checked_on.setCalendarPopup(True)
        self.checked_on.setDisplayFormat(date_edit_format())
        self.checked.toggled.connect(self.checked_on.setEnabled)
        self.checked.setChecked(audience.last_checked_on is not None)
        self.checked_on.setEnabled(audience.last_checked_on is not None)
        self.checked_on.setDate(QDate.fromString(audience.last_checked_on
                                                 or today().isoformat(), Qt.DateFormat.ISODate))
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b5483b")
        self.problem.hide()
        checked = QHBoxLayout()
        checked.addWidget(self.checked)
        checked.addWidget(self.checked_on, 1)
        form = QFormLayout()
        form.addRow("Platform", self.platform)
        form.addRow("Handle", self.handle)
        form.addRow("Address", self.url)
        form.addRow("Size", self.size)
        form.addRow("Topics", self.topics)
        form.addRow("Engagement", self.engagement)
        form.addRow("", checked)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(_buttons(self))
        self.setMinimumWidth(420)
        wheel_needs_focus(self)
        keyboard_ready(self)

    def value(self) -> Audience:
        """The audience as the dialog shows it."""
        engagement = self.engagement.value()
        return dataclasses.replace(
            self.audience,
            platform=self.platform.currentData(),
            handle=self.handle.text().strip(),
            url=self.url.text().strip(),
            size=self.size.value(),
            topics=tuple(self.topics.items()),
            engagement_rate=None if engagement < 0 else round(engagement / 100, 4),
            last_checked_on=(self.checked_on.date().toString(Qt.DateFormat.ISODate)
                             if self.checked.isChecked() else None),
        )

    def accept(self) -> None:
        """Close only with values the workspace accepts."""
        try:
            check_audience(self.value())
        except ValueError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        super().accept()


class ContactPicker(QLineEdit):
    """Type a few letters of a name; pick the contact from the list that drops down."""

    def __init__(self, ws: Workspace, exclude: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.exclude = exclude
        self.search = ContactSearch(ws)
        self.chosen: int | None = None
        self.setPlaceholderText("Type a name…")
        self.matches = QStandardItemModel(self)
        completer = QCompleter(self.matches, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.activated[QModelIndex].connect(self._picked)
        self.setCompleter(completer)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(120)
        self.timer.timeout.connect(self.update_matches)
        self.textEdited.connect(lambda _: (setattr(self, "chosen", None), self.timer.start()))

    def update_matches(self) -> None:
        """Offer the first contacts matching what is typed."""
        self.matches.clear()
        if not self.text().strip():
            return
        ids = self.search.matches(ContactQuery(self.text()), 21).ids[:21]
        for row in contact_store.rows_for_ids(self.ws, ids):
            if row.id == self.exclude:
                continue
            item = QStandardItem(row.name + (f" — {row.organisation}" if row.organisation
                                             else ""))
            item.setData(row.id, ID_ROLE)
            self.matches.appendRow(item)
        self.completer().complete()

    def _picked(self, index: QModelIndex) -> None:
        self.chosen = index.data(ID_ROLE)


class LinkDialog(QDialog):
    """Link the contact to another one: who, how (knows, member of…), how strongly."""

    def __init__(self, ws: Workspace, contact_id: int, contact_name: str, kinds: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Link {contact_name} to…")
        self.contact_id = contact_id
        self.other = ContactPicker(ws, contact_id)
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItems([k.replace("_", " ") for k in kinds])
        self.weight = QSpinBox()
        self.weight.setRange(0, 100)
        self.weight.setValue(50)
        self.weight.setSuffix("%")
        self.weight.setToolTip("How strongly a share by one reaches the other (the planner's "
                               "second hop)")
        self.directed = QCheckBox(f"Only from {contact_name} to them")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Optional note")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b5483b")
        self.problem.hide()
        form = QFormLayout()
        form.addRow("Contact", self.other)
        form.addRow("Relationship", self.kind)
        form.addRow("Weight", self.weight)
        form.addRow("", self.directed)
        form.addRow("Note", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(_buttons(self))
        self.setMinimumWidth(420)
        wheel_needs_focus(self)
        keyboard_ready(self)

    def value(self) -> Link | None:
        """The link as the dialog shows it, or None while no contact is chosen."""
        if self.other.chosen is None:
            return None
        return Link(
            id=0, from_id=self.contact_id, to_id=int(self.other.chosen),
            kind=self.kind.currentText().strip().replace(" ", "_"),
            weight=self.weight.value() / 100, directed=self.directed.isChecked(),
            note=self.note.text().strip(),
            other_name=self.other.text().split(" — ")[0],
        )

    def accept(self) -> None:
        """Close only with a contact chosen and valid values."""
        link = self.value()
        try:
            if link is None:
                raise ValueError("Choose a contact from the list that appears as you type.")
            check_link(link)
        except ValueError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        super().accept()
