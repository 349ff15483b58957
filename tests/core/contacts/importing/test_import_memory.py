"""An import's memory does not grow with the size of the file: it is read and written in chunks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

# Python memory (tracemalloc: SQLite's own caches are bounded by their settings) at the
# peak of one import into a fresh workspace, printed in bytes.
MEASURE = """
import sys, tracemalloc
from pathlib import Path
from socialdesk.core.contacts.importing import import_contacts
from socialdesk.store.workspace import Workspace
with Workspace.open(Path(sys.argv[1]), create=True) as ws:
    tracemalloc.start()
    report = import_contacts(ws, Path(sys.argv[2]))
    peak = tracemalloc.get_traced_memory()[1]
assert report.imported == int(sys.argv[3]), report
print(peak)
"""
# The same through the import dialog's steps: read for review, find duplicates, write.
REVIEW = """
import sys, tracemalloc
from pathlib import Path
from socialdesk.core.contacts.import_plan import apply_plan, plan_for
from socialdesk.core.contacts.importing import find_duplicates
from socialdesk.qt.contacts.import_wizard import read_file
from socialdesk.store.workspace import Workspace
source = Path(sys.argv[2])
with Workspace.open(Path(sys.argv[1]), create=True) as ws:
    tracemalloc.start()
    parsed = read_file(source).parsed
    plan = plan_for(source, parsed.contacts, find_duplicates(ws, parsed.contacts))
    summary = apply_plan(ws, plan)
    peak = tracemalloc.get_traced_memory()[1]
assert summary.imported == int(sys.argv[3]), summary
print(peak)
"""


def _google_csv(path: Path, rows: int) -> Path:
    lines = ["First Name,Last Name,Organization Name,Labels,E-mail 1 - Value,"
             "Phone 1 - Value,Notes"]
    lines += [f"Anna,Müller{i},Corner Café,Friends ::: * myContacts,anna.{i}@example.com,"
              f"+49 170 {i:07d},note {i}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _peak(tmp_path: Path, rows: int, script: str = MEASURE) -> int:
    source = _google_csv(tmp_path / f"{rows}.csv", rows)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    workspace = tmp_path / f"{rows}-{len(script)}.sqlite"
    done = subprocess.run(
        [sys.executable, "-c", script, str(workspace), str(source), str(rows)],
        capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


def test_importing_four_times_the_rows_takes_no_more_memory(tmp_path: Path) -> None:
    small, large = _peak(tmp_path, 5_000), _peak(tmp_path, 20_000)
    # Holding every row would cost about 1.5 KB a row: 22 MB more for the larger file.
    assert large - small < 6 * 2**20, (small, large)


def test_reviewing_four_times_the_rows_takes_no_more_memory(tmp_path: Path) -> None:
    small, large = _peak(tmp_path, 5_000, REVIEW), _peak(tmp_path, 20_000, REVIEW)
    assert large - small < 6 * 2**20, (small, large)
