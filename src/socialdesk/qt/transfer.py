"""File → Import… and File → Export…: pick a file, run the import dialog or an export.

Contacts come in through the import dialog (:mod:`socialdesk.qt.contacts.import_wizard`), from
the menu, the welcome panel or a file dropped on the window; calendars after one
question. Web analytics exports (clicks) are told from contacts tables by their content
and imported by :mod:`socialdesk.qt.share.clicks_import`. Imports return at once: files
are read on a worker and written on the writer thread behind progress dialogs, and the
caller hears what changed when the import ended. Exports run on a worker thread with their
own read-only connection behind a progress dialog; File → Export… returns at once and the
summary shows when the file is written.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMimeData, QTimer
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from socialdesk import APP_NAME
from socialdesk.core.changes import CALENDAR_IMPORT, CONTACTS_IMPORT, Changes
from socialdesk.qt.workers import Cancelled, Progress, start_on_worker, start_with_dialog
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    from socialdesk.core.calendar.export import ExportResult

Imported = Callable[[Changes | None], None]  # told what an import changed, once it ended
IMPORT_FILTER = (
    "Contacts, calendars or analytics exports (*.vcf *.vcard *.csv *.tsv *.txt *.ics *.ical "
    "*.zip);;Contacts (*.vcf *.vcard *.csv *.tsv *.txt);;"
    "Calendars: iCalendar, SocialDesk's or Hootsuite's CSV (*.ics *.ical *.csv);;"
    "Web analytics exports: clicks (*.csv *.tsv *.zip);;All files (*)"
)
CALENDAR_SUFFIXES = (".ics", ".ical")
TABLE_SUFFIXES = (".csv", ".tsv", ".txt")
IMPORT_SUFFIXES = (".vcf", ".vcard", *TABLE_SUFFIXES, *CALENDAR_SUFFIXES, ".zip")
# Label → (what, format, file suffix, vCard version, the save dialog's filter).
EXPORTS = {
    "Contacts as vCard 4.0 (.vcf) for address books":
        ("contacts", "vcard", ".vcf", "4.0", "vCard (*.vcf)"),
    "Contacts as vCard 3.0 (.vcf) for older programs":
        ("contacts", "vcard", ".vcf", "3.0", "vCard (*.vcf)"),
    "Contacts as a spreadsheet (.csv)": ("contacts", "csv", ".csv", "", "CSV (*.csv)"),
    "Calendar as iCalendar (.ics) for calendar programs":
        ("calendar", "ics", ".ics", "", "iCalendar (*.ics)"),
    "Calendar as a spreadsheet (.csv)": ("calendar", "csv", ".csv", "", "CSV (*.csv)"),
    "Calendar for Hootsuite bulk upload (.csv per channel)":
        ("calendar", "hootsuite", ".csv", "", "Hootsuite bulk upload CSV (*.csv)"),
}
LAST_EXPORT = "export/last"  # the app setting: the label of the export chosen last


def import_dialog(parent: QWidget, ws: Workspace, done: Imported) -> None:
    """Ask for a contacts, calendar or clicks file and import it; ``done(changes)`` at the end."""
    name, _ = QFileDialog.getOpenFileName(parent, "Import contacts, a calendar or clicks",
                                          str(Path.home()), IMPORT_FILTER)
    if name:
        import_path(parent, ws, Path(name), done)
    else:
        done(None)


def import_path(parent: QWidget, ws: Workspace, path: Path, done: Imported) -> None:
    """Import ``path``: a calendar or clicks directly, contacts through the import dialog.

    A table is a calendar (SocialDesk's calendar CSV, a Hootsuite bulk upload) or an
    analytics export (clicks) when its content says so. That is told on a worker, which
    also imports the code of the import that follows: imported on the GUI thread at the
    first import (the calendar importer with icalendar alone takes a third of a second),
    it froze the window that long.
    """
    def found(kind: str, error: BaseException | None) -> None:
        if error is not None:
            done(None)
            raise error
        if kind == "calendar":
            import_calendar_path(parent, ws, path, done)
        elif kind == "clicks":
            from socialdesk.qt.share.clicks_import import import_clicks_path

            import_clicks_path(parent, ws, path, done)
        else:
            import_contacts_path(parent, ws, path, done)

    start_on_worker(parent, lambda: _kind_of(path), found)


def _kind_of(path: Path) -> str:
    """Worker: "calendar", "clicks" or "contacts", from the name and the content of ``path``.

    Imports the code the import of that kind runs on the GUI thread.
    """
    from socialdesk.core.calendar.importing.csv_posts import is_calendar_csv
    from socialdesk.core.share.clicks import is_clicks_export

    suffix = path.suffix.lower()
    if suffix in CALENDAR_SUFFIXES or (suffix in TABLE_SUFFIXES and is_calendar_csv(path)):
        importlib.import_module("socialdesk.qt.calendar.import_dialog")
        return "calendar"
    if suffix == ".zip" or (suffix in TABLE_SUFFIXES and is_clicks_export(path)):
        importlib.import_module("socialdesk.qt.share.clicks_import")
        return "clicks"
    importlib.import_module("socialdesk.qt.contacts.import_wizard")
    return "contacts"


def import_calendar_path(parent: QWidget, ws: Workspace, path: Path, done: Imported) -> None:
    """Preview a calendar file (.ics or calendar CSV), ask what to import, import it.

    The question shows a CSV's problems and asks about an .ics file's to-dos and repeats;
    the import runs on the writer thread.

    Returns at once; ``done(changes)`` runs on the GUI thread when the import ended.
    """
    from socialdesk.core.calendar.importing import (
        CalendarImportCancelled,
        CalendarImportError,
        import_calendar,
        parse_calendar,
    )

    title = f"Import calendar — {APP_NAME}"

    def read(preview: Any, error: BaseException | None) -> None:
        if isinstance(error, Cancelled):
            done(None)
            return
        if isinstance(error, CalendarImportError):
            QMessageBox.critical(parent, title, f"{error}\n\nNothing was imported.")
            done(None)
            return
        if error is not None:
            done(None)
            raise error
        from socialdesk.qt.calendar.import_dialog import CalendarImportOptions

        options = CalendarImportOptions(path, preview, parent)
        accepted = options.exec() == CalendarImportOptions.DialogCode.Accepted
        include_todos, since = options.include_todos(), options.since()
        options.deleteLater()
        if not accepted:
            done(None)
            return

        def work(progress: Progress) -> object:
            with Workspace.open(ws.path) as own:  # a worker writes on a connection of its own
                return import_calendar(own, path, include_todos=include_todos, since=since,
                                       progress=progress)

        start_with_dialog(parent, f"Importing {path.name}…", work, imported, writes=True,
                          what=f"the import of {path.name}")

    def imported(result: Any, error: BaseException | None) -> None:
        if isinstance(error, (Cancelled, CalendarImportCancelled)):
            QMessageBox.information(parent, title, "Import cancelled; nothing was imported.")
            done(None)
            return
        if isinstance(error, (CalendarImportError, WorkspaceError)):
            QMessageBox.critical(parent, title, f"{error}\n\nNothing was imported.")
            done(None)
            return
        if error is not None:
            done(None)
            raise error
        summary = result.as_json()
        lines = [f"Imported {summary['imported']:,} posts from {path.name}."]
        if summary["merged"]:
            lines.append(f"Updated {summary['merged']:,} posts imported before.")
        lines += [f"Line {p['line']}: {p['message']}" for p in summary["problems"][:10]]
        if len(summary["problems"]) > 10:
            lines.append(f"… and {len(summary['problems']) - 10:,} more notes.")
        QMessageBox.information(parent, title, "\n".join(lines))
        done(CALENDAR_IMPORT if summary["imported"] or summary["merged"] else None)

    start_with_dialog(parent, f"Reading {path.name}…", lambda _progress: parse_calendar(path),
                      read, abandon=True)


def import_contacts_path(parent: QWidget, ws: Workspace, path: Path, done: Imported) -> None:
    """Read ``path``, then walk the user through the import dialog.

    Returns at once; ``done(changes)`` runs on the GUI thread once the dialog closed.
    """
    from socialdesk.core.contacts.importing import ContactImportError
    from socialdesk.qt.contacts.import_wizard import ImportWizard, read_file

    def read(result: Any, error: BaseException | None) -> None:
        if isinstance(error, Cancelled):
            done(None)
            return
        if isinstance(error, ContactImportError):
            QMessageBox.critical(parent, f"Cannot import — {APP_NAME}",
                                 f"{error}\n\nNothing was imported.")
            done(None)
            return
        if error is not None:
            done(None)
            raise error
        wizard = ImportWizard(ws, result, parent)

        def closed(_code: int) -> None:
            wizard.deleteLater()
            done(CONTACTS_IMPORT if wizard.changed else None)

        wizard.finished.connect(closed)
        # Shown in the next turn of the event loop: building the dialog and its first
        # layout and paint together held the GUI thread over 100 ms.
        QTimer.singleShot(0, wizard.open)

    start_with_dialog(parent, f"Reading {path.name}…", lambda progress: read_file(path, progress),
                      read, abandon=True)


def dropped_file(mime: QMimeData) -> Path | None:
    """The file being dragged, if exactly one local contacts or calendar file is."""
    urls = [url for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []
    if len(urls) != 1:
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in IMPORT_SUFFIXES and path.is_file() else None


def export_dialog(parent: QWidget, ws: Workspace) -> None:
    """Ask what to export and where, then write it."""
    from socialdesk.qt.appsettings import app_settings

    settings = app_settings()
    labels = list(EXPORTS)
    last = str(settings.value(LAST_EXPORT, ""))
    choice, ok = QInputDialog.getItem(parent, f"Export — {APP_NAME}", "What to export:",
                                      labels, labels.index(last) if last in EXPORTS else 0,
                                      False)
    if not ok:
        return
    settings.setValue(LAST_EXPORT, choice)
    what, fmt, suffix, version, kind = EXPORTS[choice]
    default = Path.home() / f"{ws.path.stem}-{what}{suffix}"
    name, _ = QFileDialog.getSaveFileName(parent, "Export to", str(default),
                                          f"{kind};;All files (*)")
    if not name:
        return
    if what == "contacts":
        export_contacts_to(parent, ws, Path(name), fmt, version or "4.0")
    else:
        _export_calendar(parent, ws, Path(name), fmt)


def export_contacts_to(parent: QWidget, ws: Workspace, out: Path, fmt: str,
                       version: str = "4.0") -> None:
    """Write every contact to ``out`` on a worker thread; report how it went when done."""
    from socialdesk.core.contacts.export import ExportCancelled, export_contacts

    def work(progress: Progress) -> object:

        with Workspace.open_readonly(ws.path) as worker_ws:
            return export_contacts(worker_ws, out, fmt, vcard_version=version,
                                   progress=progress)

    def done(result: object, error: BaseException | None) -> None:
        from socialdesk.core.calendar.export import ExportError  # the work loaded it

        if isinstance(error, ExportCancelled):
            QMessageBox.information(parent, APP_NAME, f"Export cancelled; {out} was not written.")
        elif isinstance(error, ExportError):
            QMessageBox.critical(parent, f"Export failed — {APP_NAME}", str(error))
        elif error is not None:
            raise error
        else:
            count = getattr(result, "contacts", 0)
            QMessageBox.information(
                parent, f"Export finished — {APP_NAME}",
                f"Wrote {count:,} contact{'s' if count != 1 else ''} to {out}.")

    start_with_dialog(parent, f"Exporting contacts to {out.name}…", work, done)


def _export_calendar(parent: QWidget, ws: Workspace, out: Path, fmt: str) -> None:
    """Write the calendar on a worker thread; the summary (or the error) shows when done.

    The export code (some 70 ms of imports on a cold start) is loaded by the worker too.
    """

    def work(progress: Progress) -> ExportResult:
        from socialdesk.core.calendar.export import export_calendar

        with Workspace.open_readonly(ws.path) as worker_ws:
            return export_calendar(worker_ws, out, fmt,  # type: ignore[arg-type]
                                   progress=progress)

    def done(result: ExportResult | None, error: BaseException | None) -> None:
        from socialdesk.core.atomic import ExportCancelled, ExportError  # the work loaded it

        if isinstance(error, ExportCancelled):
            QMessageBox.information(parent, APP_NAME, f"Export cancelled; {out} was not written.")
        elif isinstance(error, ExportError):
            QMessageBox.critical(parent, f"Export failed — {APP_NAME}", str(error))
        elif isinstance(error, OSError):
            QMessageBox.critical(parent, f"Export failed — {APP_NAME}",
                                 f"{out}: cannot be written ({error.strerror or error}).")
        elif error is not None:
            raise error
        elif result is not None:
            lines = [f"Wrote {result.posts:,} posts to "
                     + ", ".join(str(p) for p in result.files) + "."]
            lines += [f"Left out {n:,}: {reason}." for reason, n in result.skipped.items()]
            QMessageBox.information(parent, f"Export finished — {APP_NAME}", "\n".join(lines))

    start_with_dialog(parent, f"Exporting the calendar to {out.name}…", work, done)
