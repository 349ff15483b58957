"""Clicks back in: visits that partners' tracked links brought, read from analytics exports.

Qt-free. The CLI (``socialdesk import clicks FILE``) and File → Import… call
:func:`import_clicks`; the GUI reads the file first with :func:`read_clicks` to ask for
the period when the file has no dates.

Readers: :mod:`plausible` (the dashboard export's tables or zip), :mod:`matomo`
(scheduled and exported reports, CSV or TSV), :mod:`ga4` (the report download with its
``#`` preamble), :mod:`umami` (the events export) and :mod:`columns` (any table with a
source and a count); :mod:`detect` tells them apart, :mod:`source` reads files and zips
within bounds (a table line by line, never whole), :mod:`matching` finds each row's ask,
summing the visits per ask and day as the rows are read. A file that fails as a whole raises
:class:`ClicksImportError` (``"FILE, line N: message"``) and nothing is written; so does a
cancel through the progress callback (:class:`ClicksImportCancelled`).
"""

from socialdesk.core.share.clicks.detect import is_clicks_export, read_clicks
from socialdesk.core.share.clicks.errors import ClicksImportCancelled, ClicksImportError
from socialdesk.core.share.clicks.importer import ClicksReport, covered_period, import_clicks
from socialdesk.core.share.clicks.model import FORMATS, ClicksData

__all__ = ["FORMATS", "ClicksData", "ClicksImportCancelled", "ClicksImportError", "ClicksReport",
           "covered_period", "import_clicks", "is_clicks_export", "read_clicks"]
