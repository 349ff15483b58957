"""The fields of a contact's card: name, kind, stage, details, tags, notes, follow-up.

:class:`ContactForm` shows a :class:`~socialdesk.store.models.Contact` and emits
``edited(field)`` whenever the user finishes changing one field; :meth:`ContactForm.contact`
reads the form back into a contact. The form never writes: the editor turns each edit
into an undoable command.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtCore import QDate, QSignalBlocker, QStringListModel, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.clock import today
from socialdesk.qt.formatting import date_edit_format
from socialdesk.qt.icons import palette_icon
from socialdesk.qt.keyboard import keyboard_ready
from socialdesk.qt.wheel import wheel_needs_focus
from socialdesk.store.models import STAGE_STRENGTH, Contact, Detail
from socialdesk.store.vocabulary import CONTACT_KINDS, STAGES

DETAIL_LABELS = {
    "email": ("", "home", "work", "other"),
    "phone": ("", "mobile", "home", "work", "fax", "other"),
    "url": ("", "website", "blog", "profile", "work", "other"),
}
DETAIL_PLACEHOLDERS = {"email": "name@example.com", "phone": "+44 20 7946 0000",
                       "url": "https://…"}
DETAIL_NAMES = {"email": "E-mail address", "phone": "Phone number", "url": "Web address"}
KIND_HINTS = {
    "customer": "Buys from you", "fan": "Loves what you do", "blogger": "Writes for an audience",
    "partner": "A business you work with", "community": "A group or association",
    "press": "Journalist or publication", "staff": "Works with you", "other": "Anything else",
}


def split_tags(text: str) -> list[str]:
    """Tags typed as ``"vip, market"``: stripped, without empties or repeats (any case)."""
    unique: dict[str, str] = {}
    for part in text.split(","):
        if part.strip():
            unique.setdefault(part.strip().casefold(), part.strip())
    return list(unique.values())


def normal_tags(tags: Sequence[str]) -> tuple[str, ...]:
    """Tags in the order the store lists them, so that two spellings compare equal."""
    return tuple(sorted(split_tags(",".join(tags)), key=str.casefold))


class ListCompleter(QCompleter):
    """Completes the last item of a comma-separated list (tags, topics)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(QStringListModel(self))
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)

    def set_choices(self, choices: Sequence[str]) -> None:
        """The words to offer."""
        model = self.model()
        if isinstance(model, QStringListModel) and model.stringList() != list(choices):
            model.setStringList(list(choices))

    def splitPath(self, path: str) -> list[str]:
        """Complete only what follows the last comma."""
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: object) -> str:
        """Replace the last item with the chosen word, keeping the ones before it."""
        chosen = super().pathFromIndex(index)  # type: ignore[arg-type]
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        before = text.rsplit(",", 1)[0] + ", " if "," in text else ""
        return before + chosen


class ListEdit(QLineEdit):
    """A comma-separated list with completion of each item."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.completer_ = ListCompleter(self)
        self.setCompleter(self.completer_)

    def items(self) -> list[str]:
        """The items typed, cleaned."""
        return split_tags(self.text())

    def set_items(self, items: Sequence[str]) -> None:
        """Show ``items`` unless the same ones are shown already."""
        if normal_tags(self.items()) != normal_tags(items):
            self.setText(", ".join(items))


class NotesEdit(QPlainTextEdit):
    """Multi-line notes that report ``editingFinished`` when focus leaves, like QLineEdit."""

    editingFinished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Leaving the notes finishes the edit."""
        super().focusOutEvent(event)
        self.editingFinished.emit()


