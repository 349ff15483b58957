"""The planner's workspace read (``read_workspace``) with stopping points between its parts.

On the huge workspace it is most of a second when the kept inputs are cold: a read the user
left must be able to stop a few tens of milliseconds after, so it calls ``between``
between its queries and after every ``ROWS_PART`` partners read. (The audiences, their
topics and the asks' outcomes are each one SQLite statement, the interpreter lock free
while SQLite works: ``store.columns.numeric_columns``.) What it reads is the same.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from planner_helpers import same

from socialdesk.qt.planner.data import read_workspace
from socialdesk.store import columns, track_record
from socialdesk.store.workspace import Workspace


def cold_read(path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
              between: Any = None) -> Any:
    """``read_workspace`` with nothing kept from an earlier read (its own cache folder)."""
    monkeypatch.setenv("SOCIALDESK_CACHE_DIR", str(cache))
    with Workspace.open_readonly(path) as ws:
        return read_workspace(ws, date.today(), between)


def rows_read(path: Path) -> int:
    """The partners the workspace read goes through row by row."""
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(DISTINCT contact_id) FROM audiences").fetchone()[0])


def test_the_read_with_stops_is_the_read_without(
        demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columns, "ROWS_PART", 7)  # many parts on the small demo
    calls: list[None] = []
    plain = cold_read(demo_path, tmp_path / "plain", monkeypatch)
    stopped = cold_read(demo_path, tmp_path / "stopped", monkeypatch,
                        lambda: calls.append(None))
    assert len(calls) >= rows_read(demo_path) // 7  # at least every 7 partners read
    assert len(plain.model.partners) > 20
    same(stopped, plain)


def test_the_read_with_stops_is_the_read_without_on_a_tenth_of_the_large_demo(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from socialdesk.core.demo import create_demo

    path = tmp_path / "large.sqlite"
    create_demo(path, "large", scale=0.1)
    monkeypatch.setattr(columns, "ROWS_PART", 100)
    calls: list[None] = []
    plain = cold_read(path, tmp_path / "plain", monkeypatch)
    stopped = cold_read(path, tmp_path / "stopped", monkeypatch, lambda: calls.append(None))
    assert len(plain.model.partners) >= 500
    assert len(calls) >= rows_read(path) // 100
    same(stopped, plain)


@pytest.mark.parametrize("rows", [0, 6, 7, 20])
def test_the_rows_are_read_in_parts_with_a_stop_after_each(rows: int,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columns, "ROWS_PART", 7)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a INTEGER, b TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"x{i}") for i in range(rows)])
    read: list[int] = []
    parts = columns.columns_by_name(conn.execute("SELECT a, b FROM t ORDER BY a"),
                                    lambda: read.append(len(read)))
    assert len(read) == -(-rows // 7)  # one stop per part of 7 rows or fewer
    assert parts == columns.columns_by_name(conn.execute("SELECT a, b FROM t ORDER BY a"))


def test_the_calibration_outcomes_read_stops_before_its_statement(demo_path: Path) -> None:
    calls: list[None] = []
    with Workspace.open_readonly(demo_path) as ws:
        whole = track_record.calibration_outcomes(ws, with_ids=True)
        stopped = track_record.calibration_outcomes(ws, with_ids=True,
                                                    between=lambda: calls.append(None))
    assert len(whole) > 14 and len(calls) == 1
    assert stopped.dtype == whole.dtype and np.array_equal(stopped, whole)
