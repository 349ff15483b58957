"""Contact import: vCard 2.1/3.0/4.0 and CSV (Google, Outlook, LinkedIn, Thunderbird, any).

Qt-free. The GUI and the CLI call :func:`import_contacts` (from a worker with its own
workspace connection, passing a ``progress`` callback that returns False to cancel) or
:func:`parse_file` to preview a file without writing anything.

Public API::

    parse_file(path, fmt="auto") -> ParseResult
    parse_bytes(data, path, fmt="auto") -> ParseResult
    detect_format(data) -> "vcard" | "csv"
    find_duplicates(ws, contacts) -> list[DuplicateMatch]
    import_contacts(ws, path, fmt="auto", *, progress=None) -> ImportReport

``fmt`` is one of :data:`FORMATS`. Whole-file failures raise
:class:`ContactImportError` (``str()`` is ``"FILE, line N: message"``); a cancel raises
:class:`ImportCancelled`. Either way nothing is written.
"""

from socialdesk.core.contacts.importing.duplicates import DuplicateMatch, find_duplicates
from socialdesk.core.contacts.importing.errors import ContactImportError, ImportCancelled
from socialdesk.core.contacts.importing.importer import (
    ImportReport,
    Progress,
    detect_format,
    import_contacts,
    parse_bytes,
    parse_file,
)
from socialdesk.core.contacts.importing.model import FORMATS, ParsedContact, ParseResult
from socialdesk.core.import_results import Problem

__all__ = [
    "FORMATS",
    "ContactImportError",
    "DuplicateMatch",
    "ImportCancelled",
    "ImportReport",
    "ParseResult",
    "ParsedContact",
    "Problem",
    "Progress",
    "detect_format",
    "find_duplicates",
    "import_contacts",
    "parse_bytes",
    "parse_file",
]
