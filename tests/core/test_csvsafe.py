"""The csv module's cell limit: one for every importer, whichever was imported last."""

from __future__ import annotations

import csv
import importlib

from socialdesk.core import csvsafe


def test_every_importer_reads_cells_up_to_the_one_limit() -> None:
    importlib.import_module("socialdesk.core.contacts.importing.csv_reader")
    importlib.import_module("socialdesk.core.calendar.importing.csv_posts")
    importlib.import_module("socialdesk.core.share.clicks.table")  # imported last, as may be
    assert csv.field_size_limit() == csvsafe.FIELD_LIMIT
