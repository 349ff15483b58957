"""The import dialog: preview → (column mapping) → duplicates review → import → summary.

Reading the file, looking for duplicates and writing each run on a worker thread with
its own workspace connection, behind a progress dialog
(:func:`~socialdesk.qt.workers.start_with_dialog`): Next (or Import) starts the work and
the dialog moves on when it has ended. The write is one transaction on the writer
thread, so Cancel or an error leaves the workspace unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from socialdesk import APP_NAME
from socialdesk.core.contacts.import_mapping import (
    RawTable,
    check_mapping,
    guess_mapping,
    header_signature,
    preview_mapping,
    read_table,
    stream_mapping,
)
from socialdesk.core.contacts.import_plan import ImportPlan, ImportSummary, apply_plan
from socialdesk.core.contacts.importing import (
    ContactImportError,
    DuplicateMatch,
    ImportCancelled,
    ParseResult,
    detect_format,
    find_duplicates,
)
from socialdesk.core.contacts.importing.csv_layouts import LAYOUT_NAMES
from socialdesk.core.contacts.importing.stage import stage_file, stage_stream
from socialdesk.core.formatting import plural
from socialdesk.qt.appsettings import app_settings
from socialdesk.qt.contacts.import_pages import (
    DuplicatesPage,
    MappingPage,
    PreviewPage,
    SummaryPage,
)
from socialdesk.qt.keyboard import keyboard_ready
from socialdesk.qt.workers import Cancelled, Progress, start_with_dialog
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.workspace import Workspace

PREVIEW, MAPPING, DUPLICATES, SUMMARY = range(4)
FORMAT_NAMES = {**LAYOUT_NAMES, "vcard": "vCard", "csv": "a spreadsheet (CSV)"}
MAPPING_KEY = "import/mappings/{}"


@dataclass(frozen=True, slots=True)
class FileRead:
    """A file as read for the dialog: parsed, and for a generic CSV its raw table."""

    path: Path
    parsed: ParseResult | None
    error: ContactImportError | None
    table: RawTable | None

    @property
    def needs_mapping(self) -> bool:
        """True for a CSV whose columns the user should name."""
        return self.table is not None and (self.parsed is None or self.parsed.format == "csv")


def read_file(path: Path, progress: Progress | None = None) -> FileRead:
    """Parse a contacts file; for a CSV that is not a known export, also read its table.

    The parsed contacts are kept in a temporary file, not in memory
    (:func:`~socialdesk.core.contacts.importing.stage.stage_file`); ``progress`` may
    cancel. Raises :class:`ContactImportError` when the file can be read neither way.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError as error:
        raise ContactImportError(path, None, f"cannot be read ({error.strerror}).") from error
    parsed, failure = None, None
    try:
        parsed = stage_file(path, progress=progress)
    except ContactImportError as error:
        failure = error
    table = None
    if detect_format(head) == "csv" and (parsed is None or parsed.format == "csv"):
        try:
            table = read_table(path)
        except ContactImportError:
            if failure is not None:
                raise failure from None
    if parsed is None and table is None:
        assert failure is not None
        raise failure
    return FileRead(path, parsed, failure, table)


def map_file(table: RawTable, mapping: list[str], progress: Progress | None = None
             ) -> ParseResult:
    """Every row of a CSV file with the user's mapping, kept in a temporary file.

    Raises ValueError (a message for the user) for a mapping that names nobody.
    """
    return stage_stream(stream_mapping(table, mapping), table.path, progress)


def _duplicates(ws_path: Path, parsed: ParseResult, progress: Progress) -> list[DuplicateMatch]:
    with Workspace.open_readonly(ws_path) as ws:
        return find_duplicates(ws, parsed.contacts, progress=progress)


def _mapped_duplicates(ws_path: Path, table: RawTable, mapping: list[str], progress: Progress
                       ) -> tuple[ParseResult, list[DuplicateMatch]]:
    parsed = map_file(table, mapping, progress)
    return parsed, _duplicates(ws_path, parsed, progress)


def _write(ws_path: Path, plan: ImportPlan, progress: Progress) -> ImportSummary:
    with Workspace.open(ws_path, verify=False) as ws:
        return apply_plan(ws, plan, progress)


