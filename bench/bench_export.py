"""ICS export of every post (the large demo's 20k) against icalendar building the same calendar.

Goal: under 2 s, and within 1.3× of building the calendar with the icalendar
library from already-loaded rows.
"""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

from common import Result, best_of, large_workspace


def run() -> list[Result]:
    """Full export (read + write + atomic rename) vs icalendar objects from loaded rows."""
    from socialdesk.core.calendar import ics
    from socialdesk.core.calendar.export import export_calendar
    from socialdesk.store.calendar_export import calendar_export_data
    from socialdesk.store.workspace import Workspace

    with Workspace.open_readonly(large_workspace()) as ws, \
            tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "plan.ics"
        export = best_of(lambda: export_calendar(ws, out, "ics", default_tz="Europe/London"), 3)
        data = calendar_export_data(ws)
        start = time.perf_counter()
        ics.build_calendar(data, name="bench", default_tz="Europe/London").to_ical()
        reference = time.perf_counter() - start
        written = best_of(lambda: ics.write_ics(data, io.BytesIO(), name="bench",
                                                default_tz="Europe/London"), 3)
    return [
        Result(f"ICS export of {len(data.posts):,} posts (read + write)", export, "s", reference,
               "< 2 s and ≤ 1.3× icalendar from loaded rows"),
        Result("ICS writing alone, from loaded rows", written, "s", reference, ""),
    ]


if __name__ == "__main__":
    from common import print_table

    print_table(run())
