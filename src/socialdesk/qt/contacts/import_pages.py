"""The pages of the import dialog: preview, column mapping, duplicates review, summary.

Pages only show and collect; the wizard (:mod:`socialdesk.qt.contacts.import_wizard`) reads the
file, checks for duplicates and writes, each on a worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from socialdesk.core.contacts.import_mapping import FIELD_LABELS, FIELDS, RawTable
from socialdesk.core.contacts.import_plan import DECISIONS, KEEP, MERGE, SKIP, default_decision
from socialdesk.core.contacts.importing import DuplicateMatch, ParsedContact, Problem
from socialdesk.qt.columns import fitter_of
from socialdesk.qt.table_model import Column, RowTableModel, TitledColumnsModel
from socialdesk.qt.view_base import EmptyState, make_table, section_title
from socialdesk.qt.wheel import wheel_needs_focus

Index = QModelIndex | QPersistentModelIndex
PREVIEW_ROWS = 200
PERSISTENT_EDITORS = 300  # beyond this, a click opens a row's combo box
DECISION_LABELS = {MERGE: "Merge into existing", KEEP: "Keep both", SKIP: "Skip"}
# Why a row is an existing contact, by DuplicateMatch.via.
EXACT_REASONS = {"uid": "same vCard UID", "email": "same e-mail address",
                 "url": "same profile address", "phone": "same phone number",
                 "same": "already there, nothing new"}


def _values(contact: ParsedContact, kind: str) -> str:
    return ", ".join(contact.contact.values(kind))


PREVIEW_COLUMNS: list[Column[ParsedContact]] = [
    Column("Line", lambda p: p.line, numeric=True),
    Column("Name", lambda p: p.contact.name),
    Column("Organisation", lambda p: p.contact.organisation),
    Column("E-mail", lambda p: _values(p, "email"), tooltip=lambda p: _values(p, "email")),
    Column("Phone", lambda p: _values(p, "phone")),
    Column("Web", lambda p: _values(p, "url")),
    Column("Tags", lambda p: ", ".join(p.contact.tags)),
    Column("Notes", lambda p: p.contact.notes.replace("\n", " ")[:80],
           tooltip=lambda p: p.contact.notes),
]
PROBLEM_COLUMNS: list[Column[Problem]] = [
    Column("Line", lambda p: p.line, numeric=True),
    Column("Problem", lambda p: p.message, tooltip=lambda p: p.message),
]


class ContactsPreview(QWidget):
    """The first contacts a file (or a mapping) gives, and the rows with problems."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RowTableModel[ParsedContact] = RowTableModel(PREVIEW_COLUMNS, self)
        self.table = make_table(self.model, stretch=7,
                                widest={1: 200, 2: 180, 3: 220, 6: 160})
        self.table.setAccessibleName("Contacts in the file")
        self.body = EmptyState(self.table, "No contacts found in this file.")
        self.problem_model: RowTableModel[Problem] = RowTableModel(PROBLEM_COLUMNS, self)
        self.problems = make_table(self.problem_model, stretch=1)
        self.problems.setMaximumHeight(130)
        self.problems_title = section_title("")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body, 3)
        layout.addWidget(self.problems_title)
        layout.addWidget(self.problems, 1)

    def show_contacts(self, contacts: Sequence[ParsedContact],
                      problems: Sequence[Problem]) -> None:
        """Show the first contacts and every problem."""
        self.model.set_rows(list(contacts[:PREVIEW_ROWS]))
        self.body.set_empty(not contacts)
        self.problem_model.set_rows(list(problems))
        count = len(problems)
        self.problems_title.setText(
            f"{count} problem{'s' if count != 1 else ''} — these rows are left out or "
            "incomplete:" if count else "")
        self.problems.setVisible(bool(count))
        self.problems_title.setVisible(bool(count))


