"""Calendar import of 100,000 events against icalendar parsing the same file.

Goal: an .ics of 100k events imports (read, check, one transaction) well
under a minute, in memory that grows by a bounded amount per event. Two files: one
all-day event a day, and 100k events that each repeat daily (the import makes at most
100,000 posts of repeats per file, then keeps each event's first date). The reference
is ``icalendar.Calendar.from_ical`` reading the same file; each side runs in a fresh
process so that its peak memory (RSS) is its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from common import CACHE, Result

EVENTS = 100_000

CHILD = """
import json, resource, sys, time
from pathlib import Path
kind, path, scratch = sys.argv[1:4]
if kind == "ours":
    from socialdesk.core.calendar.importing import import_calendar
    from socialdesk.store.workspace import Workspace
    start = time.perf_counter()
    with Workspace.open(Path(scratch) / "w.sqlite", create=True) as ws:
        import_calendar(ws, path, default_tz="Europe/London")
        count = ws.conn.execute("SELECT count(DISTINCT substr(uid, 1, instr(uid || '/', '/')))"
                                " FROM posts").fetchone()[0]
else:
    import icalendar
    start = time.perf_counter()
    count = len(icalendar.Calendar.from_ical(Path(path).read_bytes()).walk("VEVENT"))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "count": count}))
"""


def _cached(name: str, event: Callable[[int], list[str]]) -> Path:
    """A calendar of :data:`EVENTS` events made by ``event(n)`` (cached in bench/.cache)."""
    path = CACHE / name
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bench//Daily//EN"]
    for n in range(EVENTS):
        lines += ["BEGIN:VEVENT", *event(n), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


def one_a_day(n: int) -> list[str]:
    """An all-day event on day ``n``, as a calendar program writes it."""
    day = date(2026, 1, 1) + timedelta(days=n)
    return [f"UID:day-{n:06d}@bench.example", "DTSTAMP:20260101T000000Z",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"SUMMARY:Daily special {n}"]


def repeating_daily(n: int) -> list[str]:
    """A short event that repeats every day without end."""
    return [f"UID:{n}@bench.example", "DTSTART:20260101T090000", f"SUMMARY:Daily {n}",
            "RRULE:FREQ=DAILY"]


def _measure(kind: str, source: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as scratch:
        ran = subprocess.run([sys.executable, "-c", CHILD, kind, str(source), scratch],
                             capture_output=True, text=True, check=True)
    found = json.loads(ran.stdout)
    assert found["count"] == EVENTS, found
    return found


def run() -> list[Result]:
    """Import each file into a fresh workspace, and parse it with icalendar."""
    results = []
    for name, event, label in (
        ("daily-100k.ics", one_a_day, "import 100k events, one a day (.ics, 14 MB)"),
        ("repeating-100k.ics", repeating_daily, "import 100k events repeating daily (10 MB)"),
    ):
        source = _cached(name, event)
        ours, theirs = _measure("ours", source), _measure("icalendar", source)
        results += [
            Result(label, ours["seconds"], "s", theirs["seconds"],
                   "< 30 s (reference: icalendar's parse alone)"),
            Result("  peak memory (RSS) of that import", ours["peak_mb"], "MB",
                   theirs["peak_mb"], "≤ icalendar's parse"),
        ]
    return results


if __name__ == "__main__":
    from common import print_table

    print_table(run())
