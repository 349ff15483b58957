"""Errors of the contact importer; each one names the file and, where it can, the line."""

from socialdesk.core.import_results import FileImportError, ImportCancelledError


class ContactImportError(FileImportError):
    """A contact file cannot be imported as a whole; nothing was written."""


class ImportCancelled(ImportCancelledError):
    """The user cancelled the contact import; nothing was written."""
