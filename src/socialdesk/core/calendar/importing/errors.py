"""Errors of the calendar importer; each one names the file and, where it can, the line."""

from socialdesk.core.import_results import FileImportError, ImportCancelledError


class CalendarImportError(FileImportError):
    """A calendar file cannot be imported as a whole; nothing was written."""


class CalendarImportCancelled(ImportCancelledError):
    """The user cancelled the calendar import; nothing was written."""
