"""The planner's partners and recalibration kept between runs (core/planner/input_cache.py).

Kept while the workspace's planner mark is unchanged: used then without reading the
partners or the asks again, and never once a row they are made from has changed.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from socialdesk.cli import main
from socialdesk.core.planner import input_cache
from socialdesk.core.planner.track_record import MIN_RESOLVED, fit_calibration, stored_fit
from socialdesk.store import planning, track_record
from socialdesk.store.workspace import Workspace

FIXTURES = Path(__file__).parents[2] / "store" / "fixtures"
PARTNER = "(SELECT min(contact_id) FROM audiences)"
RESOLVED_ASK = ("(SELECT id FROM asks WHERE planned_p IS NOT NULL AND status IN "
                "('declined', 'no_reply') ORDER BY id LIMIT 1)")

# Each a change to one kind of row the planner reads for every partner.
CHANGES = {
    "a partner renamed": f"UPDATE contacts SET name = name || ' Jr' WHERE id = {PARTNER}",
    "a partner's stage": "UPDATE contacts SET strength = NULL, stage = CASE stage WHEN "
                         f"'champion' THEN 'aware' ELSE 'champion' END WHERE id = {PARTNER}",
    "a partner's effort": f"UPDATE contacts SET effort_minutes = effort_minutes + 7 "
                          f"WHERE id = {PARTNER}",
    "a partner deleted": "DELETE FROM contacts WHERE id = (SELECT max(contact_id) FROM audiences)",
    "a new partner": "INSERT INTO audiences (contact_id, platform, size) VALUES ((SELECT "
                     "min(id) FROM contacts WHERE id NOT IN (SELECT contact_id FROM "
                     "audiences)), 'blog', 500)",
    "an audience's size": "UPDATE audiences SET size = size + 1000 WHERE id = "
                          "(SELECT min(id) FROM audiences)",
    "an audience's platform": "UPDATE audiences SET platform = 'other', platform_label = "
                              "'Substack' WHERE id = (SELECT min(id) FROM audiences)",
    "an audience deleted": "DELETE FROM audiences WHERE id = (SELECT max(id) FROM audiences)",
    "a topic given to an audience": "INSERT INTO audience_topics SELECT a.id, t.id FROM "
                                    "audiences a, topics t WHERE NOT EXISTS (SELECT 1 FROM "
                                    "audience_topics x WHERE x.audience_id = a.id AND "
                                    "x.topic_id = t.id) LIMIT 1",
    "a topic taken from an audience": "DELETE FROM audience_topics WHERE (audience_id, "
                                      "topic_id) = (SELECT audience_id, topic_id FROM "
                                      "audience_topics LIMIT 1)",
    "a topic renamed": "UPDATE topics SET name = name || ' and more' WHERE id = "
                       "(SELECT topic_id FROM audience_topics LIMIT 1)",
    "an ask shared": f"UPDATE asks SET status = 'shared' WHERE id = {RESOLVED_ASK}",
    "an ask's planned chance": f"UPDATE asks SET planned_raw_p = 0.93 WHERE id = {RESOLVED_ASK}",
    "a new ask": "INSERT INTO asks (uid, contact_id, status, asked_on, planned_p) VALUES "
                 f"('test-ask', {PARTNER}, 'shared', '2026-01-05', 0.3)",
    "an ask deleted": f"DELETE FROM asks WHERE id = {RESOLVED_ASK}",
    "visits to a waiting ask": "INSERT INTO ask_visits (ask_id, first_day, last_day, visits) "
                               "VALUES ((SELECT id FROM asks WHERE status IN ('asked', "
                               "'agreed') AND planned_p IS NOT NULL LIMIT 1), '2026-01-01', "
                               "'2026-01-02', 5)",
}


def as_read(ws: Workspace) -> tuple[planning.PartnerRows, tuple[int, object]]:
    """The partners and the recalibration read from the workspace itself."""
    outcomes = track_record.calibration_outcomes(ws)
    fitted = (None if len(outcomes) < MIN_RESOLVED
              else fit_calibration(outcomes["raw_p"], outcomes["shared"]))
    return planning.partner_rows(ws), (len(outcomes), fitted)


def same_rows(a: planning.PartnerRows, b: planning.PartnerRows) -> bool:
    for f in fields(planning.PartnerRows):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            if x.dtype != y.dtype or not np.array_equal(x, y):
                return False
        elif x != y:
            return False
    return True


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_to_what_the_planner_reads_is_never_served_from_the_cache(
        demo_path: Path, change: str) -> None:
    with Workspace.open(demo_path) as ws:
        rows, fit = input_cache.partner_rows(ws), stored_fit(ws)
        assert input_cache.cache_file(ws, "partners").exists()  # type: ignore[union-attr]
        with ws.conn:
            assert ws.conn.execute(CHANGES[change]).rowcount == 1
        fresh_rows, fresh_fit = as_read(ws)
        assert not same_rows(rows, fresh_rows) or fit != fresh_fit  # the change shows
        assert same_rows(input_cache.partner_rows(ws), fresh_rows)
        assert stored_fit(ws) == fresh_fit


def test_unchanged_partners_and_asks_are_not_read_again(demo_path: Path) -> None:
    with Workspace.open(demo_path) as ws:
        rows, fit = as_read(ws)
        assert fit[1] is not None  # the demo's asks are enough to fit the recalibration
        assert same_rows(input_cache.partner_rows(ws), rows)
        assert stored_fit(ws) == fit
        with ws.conn:  # what the planner does not read leaves the mark as it is
            ws.conn.execute("UPDATE contacts SET notes = 'met at the fair' WHERE id = "
                            f"{PARTNER}")
            ws.conn.execute("UPDATE posts SET title = 'Renamed' WHERE id = "
                            "(SELECT min(id) FROM posts)")
    with Workspace.open_readonly(demo_path) as ws:  # as `socialdesk plan` opens it
        statements: list[str] = []
        ws.conn.set_trace_callback(statements.append)
        assert same_rows(input_cache.partner_rows(ws), rows)
        assert stored_fit(ws) == fit
    assert statements and not [s for s in statements if "FROM contacts" in s
                               or "FROM audiences" in s or "FROM asks" in s]


def test_after_an_ask_is_made_only_the_asks_are_read_again(demo_path: Path) -> None:
    with Workspace.open(demo_path) as ws:
        input_cache.partner_rows(ws)
        with ws.conn:
            ws.conn.execute(CHANGES["a new ask"])
        rows, _ = as_read(ws)
        statements: list[str] = []
        ws.conn.set_trace_callback(statements.append)
        assert same_rows(input_cache.partner_rows(ws), rows)
    assert [s for s in statements if "FROM asks" in s]
    assert not [s for s in statements if "FROM contacts" in s or "FROM audiences" in s]


def test_a_damaged_cache_file_is_read_again_from_the_workspace(demo_path: Path) -> None:
    with Workspace.open(demo_path) as ws:
        rows, _ = as_read(ws)
        input_cache.partner_rows(ws)
        path = input_cache.cache_file(ws, "partners")
        assert path is not None
        head, _, body = path.read_bytes().partition(b"\n")
        for damaged in (head + b"\n" + body[:-8], head[:-5], b"", b"\n\x00\xff"):
            path.write_bytes(damaged)
            assert same_rows(input_cache.partner_rows(ws), rows)
        meta = json.loads(path.read_bytes().partition(b"\n")[0])
        assert meta["mark"] == planning.planner_marks(ws)["partners"]  # type: ignore[index]


def test_a_workspace_without_a_mark_is_always_read(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v9.sqlite", path)
    with Workspace.open_readonly(path) as ws:  # too old for a mark, and left as it is
        assert planning.planner_marks(ws) is None
        rows, fit = as_read(ws)
        assert same_rows(input_cache.partner_rows(ws), rows)
        assert stored_fit(ws) == fit
        assert not input_cache.cache_file(ws, "partners").exists()  # type: ignore[union-attr]


def test_plan_prints_the_same_with_its_partners_kept_or_read(
        demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Workspace.open_readonly(demo_path) as ws:
        post = str(ws.conn.execute("SELECT min(post_id) FROM post_topics").fetchone()[0])
        kept = input_cache.cache_file(ws, "partners")
    assert kept is not None and not kept.exists()
    outputs = []
    for _ in range(2):
        assert main(["plan", post, "--runs", "300", "--json", "--workspace",
                     str(demo_path)]) == 0
        outputs.append(capsys.readouterr().out)
        assert kept.exists()
    assert outputs[0] == outputs[1]
    assert len(json.loads(outputs[0])["ranked"]) > 10
    if os.name == "posix":  # the partners' names are for the user's eyes only
        assert kept.parent.stat().st_mode & 0o777 == 0o700


def test_a_workspace_whose_mark_is_no_longer_kept_is_refused(demo_path: Path) -> None:
    import sqlite3

    from socialdesk.store.errors import ForeignSchema

    with sqlite3.connect(demo_path) as conn:  # another program drops a trigger
        conn.execute("DROP TRIGGER planner_mark_asks_update")
    with pytest.raises(ForeignSchema, match="planner_mark_asks_update"):
        Workspace.open_readonly(demo_path)


def test_a_name_stored_as_bytes_is_read_and_not_kept(demo_path: Path) -> None:
    with Workspace.open(demo_path) as ws:  # another program wrote a BLOB where text belongs
        with ws.conn:
            ws.conn.execute(f"UPDATE contacts SET name = CAST(name AS BLOB) WHERE id = {PARTNER}")
        rows, _ = as_read(ws)
        assert same_rows(input_cache.partner_rows(ws), rows)
        assert not input_cache.cache_file(ws, "partners").exists()  # type: ignore[union-attr]
