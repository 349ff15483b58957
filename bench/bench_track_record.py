"""The planner's track record over the large demo's 30k asks.

The large demo's asks carry the forecasts the planner made them with; in a copy of it the
asks still open are marked unanswered, so that all 30,000 are scored.
Timed (best of 5): reading the resolved asks alone (the reference: the least the track
record can cost), the whole track record (scores, bins, reach bias, the recalibration fit,
learned rates), the planner's parameters with the recalibration on, and the command
``socialdesk track-record --json`` end to end (a fresh process, Python's start included).
Goal: the track record ≤ 200 ms.

Run alone with ``.venv/bin/python bench/bench_track_record.py`` or through
``bench/run track_record``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Result, best_of, large_workspace, print_table


def with_forecasts(source: Path, target: Path) -> int:
    """Copy the large demo, give every open ask an outcome; return how many are resolved."""
    import sqlite3

    shutil.copyfile(source, target)
    conn = sqlite3.connect(target)
    with conn:
        conn.execute("UPDATE asks SET status = 'no_reply' WHERE status IN ('asked', 'agreed')")
    resolved = conn.execute("SELECT count(*) FROM asks WHERE status IN "
                            "('shared', 'declined', 'no_reply')").fetchone()[0]
    conn.close()
    return int(resolved)


def run() -> list[Result]:
    """Time the track record, the planner's parameters and the command."""
    from socialdesk.core.planner import planning, track_record
    from socialdesk.store import track_record as stored
    from socialdesk.store.workspace import Workspace

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "large-forecasts.sqlite"
        resolved = with_forecasts(large_workspace(), path)
        ws = Workspace.open_readonly(path)
        reference = best_of(lambda: stored.resolved_forecasts(ws)) * 1000
        record = track_record.track_record(ws)
        assert record.resolved == resolved and record.calibration.fitted
        results = [
            Result(f"read {resolved:,} resolved asks' forecasts (reference)", reference, "ms"),
            Result(f"track record over {resolved:,} resolved asks",
                   best_of(lambda: track_record.track_record(ws)) * 1000, "ms", reference,
                   "≤ 200 ms"),
            Result("planner parameters (recalibration on)",
                   best_of(lambda: planning.model_params(ws)) * 1000, "ms", reference),
        ]
        ws.close()

        def command() -> None:
            subprocess.run([sys.executable, "-m", "socialdesk", "track-record", "--json",
                            "--workspace", str(path)], check=True, capture_output=True)

        start = time.perf_counter()
        command()  # warm the file cache
        first = time.perf_counter() - start
        results.append(Result("socialdesk track-record --json (whole process)",
                              min(first, best_of(command, 3)) * 1000, "ms", reference))
    return results


if __name__ == "__main__":
    print_table(run())
