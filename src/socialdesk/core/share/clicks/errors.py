"""The clicks importer's errors: a whole-file one names the file and, where it can, the line."""

from socialdesk.core.import_results import FileImportError, ImportCancelledError


class ClicksImportError(FileImportError):
    """A clicks export cannot be imported as a whole; nothing was written."""


class ClicksImportCancelled(ImportCancelledError):
    """The user cancelled the clicks import; nothing was written."""