class DetailRows(QWidget):
    """Several e-mail addresses, phone numbers or web addresses, each with a label."""

    changed = Signal()

    def __init__(self, kind: str, add_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.rows: list[tuple[QWidget, QComboBox, QLineEdit]] = []
        self.list_layout = QVBoxLayout()
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(4)
        self.add_button = QPushButton(palette_icon("plus"),
                                      add_text)
        self.add_button.setFlat(True)
        self.add_button.clicked.connect(self.add_empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self.list_layout)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def details(self) -> list[Detail]:
        """The non-empty rows, in order."""
        return [
            Detail(self.kind, value.text().strip(), label.currentText().strip())
            for _, label, value in self.rows if value.text().strip()
        ]

    def set_details(self, details: Sequence[Detail]) -> None:
        """Show ``details`` (rows are rebuilt only when they differ from what is shown)."""
        wanted = [d for d in details if d.kind == self.kind]
        if wanted == self.details() and len(self.rows) == len(wanted):
            return
        for holder, _, _ in self.rows:
            holder.deleteLater()
        self.rows = []
        for detail in wanted:
            self._add_row(detail.label, detail.value)

    def add_empty(self) -> None:
        """Add an empty row and put the cursor in it."""
        _, _, value = self._add_row("", "")
        value.setFocus()

    def _add_row(self, label: str, value: str) -> tuple[QWidget, QComboBox, QLineEdit]:
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        labels = QComboBox(holder)
        labels.setEditable(True)
        labels.addItems(list(DETAIL_LABELS[self.kind]))
        labels.setCurrentText(label)
        labels.lineEdit().setPlaceholderText("label")
        labels.setFixedWidth(96)
        labels.setToolTip("What this is: home, work, mobile… (type your own if you like)")
        wheel_needs_focus(labels)
        edit = QLineEdit(value, holder)
        edit.setCursorPosition(0)  # show the start of a long address
        edit.setPlaceholderText(DETAIL_PLACEHOLDERS[self.kind])
        edit.setAccessibleName(DETAIL_NAMES[self.kind])
        remove = QToolButton(holder)
        remove.setIcon(palette_icon("x"))
        remove.setAutoRaise(True)
        remove.setToolTip("Remove")
        row.addWidget(labels)
        row.addWidget(edit, 1)
        row.addWidget(remove)
        self.list_layout.addWidget(holder)
        keyboard_ready(holder)
        entry = (holder, labels, edit)
        self.rows.append(entry)
        edit.editingFinished.connect(self.changed)
        labels.activated.connect(lambda _=0: self.changed.emit())
        labels.lineEdit().editingFinished.connect(self.changed)
        remove.clicked.connect(lambda: self._remove(entry))
        return entry

    def _remove(self, entry: tuple[QWidget, QComboBox, QLineEdit]) -> None:
        self.rows.remove(entry)
        entry[0].deleteLater()
        self.changed.emit()


class ContactForm(QWidget):
    """Every field of a contact's card; emits ``edited(field)`` after each change."""

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Name")
        self.organisation_edit = QLineEdit()
        self.organisation_edit.setPlaceholderText("Organisation (company, group, publication)")
        self.kind = QComboBox()
        for kind in CONTACT_KINDS:
            self.kind.addItem(kind.title(), kind)
            self.kind.setItemData(self.kind.count() - 1, KIND_HINTS[kind],
                                  Qt.ItemDataRole.ToolTipRole)
        self.stage = QComboBox()
        for stage in STAGES:
            self.stage.addItem(stage.title(), stage)
        self.stage.setToolTip("How close you are: aware → engaged → ally → champion")
        self.strength = QSpinBox()
        self.strength.setRange(-1, 100)
        self.strength.setSuffix("%")
        self.strength.setMaximumWidth(200)
        self.strength.setToolTip("Tie strength: how likely they are to help when asked. "
                                 "Leave at the stage's default unless you know better.")
        self.effort = QSpinBox()
        self.effort.setRange(0, 24 * 60)
        self.effort.setSuffix(" min")
        self.effort.setMaximumWidth(200)
        self.effort.setToolTip("How long an ask to this contact takes you (the planner's cost)")
        self.follow_check = QCheckBox("Follow up on")
        self.follow_date = QDateEdit()
        self.follow_date.setAccessibleName("Follow-up date")
        self.follow_date.setCalendarPopup(True)
        self.follow_date.setDisplayFormat(date_edit_format())
        self.emails = DetailRows("email", "Add e-mail")
        self.phones = DetailRows("phone", "Add phone")
        self.urls = DetailRows("url", "Add web address")
        self.tags = ListEdit("Tags, separated by commas")
        self.notes = NotesEdit()
        self.notes.setPlaceholderText("Anything worth remembering")
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(90)

        follow = QHBoxLayout()
        follow.addWidget(self.follow_check)
        follow.addWidget(self.follow_date, 1)
        relationship = QHBoxLayout()
        relationship.addWidget(self.kind, 1)
        relationship.addWidget(self.stage, 1)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Kind, stage", relationship)
        form.addRow("Tie strength", self.strength)
        form.addRow("Ask effort", self.effort)
        form.addRow("", follow)
        form.addRow("E-mail", self.emails)
        form.addRow("Phone", self.phones)
        form.addRow("Web", self.urls)
        form.addRow("Tags", self.tags)
        form.addRow("Notes", self.notes)
        self._connect()

    def _connect(self) -> None:
        def emit(field: str) -> None:
            if not self._loading:
                self.edited.emit(field)

        self.name_edit.editingFinished.connect(lambda: emit("name"))
        self.organisation_edit.editingFinished.connect(lambda: emit("organisation"))
        self.kind.activated.connect(lambda _=0: emit("kind"))
        self.stage.activated.connect(lambda _=0: emit("stage"))
        self.stage.currentIndexChanged.connect(lambda _=0: self._show_default_strength())
        self.strength.valueChanged.connect(lambda _=0: emit("strength"))
        self.effort.valueChanged.connect(lambda _=0: emit("effort"))
        self.follow_check.toggled.connect(self.follow_date.setEnabled)
        self.follow_check.clicked.connect(lambda _=False: emit("follow_up"))
        self.follow_date.dateChanged.connect(lambda _=None: emit("follow_up"))
        for rows, field in ((self.emails, "emails"), (self.phones, "phones"), (self.urls, "urls")):
            rows.changed.connect(lambda f=field: emit(f))
        self.tags.editingFinished.connect(lambda: emit("tags"))
        self.notes.editingFinished.connect(lambda: emit("notes"))

    def _show_default_strength(self) -> None:
        stage = self.stage.currentData() or "aware"
        self.strength.setSpecialValueText(f"Stage default ({STAGE_STRENGTH[stage]:.0%})")

    def set_tag_choices(self, tags: Sequence[str]) -> None:
        """The existing tags to offer as completions."""
        self.tags.completer_.set_choices(tags)

    def load(self, contact: Contact) -> None:
        """Show ``contact``; fields that already show its values are left alone."""
        self._loading = True
        blockers = [QSignalBlocker(w) for w in (self.strength, self.effort, self.follow_date)]
        try:
            for edit, value in ((self.name_edit, contact.name),
                                (self.organisation_edit, contact.organisation)):
                if edit.text() != value:
                    edit.setText(value)
                    edit.setCursorPosition(0)
            self.kind.setCurrentIndex(max(0, self.kind.findData(contact.kind)))
            self.stage.setCurrentIndex(max(0, self.stage.findData(contact.stage)))
            self._show_default_strength()
            strength = -1 if contact.strength is None else round(contact.strength * 100)
            self.strength.setValue(strength)
            self.effort.setValue(contact.effort_minutes)
            self.follow_check.setChecked(contact.follow_up_on is not None)
            self.follow_date.setEnabled(contact.follow_up_on is not None)
            day = contact.follow_up_on or today().isoformat()
            self.follow_date.setDate(QDate.fromString(day, Qt.DateFormat.ISODate))
            for rows in (self.emails, self.phones, self.urls):
                rows.set_details(contact.details)
            self.tags.set_items(contact.tags)
            if self.notes.toPlainText() != contact.notes:
                self.notes.setPlainText(contact.notes)
        finally:
            del blockers
            self._loading = False

    def contact(self, base: Contact) -> Contact:
        """``base`` with what the form shows.

        A new name drops the structured name read from a file (an export then works it
        out from the new name), a new organisation the units read with the old one.
        """
        strength = self.strength.value()
        notes = self.notes.toPlainText()
        name = self.name_edit.text().strip()
        organisation = self.organisation_edit.text().strip()
        return dataclasses.replace(
            base,
            name=name,
            structured_name=base.structured_name if name == base.name else "",
            organisation=organisation,
            org_units=base.org_units if organisation == base.organisation else "",
            kind=self.kind.currentData(),
            stage=self.stage.currentData(),
            strength=None if strength < 0 else strength / 100,
            effort_minutes=self.effort.value(),
            follow_up_on=(self.follow_date.date().toString(Qt.DateFormat.ISODate)
                          if self.follow_check.isChecked() else None),
            details=tuple(self.emails.details() + self.phones.details() + self.urls.details()),
            tags=normal_tags(self.tags.items()),
            notes=base.notes if notes.strip() == base.notes.strip() else notes.strip(),
        )


def same_card(a: Contact, b: Contact) -> bool:
    """True when two contacts' cards hold the same values (tag order and case aside)."""
    return dataclasses.replace(a, tags=normal_tags(a.tags)) == dataclasses.replace(
        b, tags=normal_tags(b.tags))
