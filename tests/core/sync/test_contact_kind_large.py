"""The contact kind on the large demo (100,000 contacts): the time per 1,000 contacts.

Every sync reads every contact as a record, so ``records`` must stay fast on a big
address book. Run with ``-m slow -s`` to see the figures; the bounds are generous (a
shared 2-core machine measures about 60 ms per 1,000 contacts for ``records``).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from socialdesk.core.demo import create_demo
from socialdesk.core.sync.contact_kind import CONTACT_KIND
from socialdesk.store.workspace import Workspace

pytestmark = pytest.mark.slow


def test_records_of_100k_contacts_per_1000(tmp_path: Path) -> None:
    path = tmp_path / "large.sqlite"
    create_demo(path, "large", seed=1, today=date(2026, 11, 24))
    with Workspace.open(path) as ws:
        start = time.perf_counter()
        records = CONTACT_KIND.records(ws)
        per_thousand = (time.perf_counter() - start) / len(records) * 1e6
        sample = dict(list(records.items())[:2_000])
        start = time.perf_counter()
        texts = {uid: CONTACT_KIND.to_text(uid, record) for uid, record in sample.items()}
        written = (time.perf_counter() - start) / len(sample) * 1e6
        start = time.perf_counter()
        read = dict(CONTACT_KIND.from_text(text) for text in texts.values())
        parsed = (time.perf_counter() - start) / len(sample) * 1e6
    print(f"\ncontact records: {per_thousand:.0f} ms per 1,000 ({len(records):,} contacts); "
          f"to_text {written:.0f} ms, from_text {parsed:.0f} ms per 1,000")
    assert len(records) == 100_000
    assert read == sample
    assert per_thousand < 500
    assert written < 1_000 and parsed < 3_000
