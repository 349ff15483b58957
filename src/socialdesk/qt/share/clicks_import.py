"""File → Import… with a web analytics export (clicks).

Read it, ask its period if it has no dates, record its visits per ask on the writer
thread (Cancel undoes the whole write), and show what matched and what did not.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from socialdesk import APP_NAME
from socialdesk.core import clock
from socialdesk.core.changes import Changes
from socialdesk.core.formatting import plural
from socialdesk.core.share.clicks import (
    ClicksData,
    ClicksImportCancelled,
    ClicksImportError,
    ClicksReport,
    import_clicks,
    read_clicks,
)
from socialdesk.qt.formatting import date_edit_format, day_text
from socialdesk.qt.keyboard import keyboard_ready
from socialdesk.qt.workers import Cancelled, Progress, start_with_dialog
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.workspace import Workspace

TITLE = f"Import clicks — {APP_NAME}"
SHOWN = 10
DEFAULT_DAYS = 30  # Plausible's and GA4's default report period


class PeriodDialog(QDialog):
    """Which days an export without dates covers: from and to, inclusive."""

    def __init__(self, file_name: str, tool: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(420)
        today = QDate(clock.today())
        self.first = QDateEdit(today.addDays(1 - DEFAULT_DAYS), calendarPopup=True)
        self.last = QDateEdit(today, calendarPopup=True)
        for edit in (self.first, self.last):
            edit.setDisplayFormat(date_edit_format())
        self.first.dateChanged.connect(self.last.setMinimumDate)
        self.last.setMinimumDate(self.first.date())
        explain = QLabel(f"{file_name} ({tool}) gives visits without dates. Which days does "
                         "it cover? Visits recorded before for these days are replaced.")
        explain.setWordWrap(True)
        form = QFormLayout()
        form.addRow("From:", self.first)
        form.addRow("To:", self.last)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(buttons)
        keyboard_ready(self)

    def period(self) -> tuple[str, str]:
        """The chosen days as ISO dates."""
        return (self.first.date().toString("yyyy-MM-dd"),
                self.last.date().toString("yyyy-MM-dd"))


def ask_period(parent: QWidget, path: Path, data: ClicksData) -> tuple[str, str] | None:
    """The period the user says ``path`` covers, or None when they cancel."""
    dialog = PeriodDialog(path.name, data.name, parent)
    try:
        return dialog.period() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def summary(report: ClicksReport, path: Path) -> str:
    """What the import recorded, in a few lines."""
    days = (day_text(report.first_day) if report.first_day == report.last_day
            else f"{day_text(report.first_day)} to {day_text(report.last_day)}")
    lines = [f"Recorded {plural(report.visits, 'visit')} for {plural(len(report.asks), 'ask')} "
             f"from {path.name} ({days})."]
    lines += [f"{partner}: {plural(visits, 'visit')}"
              for _, partner, visits in report.asks[:SHOWN]]
    if report.unmatched:
        lines.append("")
        lines.append(f"Sources that match no partner's ask "
                     f"({plural(len(report.unmatched), 'source')}):")
        lines += [f"{label}: {plural(n, 'visit')}" for label, n in report.unmatched[:SHOWN]]
        if len(report.unmatched) > SHOWN:
            lines.append(f"… and {len(report.unmatched) - SHOWN:,} more.")
    lines += [f"Line {p.line}: {p.message}" for p in report.problems[:SHOWN]]
    return "\n".join(lines)


def import_clicks_path(parent: QWidget, ws: Workspace, path: Path,
                       done: Callable[[Changes | None], None]) -> None:
    """Import the analytics export ``path``; ``done(changes)`` when it ended (None: nothing).

    Returns at once: the file is read on a worker and written on the writer thread.
    """
    def read(data: ClicksData | None, error: BaseException | None) -> None:
        if isinstance(error, Cancelled):
            done(None)
            return
        if isinstance(error, ClicksImportError):
            QMessageBox.critical(parent, TITLE, f"{error}\n\nNothing was imported.")
            done(None)
            return
        if error is not None or data is None:
            done(None)
            if error is not None:
                raise error
            return
        first = last = None
        if not data.dated and (data.first_day is None or data.last_day is None):
            period = ask_period(parent, path, data)
            if period is None:
                done(None)
                return
            first, last = period

        def work(progress: Progress) -> ClicksReport:
            with Workspace.open(ws.path) as own:  # the writer's connection of its own
                return import_clicks(own, path, first_day=first, last_day=last, data=data,
                                     progress=progress)

        start_with_dialog(parent, f"Importing {path.name}…", work, imported, writes=True,
                          what=f"the import of {path.name}")

    def imported(report: ClicksReport | None, error: BaseException | None) -> None:
        if isinstance(error, ClicksImportCancelled):
            done(None)
            return
        if isinstance(error, (ClicksImportError, WorkspaceError)):
            QMessageBox.critical(parent, TITLE, f"{error}\n\nNothing was imported.")
            done(None)
            return
        if error is not None or report is None:
            done(None)
            if error is not None:
                raise error
            return
        QMessageBox.information(parent, TITLE, summary(report, path))
        done(Changes.of("asks") if report.visits or report.replaced else None)

    start_with_dialog(parent, f"Reading {path.name}…", lambda _progress: read_clicks(path),
                      read, abandon=True)
