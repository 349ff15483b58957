"""Search as you type over 100k contacts: keystroke → updated table model.

Words (names, organisations, tags and e-mail domains taken from the workspace) are typed
a letter at a time into the real contacts view; after each keystroke the work the
debounce timer triggers (``ContactsView.apply_query``: the search, the ordering, the
first page of rows, the count) is timed until the model shows the answer, once the view
has read every contact's sort position (on a worker, when it opens). On a workspace of
more than ``SEARCH_ABOVE`` contacts the search runs on a worker thread: the time
includes handing it over and back. Before each keystroke is timed the event loop runs
for ``SETTLE_MS`` (the debounce leaves that time): the previous answer's painting and
column fitting are not counted, as they were not when the search ran on the GUI thread,
and the time ends when the model has shown the answer (it fits its columns after). The
150 ms debounce itself is a deliberate wait and is not counted. Reference: the bare FTS5
query for the same text on its own connection (``SELECT rowid FROM contacts_fts WHERE
contacts_fts MATCH ?``, all rows).
Goal: median ≤ 20 ms and ≤ 3× the bare query.

Run alone with ``.venv/bin/python bench/bench_search.py [WORKSPACE]`` (another workspace,
such as a huge demo, instead of the large one) or through ``bench/run search``.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Result, large_workspace, print_table

REPEAT = 3
SETTLE_MS = 100  # before each timed keystroke (the debounce waits 150 ms)


def _words(conn: sqlite3.Connection) -> list[str]:
    """Things a user would type: common first names, surnames, organisations, tags."""
    def top(sql: str, n: int) -> list[str]:
        return [r[0] for r in conn.execute(sql).fetchall()[:n] if r[0]]

    first = top("SELECT substr(name, 1, instr(name, ' ') - 1) AS w, count(*) AS n FROM contacts "
                "WHERE instr(name, ' ') > 0 GROUP BY w ORDER BY n DESC", 4)
    last = top("SELECT substr(name, instr(name, ' ') + 1) AS w, count(*) AS n FROM contacts "
               "WHERE instr(name, ' ') > 0 GROUP BY w ORDER BY n DESC LIMIT 40", 40)[20:24]
    orgs = top("SELECT organisation, count(*) AS n FROM contacts WHERE organisation != '' "
               "GROUP BY organisation ORDER BY n", 2)
    tags = top("SELECT name FROM tags ORDER BY id", 2)
    return [w.split()[0].lower() for w in [*first, *last, *orgs, *tags] if w.split()]


def run(path: Path | None = None) -> list[Result]:
    """Type the words into the contacts view and time each keystroke's update."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    path = path or large_workspace()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["SOCIALDESK_CONFIG_DIR"] = scratch
        os.environ["SOCIALDESK_DATA_DIR"] = scratch
        return _measure(path)


def _measure(path: Path) -> list[Result]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtTest import QTest

    from socialdesk.qt.app import create_application
    from socialdesk.qt.contacts.view import ContactsView
    from socialdesk.store.contacts import fts_expression
    from socialdesk.store.workspace import Workspace

    create_application()
    ws = Workspace.open_readonly(path)
    bare_conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    words = _words(bare_conn)
    from PySide6.QtWidgets import QApplication

    start = time.perf_counter()
    view = ContactsView(ws)
    view.resize(1280, 800)
    view.refresh()
    first_load = time.perf_counter() - start
    view.show()
    # The order of every contact is read on a worker; searches wait for it once.
    while view.is_busy():
        QApplication.processEvents()
        time.sleep(0.001)
    order_read = time.perf_counter() - start

    # Ends when the model shows an answer (processEvents would keep the interpreter lock
    # while it waits for the worker's, as QTest.qWait does).
    answered = QEventLoop()
    shown_at = [0.0]

    def shown() -> None:
        if not view.is_busy():
            shown_at[0] = time.perf_counter()
            answered.quit()

    def settle() -> None:
        """What the keystroke and the last answer left to do (paints, column fitting) is
        done first: the 150 ms debounce leaves the time for it."""
        loop = QEventLoop()
        QTimer.singleShot(SETTLE_MS, loop.quit)
        loop.exec()

    view.model.modelReset.connect(shown)
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(REPEAT):
        for word in words:
            view.search.clear()
            view.apply_query()
            for letter in word:
                QTest.keyClick(view.search, letter)
                settle()
                start = time.perf_counter()
                view.apply_query()  # what the debounce timer runs
                if view.is_busy():  # the answer comes from the worker
                    answered.exec()  # an event loop, as the app's: it lets the worker run
                else:
                    shown_at[0] = time.perf_counter()
                ours.append(shown_at[0] - start)
                assert view.model.query.text == view.search.text(), "another query shown"
                expression = fts_expression(view.search.text())
                start = time.perf_counter()
                bare_conn.execute("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?",
                                  (expression,)).fetchall()
                bare.append(time.perf_counter() - start)
    ours_ms = [t * 1000 for t in ours]
    bare_ms = [t * 1000 for t in bare]
    median, reference = statistics.median(ours_ms), statistics.median(bare_ms)
    p90 = statistics.quantiles(ours_ms, n=10)[-1]
    p90_bare = statistics.quantiles(bare_ms, n=10)[-1]
    print(f"typed {len(words)} words × {REPEAT} ({len(ours)} keystrokes): "
          f"{', '.join(words)}")
    print(f"keystroke → model: median {median:.2f} ms, 90th percentile {p90:.2f} ms, "
          f"worst {max(ours_ms):.1f} ms; bare FTS5 median {reference:.2f} ms "
          f"(90th {p90_bare:.2f} ms) → {median / reference:.2f}×; "
          f"load average {os.getloadavg()[0]:.2f}")
    view.close()
    ws.close()
    bare_conn.close()
    return [
        Result("search: keystroke → updated model, median", median, "ms", reference,
               "≤ 20 ms and ≤ 3× bare FTS5"),
        Result("search: keystroke → updated model, 90th pct", p90, "ms", p90_bare, ""),
        Result("contacts view: open, first page shown", first_load * 1000, "ms"),
        Result("  every contact's sort position read (worker)", order_read * 1000, "ms"),
    ]


if __name__ == "__main__":
    print_table(run(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