class PreviewPage(QWizardPage):
    """What the file holds, as SocialDesk read it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Preview")
        self.setSubTitle("What SocialDesk read from the file. Nothing is written until you "
                         "press Import.")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.preview = ContactsPreview()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)


class MappingModel(TitledColumnsModel):
    """One row per CSV column: its header, sample values, and the field it feeds."""

    HEADERS = ("Column", "Examples", "Import as")

    def __init__(self, table: RawTable, mapping: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.table = table
        self.mapping = list(mapping)
        self.samples = [" · ".join(table.samples(i)) for i in range(len(table.headers))]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per column of the file."""
        return 0 if parent.isValid() else len(self.mapping)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Header name, samples, or the chosen field's label (its key in EditRole)."""
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return self.table.headers[row] or f"(column {row + 1})"
            if column == 1:
                return self.samples[row]
            return FIELD_LABELS[self.mapping[row]]
        if role == Qt.ItemDataRole.EditRole and column == 2:
            return self.mapping[row]
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and self.mapping[row] == "ignore":
            return QApplication.palette().placeholderText()
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """The field column is editable."""
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == 2 else flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Choose the field a column feeds."""
        if index.column() != 2 or value not in FIELDS:
            return False
        self.mapping[index.row()] = str(value)
        self.dataChanged.emit(index, index)
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a combo box of (key, label) choices; the model stores the key."""

    def __init__(self, choices: Sequence[tuple[str, str]], parent: Any = None) -> None:
        super().__init__(parent)
        self.choices = list(choices)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        """A combo box that commits as soon as a choice is made."""
        combo = QComboBox(parent)
        for key, label in self.choices:
            combo.addItem(label, key)
        combo.activated.connect(lambda _=0: self.commitData.emit(combo))
        wheel_needs_focus(combo)  # scrolling the table must not change the choices
        return combo

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Draw the cell as a combo box showing the choice (no widget: thousands stay cheap)."""
        super().paint(painter, option, index)
        box = QStyleOptionComboBox()
        box.rect = option.rect.adjusted(2, 2, -2, -2)
        box.state = option.state | QStyle.StateFlag.State_Enabled
        box.palette = option.palette
        box.currentText = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        widget = option.widget
        style = widget.style() if widget else QApplication.style()
        style.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, box, painter, widget)
        style.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, box, painter, widget)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Select the cell's current key."""
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        """Store the chosen key."""
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def _choice_table(model: QAbstractTableModel, column: int, choices: Sequence[tuple[str, str]],
                  stretch: int) -> QTableView:
    table = make_table(model, stretch=stretch)
    table.setItemDelegateForColumn(column, ChoiceDelegate(choices, table))
    table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 14)
    return table


def show_choices(table: QTableView, column: int, most: int = PERSISTENT_EDITORS) -> None:
    """Show the combo boxes of a choice column outright (for the first ``most`` rows)."""
    model = table.model()
    for row in range(min(model.rowCount(), most)):
        table.openPersistentEditor(model.index(row, column))


