"""Kill -9 at random moments: mid-import, mid-edit, mid-backup. Nothing committed is lost,
no import is half there, no half-written backup takes the place of a good one."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from socialdesk.core.backup import archive, catalog
from socialdesk.core.backup import create as backup
from socialdesk.core.backup.restore import stage
from socialdesk.store.workspace import Workspace

pytestmark = pytest.mark.slow

ROWS = 12_000

IMPORT = """
import sys
from pathlib import Path
from socialdesk.core.contacts.importing import import_contacts
from socialdesk.store.workspace import Workspace
ws = Workspace.open(sys.argv[1], verify=False)
print("ready", flush=True)
report = import_contacts(ws, Path(sys.argv[2]))
print("done", report.imported, flush=True)
"""

EDITS = """
import sys
from socialdesk.store.workspace import Workspace
ws = Workspace.open(sys.argv[1], verify=False)
print("ready", flush=True)
counter = ws.conn.execute("INSERT INTO contacts (name, notes) VALUES ('Counter', '-1')").lastrowid
i = 0
while True:
    with ws.transaction():
        new = ws.conn.execute("INSERT INTO contacts (name) VALUES (?)", (f"Edit {i}",)).lastrowid
        ws.conn.execute("INSERT INTO interactions (contact_id, happened_on, kind, note) "
                        "VALUES (?, '2026-11-24', 'note', ?)", (new, str(i)))
        ws.conn.execute("UPDATE contacts SET notes = ? WHERE id = ?", (str(i), counter))
    print(i, flush=True)
    i += 1
"""

BACKUPS = """
import sys
from pathlib import Path
from socialdesk.core.backup import create as backup
from socialdesk.store.workspace import Workspace
ws = Workspace.open(sys.argv[1], verify=False)
print("ready", flush=True)
while True:
    with ws.transaction():
        ws.conn.execute("INSERT INTO contacts (name) VALUES ('between backups')")
    backup.make_backup(ws, Path(sys.argv[2]), kind="auto", rotate=False)
"""


def start(script: str, *args: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", script, *map(str, args)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    return child


def kill_after(child: subprocess.Popen[str], seconds: float) -> str:
    time.sleep(seconds)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    return out


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def scalar(path: Path, sql: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def big_csv(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    lines = ["Name,Email,Notes"] + [
        f"Imported {i},imported{i}@example.test,row {i}" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_killing_an_import_leaves_it_wholly_there_or_wholly_absent(
        demo_path: Path, big_csv: Path, tmp_path: Path) -> None:
    rng = random.Random(20261124)
    imported = "SELECT count(*) FROM contacts WHERE name LIKE 'Imported %'"
    base = scalar(demo_path, "SELECT count(*) FROM contacts")
    calibrate = tmp_path / "calibrate.sqlite"
    shutil.copyfile(demo_path, calibrate)
    began = time.perf_counter()
    child = start(IMPORT, calibrate, big_csv)
    out, _ = child.communicate(timeout=120)
    duration = time.perf_counter() - began
    assert f"done {ROWS}" in out and scalar(calibrate, imported) == ROWS
    seen = set()
    for run in range(25):
        path = tmp_path / f"import-{run}.sqlite"
        shutil.copyfile(demo_path, path)
        kill_after(start(IMPORT, path, big_csv), rng.uniform(0, duration * 1.1))
        assert integrity(path) == "ok"
        count = scalar(path, imported)
        assert count in (0, ROWS), f"half an import: {count} of {ROWS}"
        assert scalar(path, "SELECT count(*) FROM contacts") == base + count
        seen.add(count)
        path.unlink()
    assert 0 in seen, "some kills should land before the import committed"


def test_killing_a_loop_of_edits_loses_nothing_committed(demo_path: Path) -> None:
    rng = random.Random(7)
    for _ in range(25):
        out = kill_after(start(EDITS, demo_path), rng.uniform(0.0, 0.4))
        assert integrity(demo_path) == "ok"
        printed = [int(line) for line in out.split()]
        conn = sqlite3.connect(demo_path)
        counter = conn.execute("SELECT id, notes FROM contacts WHERE name = 'Counter' "
                               "ORDER BY id DESC LIMIT 1").fetchone()
        last = int(counter[1]) if counter else -1
        edits = conn.execute("SELECT count(*) FROM contacts WHERE name LIKE 'Edit %' "
                             "AND id > ?", (counter[0] if counter else 0,)).fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM contacts c WHERE c.name LIKE 'Edit %' "
                               "AND NOT EXISTS (SELECT 1 FROM interactions i "
                               "WHERE i.contact_id = c.id)").fetchone()[0]
        conn.close()
        assert edits == last + 1, "every edit is whole: contact, interaction and counter"
        assert orphans == 0
        if printed:
            assert last >= printed[-1], "an edit reported as saved was lost"


def test_killing_a_backup_never_leaves_a_bad_backup_in_place(
        demo_path: Path, tmp_path: Path) -> None:
    rng = random.Random(3)
    folder = tmp_path / "backups"
    for _ in range(10):
        kill_after(start(BACKUPS, demo_path, folder), rng.uniform(0.05, 0.6))
        assert integrity(demo_path) == "ok"
    finished = catalog.list_backups(folder)
    assert finished, "some backups completed between the kills"
    for number, info in enumerate(finished):
        assert info.usable, info.problem
        staging = tmp_path / f"check-{number}"
        staging.mkdir()
        staged = stage(info.path, staging)
        assert staged.manifest.format_version == archive.FORMAT_VERSION
        assert integrity(staged.database) == "ok"
        shutil.rmtree(staging)
    hidden = [p.name for p in folder.iterdir() if not p.name.endswith(archive.SUFFIX)]
    assert all(n.startswith(".") and ".partial" in n for n in hidden), hidden
    with Workspace.open(demo_path) as ws:  # the next backup clears what the kills left
        backup.make_backup(ws, folder, rotate=False)
    assert all(p.name.endswith(archive.SUFFIX) for p in folder.iterdir())
