"""Contact import of a 100k-row Google Contacts CSV against `sqlite-utils insert --csv`.

Goal (issue 3): SocialDesk's import (parse, duplicate check, FTS index, one transaction)
within 2× of sqlite-utils inserting the same file into a fresh database.
"""

from __future__ import annotations

import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import CACHE, Result

ROWS = 100_000
HEADER = ["First Name", "Middle Name", "Last Name", "Nickname", "Organization Name",
          "Organization Title", "Notes", "Labels", "E-mail 1 - Label", "E-mail 1 - Value",
          "E-mail 2 - Label", "E-mail 2 - Value", "Phone 1 - Label", "Phone 1 - Value",
          "Website 1 - Label", "Website 1 - Value"]


def google_csv() -> Path:
    """A 100k-row file in Google Contacts' current layout (cached)."""
    path = CACHE / "google-100k.csv"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1)
    first = ["Anna", "Ben", "Chloé", "David", "Emma", "Félix", "Greta", "Hugo", "Inès", "Jonas"]
    last = ["Müller", "Smith", "García", "Rossi", "Dubois", "Kowalski", "Nguyen", "Novák"]
    orgs = ["Corner Café", "Bakery Bloom", "Green Grocers", "", "", "River Books"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(ROWS):
            f, surname = rng.choice(first), rng.choice(last)
            writer.writerow([
                f, "", f"{surname}{i}", "", rng.choice(orgs), "", f"note {i}" if i % 5 == 0 else "",
                f"{rng.choice(['Friends', 'Customers', 'Press'])} ::: * myContacts",
                "* Home", f"{f.lower()}.{i}@example.com", "Work" if i % 3 == 0 else "",
                f"w{i}@work.example" if i % 3 == 0 else "", "Mobile", f"+49 170 {i:07d}",
                "", f"https://site{i}.example" if i % 4 == 0 else "",
            ])
    return path


def run() -> list[Result]:
    """Time both imports into fresh databases (best of two)."""
    from socialdesk.core.contacts.importing import import_contacts
    from socialdesk.store.workspace import Workspace

    source = google_csv()
    ours, theirs = [], []
    sqlite_utils = Path(sys.executable).with_name("sqlite-utils")
    for attempt in range(2):
        with tempfile.TemporaryDirectory() as scratch:
            start = time.perf_counter()
            with Workspace.open(Path(scratch) / "w.sqlite", create=True) as ws:
                report = import_contacts(ws, source)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run([str(sqlite_utils), "insert", str(Path(scratch) / f"x{attempt}.db"),
                            "contacts", str(source), "--csv"], check=True,
                           stdout=subprocess.DEVNULL)
            theirs.append(time.perf_counter() - start)
    assert report.imported == ROWS, report
    return [Result("import 100k Google CSV contacts", min(ours), "s", min(theirs),
                   "≤ 2× sqlite-utils insert --csv")]


if __name__ == "__main__":
    from common import print_table

    print_table(run())
