"""Contact import of 100k-row CSV files against `sqlite-utils insert --csv`, both as processes.

Two files: Google Contacts' current export layout (36 columns, most of them empty, as
Google writes them) and a narrow one (name, e-mail, phone). Each is imported by
``socialdesk import contacts`` into a fresh workspace (parse, duplicate check, search
index, one transaction) and inserted by ``sqlite-utils insert --csv`` into a fresh
database, in pairs whose order alternates; the figure is the median of the pairs' ratios.
Goal: within 2× of sqlite-utils.

Also the peak memory (resident set) of ``socialdesk import contacts`` as a process, for a
Google CSV and a vCard file of 100k contacts each, with the file's size, and of
``socialdesk import calendar`` and ``socialdesk import clicks`` for a file at their size
limit (64 MB: a calendar CSV of 100k posts on four channels each, a daily analytics export
of about two million rows, generated in bench/.cache/tmp and removed after): an import
streams its file, so the peak does not grow with it. Goal: at most 300 MB, whatever the
size.

Other sizes: ``python bench/bench_import.py --rows 1000000 [--pairs 1]`` makes both CSV
files at that many rows (the same people, in bench/.cache/tmp, removed after the run) and
times the pairs as above, with each process's peak memory beside its time.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from bench_clicks import OTHERS, workspace_with_slugs
from common import CACHE, SCRATCH, Result, in_turn

ROWS = 100_000
PAIRS = 3
GOOGLE = [  # Google Contacts' export, as of 2024
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name",
    "Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As",
    "Organization Name", "Organization Title", "Organization Department", "Birthday", "Notes",
    "Photo", "Labels", "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label",
    "E-mail 2 - Value", "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label",
    "Phone 2 - Value", "Address 1 - Label", "Address 1 - Formatted", "Address 1 - Street",
    "Address 1 - City", "Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code",
    "Address 1 - Country", "Address 1 - Extended Address", "Website 1 - Label",
    "Website 1 - Value",
]
NARROW = ["Name", "E-mail", "Phone"]
FIRST = ["Anna", "Ben", "Chloé", "David", "Emma", "Félix", "Greta", "Hugo", "Inès", "Jonas"]
LAST = ["Müller", "Smith", "García", "Rossi", "Dubois", "Kowalski", "Nguyen", "Novák"]
ORGS = ["Corner Café", "Bakery Bloom", "Green Grocers", "", "", "River Books"]


def _google_row(rng: random.Random, i: int) -> list[str]:
    first, last = rng.choice(FIRST), f"{rng.choice(LAST)}{i}"
    row = dict.fromkeys(GOOGLE, "")
    row.update({
        "First Name": first, "Last Name": last, "File As": f"{first} {last}",
        "Organization Name": rng.choice(ORGS), "Notes": f"note {i}" if i % 5 == 0 else "",
        "Labels": f"{rng.choice(['Friends', 'Customers', 'Press'])} ::: * myContacts",
        "E-mail 1 - Label": "* Home", "E-mail 1 - Value": f"{first.lower()}.{i}@example.com",
        "Phone 1 - Label": "Mobile", "Phone 1 - Value": f"+49 170 {i:07d}",
    })
    if i % 3 == 0:
        row.update({"E-mail 2 - Label": "Work", "E-mail 2 - Value": f"w{i}@work.example"})
    if i % 7 == 0:
        row.update({"Address 1 - Label": "Home", "Address 1 - City": "Millbrook",
                    "Address 1 - Formatted": f"{i} Mill Street\nMillbrook",
                    "Address 1 - Street": f"{i} Mill Street", "Address 1 - Country": "UK"})
    if i % 4 == 0:
        row.update({"Website 1 - Label": "Profile",
                    "Website 1 - Value": f"https://site{i}.example"})
    return list(row.values())


def _narrow_row(rng: random.Random, i: int) -> list[str]:
    first = rng.choice(FIRST)
    return [f"{first} {rng.choice(LAST)}{i}", f"{first.lower()}.{i}@example.com",
            f"+49 170 {i:07d}"]


def cached_csv(name: str, header: list[str], row: Callable[[random.Random, int], list[str]],
               rows: int = ROWS) -> Path:
    """A ``rows``-row file made of ``row``s: written once in bench/.cache/ at ``ROWS`` rows,
    in bench/.cache/tmp at any other count (the caller removes it)."""
    path = (CACHE if rows == ROWS else SCRATCH) / f"{name}-{rows // 1000}k.csv"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        rng, part = random.Random(1), path.with_suffix(".part")
        with part.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(row(rng, i) for i in range(rows))
        part.replace(path)
    return path


def google_csv(rows: int = ROWS) -> Path:
    """A ``rows``-row file in Google Contacts' current 36-column layout."""
    return cached_csv("google36", GOOGLE, _google_row, rows)


def narrow_csv(rows: int = ROWS) -> Path:
    """A ``rows``-row file of three columns: name, e-mail, phone."""
    return cached_csv("narrow3", NARROW, _narrow_row, rows)


