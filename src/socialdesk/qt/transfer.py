"""File → Import… and File → Export…: pick a file, run the core import or export, report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog, QWidget

from socialdesk import APP_NAME
from socialdesk.store.workspace import Workspace

IMPORT_FILTER = "Contacts (*.vcf *.vcard *.csv *.txt);;All files (*)"
EXPORTS = {
    "Calendar as iCalendar (.ics) for calendar programs": ("ics", ".ics"),
    "Calendar as a spreadsheet (.csv)": ("csv", ".csv"),
    "Calendar for Hootsuite bulk upload (.csv per channel)": ("hootsuite", ".csv"),
}


def import_dialog(parent: QWidget, ws: Workspace) -> bool:
    """Ask for a contacts file and import it; return True when something changed."""
    name, _ = QFileDialog.getOpenFileName(parent, "Import contacts", str(Path.home()),
                                          IMPORT_FILTER)
    return import_path(parent, ws, Path(name)) if name else False


def import_path(parent: QWidget, ws: Workspace, path: Path) -> bool:
    """Import contacts from ``path`` with a cancellable progress dialog; report the result."""
    from socialdesk.core.importing import ContactImportError, ImportCancelled, import_contacts

    progress = QProgressDialog(f"Importing {path.name}…", "Cancel", 0, 100, parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(500)

    def report(done: int, total: int) -> bool:
        progress.setMaximum(max(total, 1))
        progress.setValue(done)
        return not progress.wasCanceled()

    try:
        result = import_contacts(ws, path, progress=report)
    except ImportCancelled:
        QMessageBox.information(parent, APP_NAME, "Import cancelled; nothing was imported.")
        return False
    except (ContactImportError, OSError) as error:
        QMessageBox.critical(parent, f"Import failed — {APP_NAME}",
                             f"{error}\n\nNothing was imported.")
        return False
    finally:
        progress.close()
    lines = [f"Imported {result.imported:,} contacts from {path.name}."]
    if result.merged:
        lines.append(f"{result.merged:,} matched existing contacts by e-mail and were merged.")
    if result.skipped:
        lines.append(f"{result.skipped:,} rows were skipped:")
        lines += [f"  line {p['line']}: {p['message']}" for p in result.problems[:10]]
    QMessageBox.information(parent, f"Import finished — {APP_NAME}", "\n".join(lines))
    return bool(result.imported or result.merged)


def export_dialog(parent: QWidget, ws: Workspace) -> None:
    """Ask what to export and where, then write it."""
    from socialdesk.core.exporting import ExportError, export_calendar

    choice, ok = QInputDialog.getItem(parent, f"Export — {APP_NAME}", "What to export:",
                                      list(EXPORTS), 0, False)
    if not ok:
        return
    fmt, suffix = EXPORTS[choice]
    default = Path.home() / f"{ws.path.stem}-calendar{suffix}"
    name, _ = QFileDialog.getSaveFileName(parent, "Export to", str(default),
                                          f"*{suffix};;All files (*)")
    if not name:
        return
    try:
        result = export_calendar(ws, Path(name), fmt)
    except ExportError as error:
        QMessageBox.critical(parent, f"Export failed — {APP_NAME}", str(error))
        return
    except OSError as error:
        QMessageBox.critical(parent, f"Export failed — {APP_NAME}",
                             f"{name}: cannot be written ({error.strerror or error}).")
        return
    lines = [f"Wrote {result.posts:,} posts to " + ", ".join(str(p) for p in result.files) + "."]
    lines += [f"Left out {n:,}: {reason}." for reason, n in result.skipped.items()]
    QMessageBox.information(parent, f"Export finished — {APP_NAME}", "\n".join(lines))