class MappingPage(QWizardPage):
    """For a CSV SocialDesk does not recognise: say what each column holds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("What does each column hold?")
        self.setSubTitle("Choose a field for each column of the file, or leave it out. "
                         "SocialDesk remembers your choice for files with the same columns.")
        self.model: MappingModel | None = None
        self.table = QTableView()
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b5483b")
        self.problem.setWordWrap(True)
        self.preview = ContactsPreview()
        self.holder = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.holder, 2)
        layout.addWidget(self.problem)
        layout.addWidget(section_title("The first contacts with these choices"))
        layout.addWidget(self.preview, 3)

    def set_table(self, table: RawTable, mapping: Sequence[str]) -> MappingModel:
        """Show the columns of ``table`` with ``mapping`` chosen."""
        self.model = MappingModel(table, mapping, self)
        view = _choice_table(self.model, 2, [(f, FIELD_LABELS[f]) for f in FIELDS], 1)
        view.setColumnWidth(0, 200)
        view.setColumnWidth(2, 170)
        view.horizontalHeader().moveSection(2, 1)
        show_choices(view, 2)
        self.holder.removeWidget(self.table)
        self.table.deleteLater()
        self.table = view
        self.holder.addWidget(view)
        return self.model


class DecisionsModel(TitledColumnsModel):
    """The likely duplicates with the user's decision for each."""

    HEADERS = ("Line", "In the file", "Already in SocialDesk", "Why", "What to do")

    def __init__(self, matches: Sequence[DuplicateMatch], parent: Any = None) -> None:
        super().__init__(parent)
        self.matches = list(matches)
        self.decisions = {m.index: default_decision(m) for m in self.matches}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per match."""
        return 0 if parent.isValid() else len(self.matches)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text per column; the decision's key in EditRole."""
        if not index.isValid():
            return None
        match = self.matches[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            reason = (EXACT_REASONS.get(match.via, "same e-mail address")
                      if match.kind == "exact" else f"similar name ({match.score:.0f}% alike)")
            return (match.line or "", match.name, match.existing_name, reason,
                    DECISION_LABELS[self.decisions[match.index]])[column]
        if role == Qt.ItemDataRole.EditRole and column == 4:
            return self.decisions[match.index]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """The decision column is editable."""
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == 4 else flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Set one decision."""
        if index.column() != 4 or value not in DECISIONS:
            return False
        self.decisions[self.matches[index.row()].index] = str(value)
        self.dataChanged.emit(index, index)
        return True

    def set_all(self, decision: str, rows: Sequence[int] | None = None) -> None:
        """Set the decision of the given rows (all by default)."""
        for row in range(len(self.matches)) if rows is None else rows:
            self.decisions[self.matches[row].index] = decision
        if self.matches:
            self.dataChanged.emit(self.index(0, 4), self.index(len(self.matches) - 1, 4))


class DuplicatesPage(QWizardPage):
    """Contacts that are, or may be, already in the workspace: merge, keep both or skip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("People you may already have")
        self.setSubTitle("Merging adds what is new (addresses, tags, an organisation) to the "
                         "existing contact and changes nothing you typed. Same UID, e-mail "
                         "address, profile or phone: merged unless you say otherwise.")
        self.model = DecisionsModel([], self)
        self.table = _choice_table(self.model, 4, [(d, DECISION_LABELS[d]) for d in DECISIONS],
                                   3)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.CurrentChanged
                                   | QAbstractItemView.EditTrigger.SelectedClicked
                                   | QAbstractItemView.EditTrigger.DoubleClicked)
        self.body = EmptyState(self.table, "Nobody in this file is in SocialDesk yet.")
        self.ready = QLabel()
        self.ready.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addWidget(QLabel("For the selected rows (or all):"))
        for decision, text in ((MERGE, "Merge"), (KEEP, "Keep both"), (SKIP, "Skip")):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, d=decision: self._set_selected(d))
            self.buttons[decision] = button
            row.addWidget(button)
        row.addStretch()
        self.bulk = QWidget()
        self.bulk.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.bulk)
        layout.addWidget(self.ready)

    def set_matches(self, matches: Sequence[DuplicateMatch], contacts: int) -> None:
        """Show the matches at their default decisions, and how many contacts will come in."""
        self.model = DecisionsModel(matches, self)
        self.table.setModel(self.model)
        self.body.set_empty(not matches)
        self.bulk.setVisible(bool(matches))
        self.ready.setText(
            f"Press Import to bring in {contacts:,} contact{'s' if contacts != 1 else ''}"
            + ("; those you merge are added to the contact you already have, those you skip "
               "stay out." if matches else "."))
        self.table.horizontalHeader().setResizeContentsPrecision(PREVIEW_ROWS)
        fitter = fitter_of(self.table)
        fitter.measuring = False  # the decision's column keeps the room its choices need
        fitter.widest.update({1: 240, 2: 240})
        widths = fitter.measure()
        widths[4] = 190
        fitter.set_wanted(widths)

    def _set_selected(self, decision: str) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        self.model.set_all(decision, rows or None)


class SummaryPage(QWizardPage):
    """What the import did."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Import finished")
        self.setSubTitle("Your contacts are in the Contacts view.")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