class ImportWizard(QWizard):
    """Walks through one import; ``changed`` tells whether anything was written."""

    def __init__(self, ws: Workspace, read: FileRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.read = read
        self.path = read.path
        self.parsed: ParseResult | None = read.parsed
        self.matches: list[DuplicateMatch] = []
        self.summary: ImportSummary | None = None
        self.changed = False
        self.working = False  # a page's work runs on a worker: Next waits for it
        self.writing = False  # the import writes: the dialog cannot be closed meanwhile
        self._passed: int | None = None  # the page whose work has ended: it may be left
        self.setWindowTitle(f"Import {self.path.name} — {APP_NAME}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        self.preview_page = PreviewPage()
        self.mapping_page = MappingPage()
        self.duplicates_page = DuplicatesPage()
        self.summary_page = SummaryPage()
        self.duplicates_page.setCommitPage(True)
        for number, page in enumerate((self.preview_page, self.mapping_page,
                                       self.duplicates_page, self.summary_page)):
            self.setPage(number, page)
        self.preview_page.validatePage = self._after_preview  # type: ignore[method-assign]
        self.mapping_page.validatePage = self._after_mapping  # type: ignore[method-assign]
        self.duplicates_page.validatePage = self._import  # type: ignore[method-assign]
        self.preview_page.nextId = lambda: MAPPING if read.needs_mapping else DUPLICATES
        self._show_preview()
        if read.table is not None:
            self.mapping_page.set_table(read.table, self._initial_mapping(read.table))
            self.mapping_page.model.dataChanged.connect(self._mapping_changed)
            self._mapping_changed()
        self.resize(960, 640)
        keyboard_ready(self)

    # --- preview ------------------------------------------------------------------

    def _show_preview(self) -> None:
        page = self.preview_page
        parsed = self.parsed
        if parsed is None:
            page.summary.setText(
                f"SocialDesk did not recognise the columns of {self.path.name}"
                f" ({self.read.error.message if self.read.error else 'no known column names'})."
                " On the next page, say what each column holds.")
            page.preview.show_contacts([], [])
            return
        kind = FORMAT_NAMES.get(parsed.format, parsed.format)
        count = len(parsed.contacts)
        text = (f"<b>{self.path.name}</b> is {kind}, read as {parsed.encoding.upper()}: "
                f"{count:,} contact{'s' if count != 1 else ''}")
        if parsed.skipped:
            text += f", {parsed.skipped:,} row{'s' if parsed.skipped != 1 else ''} left out"
        text += "." + (" Next, check which column holds what." if self.read.needs_mapping
                       else "")
        page.summary.setText(text)
        page.preview.show_contacts(parsed.contacts, parsed.problems)

    def _after_preview(self) -> bool:
        if self.read.needs_mapping or self._work_ended_here():
            return True
        self._find_duplicates()
        return False

    def _work_ended_here(self) -> bool:
        """Whether the current page's work on a worker has ended (the page may be left)."""
        if self._passed is not None and self._passed == self.currentId():
            self._passed = None
            return True
        return False

    def _move_on(self) -> None:
        """The current page's work ended: go to the next page."""
        self.working = False
        if self.isVisible():
            self._passed = self.currentId()
            self.next()

    # --- mapping ------------------------------------------------------------------

    def _initial_mapping(self, table: RawTable) -> list[str]:
        saved = app_settings().value(MAPPING_KEY.format(header_signature(table.headers)))
        if isinstance(saved, str):
            try:
                mapping = json.loads(saved)
                if isinstance(mapping, list) and len(mapping) == len(table.headers):
                    check_mapping(mapping)
                    return [str(m) for m in mapping]
            except ValueError:
                pass  # a damaged or outdated entry: guess again
        return guess_mapping(table.headers)

    def _mapping_changed(self) -> None:
        page = self.mapping_page
        if page.model is None or self.read.table is None:
            return
        try:
            result = preview_mapping(self.read.table, page.model.mapping)
        except ValueError as error:
            page.problem.setText(str(error))
            page.preview.show_contacts([], [])
            return
        page.problem.setText("")
        page.preview.show_contacts(result.contacts, result.problems)

    def _after_mapping(self) -> bool:
        if self._work_ended_here():
            return True
        table, model = self.read.table, self.mapping_page.model
        if table is None or model is None:
            return False
        mapping = list(model.mapping)
        try:
            check_mapping(mapping)
        except ValueError as error:
            QMessageBox.warning(self, APP_NAME, str(error))
            return False
        settings = app_settings()
        settings.setValue(MAPPING_KEY.format(header_signature(table.headers)), json.dumps(mapping))
        settings.sync()
        self._find_duplicates(mapping)
        return False

    # --- duplicates and the import ------------------------------------------------

    def _find_duplicates(self, mapping: list[str] | None = None) -> None:
        """Look for people the workspace already has; the review page follows.

        With a ``mapping``, the worker first reads the whole CSV file with it.
        """
        table, parsed, ws_path = self.read.table, self.parsed, self.ws.path
        if self.working or (parsed is None if mapping is None else table is None):
            return

        def found(result: tuple[ParseResult, list[DuplicateMatch]] | None,
                  error: BaseException | None) -> None:
            self.working = False
            if isinstance(error, Cancelled):
                return
            if isinstance(error, ContactImportError):
                QMessageBox.critical(self, APP_NAME, f"{error}\n\nNothing was imported.")
                return
            if error is not None:
                raise error
            assert result is not None
            self.parsed, self.matches = result
            self.duplicates_page.set_matches(self.matches, len(self.parsed.contacts))
            self._move_on()

        def work(progress: Progress) -> tuple[ParseResult, list[DuplicateMatch]]:
            if mapping is not None:
                assert table is not None
                return _mapped_duplicates(ws_path, table, mapping, progress)
            assert parsed is not None
            return parsed, _duplicates(ws_path, parsed, progress)

        self.working = True
        start_with_dialog(self, "Looking for people you already have…", work, found,
                          abandon=True)

    def plan(self) -> ImportPlan:
        """What the Import button writes, with the decisions made on the review page."""
        parsed = self.parsed
        assert parsed is not None
        return ImportPlan(self.path, parsed.contacts, tuple(self.matches),
                          dict(self.duplicates_page.model.decisions), parsed.problems,
                          parsed.skipped)

    def _import(self) -> bool:
        """Import: write on the writer thread; the summary page follows."""
        if self._work_ended_here():
            return True
        if self.working:
            return False
        plan = self.plan()

        def imported(summary: ImportSummary | None, error: BaseException | None) -> None:
            self.working = self.writing = False
            if isinstance(error, ImportCancelled):
                QMessageBox.information(self, APP_NAME,
                                        "Import cancelled; nothing was imported.")
                return
            if isinstance(error, (ContactImportError, WorkspaceError, OSError, ValueError)):
                QMessageBox.critical(self, f"Import failed — {APP_NAME}",
                                     f"{error}\n\nNothing was imported.")
                return
            if error is not None:
                raise error
            assert summary is not None
            self.summary = summary
            self.changed = bool(summary.imported or summary.merged)
            self.summary_page.text.setText(summary_text(summary, self.path))
            self._move_on()

        self.working = self.writing = True
        start_with_dialog(self, f"Importing {self.path.name}…",
                          lambda progress: _write(self.ws.path, plan, progress), imported,
                          writes=True, what=f"the import of {self.path.name}")
        return False

    def reject(self) -> None:
        """Cancel or Escape: close the dialog, except while the import writes."""
        if not self.writing:
            super().reject()


def summary_text(summary: ImportSummary, path: Path) -> str:
    """The summary a user reads after an import."""
    if summary.unchanged and not (summary.imported or summary.merged):
        are = "was" if summary.unchanged == 1 else "were all"
        lines = [f"Nothing changed: the {plural(summary.unchanged, 'contact')} in {path.name} "
                 f"{are} already there."]
    else:
        lines = [f"Imported {plural(summary.imported, 'new contact')} from {path.name}."]
    if summary.merged:
        lines.append(f"{summary.merged:,} were merged into contacts you already had.")
    if summary.unchanged and (summary.imported or summary.merged):
        lines.append(f"{summary.unchanged:,} were already there, with nothing to add.")
    if summary.skipped_duplicates:
        lines.append(f"{summary.skipped_duplicates:,} duplicates were skipped, as you chose.")
    if summary.problems:
        lines.append("")
        lines.append("Left out because of problems in the file (a whole row, or only the "
                     "value named):")
        lines += [f"    line {p.line}: {p.message}" for p in summary.problems[:20]]
        if len(summary.problems) > 20:
            lines.append(f"    … and {len(summary.problems) - 20:,} more.")
    return "\n".join(lines)
