"""What to import from an .ics file: its to-dos or not, and from when repeating events start.

For a calendar CSV the dialog is the preview: how many posts, which layout, and the rows
that will be left out or read with a guess, before anything is written.

Shown by File → Import… after the file was read (:mod:`socialdesk.qt.transfer`). A
repeating event SocialDesk cannot store as a repeat becomes one post per date for a year;
the date chosen here (default today) is where that year starts, so that a series begun
years ago brings its coming dates, or its past ones when the user asks for them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from socialdesk import APP_NAME
from socialdesk.core.calendar.importing import CalendarPreview
from socialdesk.qt.calendar.fields import iso_date, qdate
from socialdesk.qt.formatting import date_edit_format
from socialdesk.qt.keyboard import keyboard_ready

SHOWN = 10  # problems listed before importing


class CalendarImportOptions(QDialog):
    """Import or cancel; ``todos`` and ``since_edit`` are shown only when they matter."""

    def __init__(self, path: Path, preview: CalendarPreview,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import calendar — {APP_NAME}")
        if preview.layout == "ics":
            text = (f"{path.name} holds {len(preview.posts):,} events, which will become posts "
                    "(events already imported are updated, not repeated).")
        else:
            source = "a Hootsuite bulk upload" if preview.layout == "hootsuite" else \
                "a SocialDesk calendar spreadsheet"
            text = (f"{path.name} ({source}) holds {len(preview.posts):,} posts (posts "
                    "already imported are updated, not repeated).")
        self.question = QLabel(text)
        self.question.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        self.problems: QLabel | None = None
        if preview.problems:
            shown = [f"Line {p.line}: {p.message}" for p in preview.problems[:SHOWN]]
            if len(preview.problems) > SHOWN:
                shown.append(f"… and {len(preview.problems) - SHOWN:,} more.")
            self.problems = QLabel(f"{len(preview.problems):,} problems:\n" + "\n".join(shown))
            self.problems.setWordWrap(True)
            layout.addWidget(self.problems)
        form = QFormLayout()
        self.todos: QCheckBox | None = None
        if preview.todos:
            self.todos = QCheckBox(f"Also import its {preview.todos:,} to-dos as ideas on "
                                   "their due dates")
            form.addRow(self.todos)
        self.since_edit: QDateEdit | None = None
        if preview.series:
            self.since_edit = QDateEdit(qdate(None))
            self.since_edit.setCalendarPopup(True)
            self.since_edit.setDisplayFormat(date_edit_format())
            form.addRow("Repeating events from", self.since_edit)
            hint = QLabel("Its repeating events become one post per date, for a year from "
                          "this date; earlier dates are not imported.")
            hint.setWordWrap(True)
            hint.setForegroundRole(hint.foregroundRole().PlaceholderText)
            form.addRow(hint)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        keyboard_ready(self)

    def include_todos(self) -> bool:
        """Whether the file's to-dos become ideas."""
        return self.todos is not None and self.todos.isChecked()

    def since(self) -> date | None:
        """The first date of expanded repeating events (``None``: the file has none)."""
        if self.since_edit is None:
            return None
        return date.fromisoformat(iso_date(self.since_edit.date()))