def vcard_file() -> Path:
    """A ``ROWS``-card vCard 3.0 file with the Google rows' people (written once)."""
    path = CACHE / f"vcard-{ROWS // 1000}k.vcf"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        rng, part = random.Random(1), path.with_suffix(".part")
        with part.open("w", newline="", encoding="utf-8") as handle:
            for i in range(ROWS):
                first, last = rng.choice(FIRST), f"{rng.choice(LAST)}{i}"
                handle.write(
                    f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{first} {last}\r\nN:{last};{first};;;\r\n"
                    f"EMAIL;TYPE=INTERNET,HOME:{first.lower()}.{i}@example.com\r\n"
                    f"TEL;TYPE=CELL:+49 170 {i:07d}\r\nORG:{rng.choice(ORGS)}\r\n"
                    f"NOTE:note {i}\\nsecond line\r\nCATEGORIES:Friends\r\nEND:VCARD\r\n")
        part.replace(path)
    return path


def peak_memory(source: Path, what: str = "contacts", workspace: Path | None = None
                ) -> tuple[float, float]:
    """Peak resident memory (MB) and CPU seconds of ``socialdesk import WHAT``, as a process.

    Into ``workspace``, else a fresh one.
    """
    from socialdesk.store.workspace import Workspace

    with tempfile.TemporaryDirectory() as scratch:
        if workspace is None:
            workspace = Path(scratch) / "w.sqlite"
            Workspace.open(workspace, create=True).close()
        process = subprocess.Popen([sys.executable, "-m", "socialdesk", "import", "--workspace",
                                    str(workspace), what, str(source)],
                                   stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = usage.ru_utime + usage.ru_stime
        process.returncode = os.waitstatus_to_exitcode(status)
        assert process.returncode == 0, f"{source.name}: the import failed"
    return usage.ru_maxrss / 1024, seconds  # kilobytes on Linux


def _near(limit: int, row_size: int, rows: int) -> int:
    """The length of a row's free text that brings ``rows`` rows to just under ``limit``."""
    return max(0, (limit - (1 << 20)) // rows - row_size)


def calendar_csv(folder: Path) -> Path:
    """SocialDesk's calendar CSV at its size limit: 100k posts on four channels each."""
    from socialdesk.core.calendar.csv_export import CSV_COLUMNS
    from socialdesk.core.calendar.importing.csv_posts import MAX_FILE_BYTES, MAX_POSTS

    posts, channels = MAX_POSTS, ("bluesky", "mastodon", "linkedin", "instagram")
    path = folder / "calendar-at-limit.csv"
    rng = random.Random(1)
    words = ["launch", "café", "market", "spring", "news", "team", "event", "offer", "local"]
    filler = _near(MAX_FILE_BYTES, 125, posts * len(channels))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for i in range(posts):
            text = " ".join(rng.choice(words) for _ in range(filler // 6))[:filler]
            day = f"2027-{1 + i % 12:02d}-{1 + i % 28:02d}"
            for channel in channels:
                writer.writerow([i + 1, day, f"{9 + i % 9:02d}:30", "", channel, "scheduled",
                                 "", f"Post {i}", f"{text} {i}", f"https://example.com/{i}",
                                 "news; local", "", "", "", f"post-{i}@example.com", ""])
    assert path.stat().st_size <= MAX_FILE_BYTES, path.stat().st_size
    return path


def clicks_export(folder: Path, pairs: list[tuple[str, int]]) -> Path:
    """A daily export by source and post at the clicks import's size limit."""
    from socialdesk.core.share.clicks.source import MAX_FILE_BYTES

    path = folder / "clicks-at-limit.csv"
    rng = random.Random(1)
    start = date(2026, 1, 1)
    days = [(start + timedelta(days=i)).strftime("%Y%m%d") for i in range(365)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date", "Session source", "Session manual ad content", "Sessions"])
        i = 0
        while handle.tell() < MAX_FILE_BYTES - 4096:
            if rng.random() < 0.6:
                slug, post = rng.choice(pairs)
                writer.writerow([days[i % 365], slug, f"post-{post}", rng.randint(1, 40)])
            else:
                writer.writerow([days[i % 365], rng.choice(OTHERS), "(not set)",
                                 rng.randint(1, 400)])
            i += 1
    assert path.stat().st_size <= MAX_FILE_BYTES, path.stat().st_size
    return path


def at_limit() -> list[Result]:
    """Peak memory of the calendar CSV and clicks imports, each of a file at its limit."""
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source = calendar_csv(folder)
        size = source.stat().st_size / 2**20
        peak, seconds = peak_memory(source, "calendar")
        source.unlink()
        results.append(Result(f"import peak memory, calendar CSV of {size:.0f} MB (100k posts, "
                              f"400k rows; {seconds:.1f} s CPU)", peak, "MB", None,
                              "≤ 300 MB whatever the file's size"))
        workspace, pairs = workspace_with_slugs(folder)
        source = clicks_export(folder, pairs)
        size = source.stat().st_size / 2**20
        peak, seconds = peak_memory(source, "clicks", workspace)
        results.append(Result(f"import peak memory, clicks export of {size:.0f} MB "
                              f"({seconds:.1f} s CPU)", peak, "MB", None,
                              "≤ 300 MB whatever the file's size"))
    return results


def _timed(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds of ``cmd`` as a process, its CPU seconds (user + system) and its peak
    memory in MB (both 0 where unknown)."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    if not hasattr(os, "wait4"):
        assert process.wait() == 0, f"{cmd[0]} failed"
        return time.perf_counter() - start, 0.0, 0.0
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, f"{' '.join(cmd[:4])}…: exit status {process.returncode}"
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # KiB on Linux


def compare(source: Path, rows: int = ROWS, pairs: int = PAIRS
            ) -> tuple[float, float, float, float, float, float]:
    """Median seconds of our import and of sqlite-utils', the median of their ratios, the
    median ratio of their CPU times, and the two imports' largest peak memory (MB)."""
    from socialdesk.store.workspace import Workspace

    sqlite_utils = Path(sys.executable).with_name("sqlite-utils")
    ours, theirs, cpu_ratios, our_rss, their_rss = [], [], [], [0.0], [0.0]
    for i in range(pairs):
        with tempfile.TemporaryDirectory() as scratch:
            workspace = Path(scratch) / "w.sqlite"
            Workspace.open(workspace, create=True).close()
            mine = [sys.executable, "-m", "socialdesk", "import", "--workspace",
                    str(workspace), "contacts", str(source)]
            reference = [str(sqlite_utils), "insert", str(Path(scratch) / "x.db"),
                         "contacts", str(source), "--csv"]
            (got, got_cpu, got_rss), (other, other_cpu, other_rss) = in_turn(
                i, partial(_timed, mine), partial(_timed, reference))
            print(f"  {source.name}, pair {i + 1}: ours {got:.1f} s ({got_cpu:.1f} s CPU), "
                  f"{got_rss:.0f} MB; sqlite-utils {other:.1f} s ({other_cpu:.1f} s CPU), "
                  f"{other_rss:.0f} MB", flush=True)
            if other_cpu:
                cpu_ratios.append(got_cpu / other_cpu)
            ours.append(got)
            theirs.append(other)
            our_rss.append(got_rss)
            their_rss.append(other_rss)
            with Workspace.open_readonly(workspace) as ws:
                count = ws.conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
            assert count == rows, f"{source.name}: {count} contacts imported, not {rows}"
    ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    return (statistics.median(ours), statistics.median(theirs), statistics.median(ratios),
            statistics.median(cpu_ratios or [0.0]), max(our_rss), max(their_rss))


def run(rows: int = ROWS, pairs: int = PAIRS) -> list[Result]:
    """Both files, both tools as processes, in pairs; at ``ROWS`` rows also the peak
    memory of a Google CSV and a vCard import."""
    results = []
    saved = {name: os.environ.get(name) for name in ("SOCIALDESK_CONFIG_DIR",
                                                       "SOCIALDESK_DATA_DIR")}
    with tempfile.TemporaryDirectory() as config:
        os.environ.update(dict.fromkeys(saved, config))
        for label, make in (("Google CSV, 36 columns", google_csv),
                            ("narrow CSV, 3 columns", narrow_csv)):
            source = make(rows)
            size = source.stat().st_size / 2**20
            try:
                ours, theirs, ratio, cpu_ratio, our_rss, their_rss = compare(source, rows,
                                                                             pairs)
            finally:
                if rows != ROWS:
                    source.unlink()
            count = f"{rows // 1000}k" if rows < 1_000_000 else f"{rows / 1e6:g}M"
            results.append(Result(f"import {count} contacts, {label}, {size:.0f} MB (median "
                                  f"of {pairs} pairs)", ours, "s", theirs,
                                  "≤ 2× sqlite-utils insert --csv", paired_ratio=ratio))
            if cpu_ratio:
                results.append(Result("  same, CPU time (user + system), median ratio of the "
                                      "pairs", cpu_ratio, "×"))
            if our_rss:
                results.append(Result("  peak memory (RSS) of each, largest of the pairs",
                                      our_rss, "MB", their_rss,
                                      "≤ 300 MB whatever the file's size"))
        if rows == ROWS and hasattr(os, "wait4"):
            for label, source in (("Google CSV", google_csv()), ("vCard", vcard_file())):
                size = source.stat().st_size / 2**20
                results.append(Result(f"import peak memory, 100k contacts, {label} of "
                                      f"{size:.0f} MB", peak_memory(source)[0], "MB", None,
                                      "≤ 300 MB whatever the file's size"))
            results += at_limit()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    return results


if __name__ == "__main__":
    from common import print_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help=f"rows per file ({ROWS:,})")
    parser.add_argument("--pairs", type=int, default=PAIRS, help=f"pairs per file ({PAIRS})")
    options = parser.parse_args()
    print_table(run(options.rows, options.pairs))
