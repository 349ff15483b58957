"""Team sharing's contact kind on the large demo (100k contacts), per 1,000 contacts.

Every sync compares every contact with its last synced version, so ``records`` reads the
whole workspace each time: timed on all 100k contacts, with details, tags, audiences,
interactions and links. Reference: reading the same contacts with their details and tags
for the vCard export (``export_batches``), which reads less. Also timed: writing 5,000
records as vCards and reading them back (what a first sync sends and receives), and
applying 5,000 records to an empty workspace (the second laptop joining).
Figures are milliseconds per 1,000 contacts.

Run alone with ``.venv/bin/python bench/bench_sync_records.py`` or ``bench/run sync_records``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Result, best_of, large_workspace, print_table

SAMPLE = 5_000


def run() -> list[Result]:
    """records() on 100k contacts; cards and apply on 5,000 of them."""
    from socialdesk.core.sync.contact_kind import CONTACT_KIND
    from socialdesk.store.contacts_export import export_batches
    from socialdesk.store.workspace import Workspace

    with Workspace.open_readonly(large_workspace()) as ws:
        records = CONTACT_KIND.records(ws)
        per = 1000 / len(records) * 1000  # s for all → ms per 1,000
        read = best_of(lambda: CONTACT_KIND.records(ws), 3) * per
        exported = best_of(lambda: sum(len(b) for b in export_batches(ws)), 3) * per
    sample = dict(list(records.items())[:SAMPLE])
    start = time.perf_counter()
    texts = [CONTACT_KIND.to_text(uid, record) for uid, record in sample.items()]
    written = (time.perf_counter() - start) / SAMPLE * 1e6
    start = time.perf_counter()
    for text in texts:
        CONTACT_KIND.from_text(text)
    parsed = (time.perf_counter() - start) / SAMPLE * 1e6
    with tempfile.TemporaryDirectory() as scratch, \
            Workspace.open(Path(scratch) / "second.sqlite", create=True) as second:
        start = time.perf_counter()
        with second.transaction():
            for uid, record in sample.items():
                CONTACT_KIND.apply(second, uid, record)
        applied = (time.perf_counter() - start) / SAMPLE * 1e6
    return [
        Result(f"sync records of {len(records):,} contacts, per 1,000", read, "ms", exported,
               "a handful of queries; reference: the export's read"),
        Result("contact → vCard text, per 1,000", written, "ms"),
        Result("vCard text → contact record, per 1,000", parsed, "ms"),
        Result("apply to an empty workspace, per 1,000", applied, "ms"),
    ]


if __name__ == "__main__":
    print_table(run())
