"""The clicks importer's whole-file error: it names the file and, where it can, the line."""

from socialdesk.core.import_results import FileImportError


class ClicksImportError(FileImportError):
    """A clicks export cannot be imported as a whole; nothing was written."""
