"""The planner's partners and recalibration kept between runs (core/planner/input_cache.py).

Kept while the workspace's planner rows are unchanged: used then without reading the
partners or the asks again; once rows they are made from change, whoever changed them,
brought up to date by reading those partners alone, and the same as a whole read.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    "a partner's id changed": "UPDATE contacts SET id = (SELECT max(id) + 1 FROM contacts), "
                              f"uid = NULL, slug = NULL WHERE id = {PARTNER}",
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
    # A REPLACE removes a row without a DELETE trigger: the removed row's partner changed.
    "an audience replaced by another partner's": "INSERT OR REPLACE INTO audiences (id, "
        "contact_id, platform, size) VALUES ((SELECT min(id) FROM audiences), "
        "(SELECT max(contact_id) FROM audiences), 'blog', 77)",
    "an audience's id taken by another": "UPDATE OR REPLACE audiences SET id = (SELECT "
        "min(id) FROM audiences) WHERE id = (SELECT max(id) FROM audiences)",
    "a partner replaced by a new contact": "INSERT OR REPLACE INTO contacts (id, name, "
        f"effort_minutes) VALUES ({PARTNER}, 'Someone new', 3)",
    "a topic replaced by name": "INSERT OR REPLACE INTO topics (name) SELECT name FROM "
        "topics WHERE id = (SELECT topic_id FROM audience_topics LIMIT 1)",
    "an ask replaced by another partner's": "INSERT OR REPLACE INTO asks (id, uid, "
        f"contact_id, status, asked_on, planned_p) VALUES ({RESOLVED_ASK}, 'test-replaced', "
        "(SELECT max(contact_id) FROM audiences), 'declined', '2026-01-06', 0.2)",
}


def as_read(ws: Workspace) -> tuple[planning.PartnerRows, tuple[int, object]]:
    """The partners and the recalibration read from the workspace itself."""
    outcomes = track_record.calibration_outcomes(ws)
    fitted = (None if len(outcomes) < MIN_RESOLVED
              else fit_calibration(outcomes["raw_p"], outcomes["shared"]))
    return planning.partner_rows(ws), (len(outcomes), fitted)


def same_rows(a: planning.PartnerRows, b: planning.PartnerRows) -> bool:
    """The same partners and audiences (platforms and topic sets by value, not by code)."""
    for f in fields(planning.PartnerRows):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name in {"platform", "platforms", "topics", "topic_sets"}:
            continue
        if isinstance(x, np.ndarray):
            if x.dtype != y.dtype or not np.array_equal(x, y):
                return False
        elif x != y:
            return False
    return ([a.platforms[i] for i in a.platform] == [b.platforms[i] for i in b.platform]
            and [a.topic_sets[i] for i in a.topics] == [b.topic_sets[i] for i in b.topics])


def change(path: Path, sql: str) -> int:
    """Run ``sql`` as another program would: its own connection, no foreign keys enforced."""
    with sqlite3.connect(path) as conn:
        count = conn.execute(sql).rowcount
    conn.close()
    return count


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_change_to_what_the_planner_reads_shows_as_a_whole_read_gives_it(
        demo_path: Path, name: str) -> None:
    with Workspace.open(demo_path) as ws:
        rows, fit = input_cache.partner_rows(ws), stored_fit(ws)
        assert input_cache.cache_file(ws, "partners").exists()  # type: ignore[union-attr]
        assert change(demo_path, CHANGES[name]) == 1
        fresh_rows, fresh_fit = as_read(ws)
        assert not same_rows(rows, fresh_rows) or fit != fresh_fit  # the change shows
        statements: list[str] = []
        ws.conn.set_trace_callback(statements.append)
        assert same_rows(input_cache.partner_rows(ws), fresh_rows)
        assert stored_fit(ws) == fresh_fit
        ws.conn.set_trace_callback(None)
        # Brought up to date from the partners changed, not read whole.
        assert not [s for s in statements if "FROM contacts" in s and "json_each" not in s]
        assert same_rows(input_cache.partner_rows(ws), fresh_rows)  # as kept since


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


def test_after_an_ask_is_made_only_its_partner_is_read_again(demo_path: Path) -> None:
    with Workspace.open(demo_path) as ws:
        input_cache.partner_rows(ws)
        with ws.conn:
            ws.conn.execute(CHANGES["a new ask"])
        rows, _ = as_read(ws)
        statements: list[str] = []
        ws.conn.set_trace_callback(statements.append)
        assert same_rows(input_cache.partner_rows(ws), rows)
    read = [s for s in statements if "FROM asks" in s or "FROM contacts" in s
            or "FROM audiences" in s]
    assert read and all("json_each" in s for s in read)


def test_an_ask_made_leaves_the_recalibration_as_fitted(demo_path: Path) -> None:
    with Workspace.open_readonly(demo_path) as ws:
        fit = stored_fit(ws)
        change(demo_path, CHANGES["a new ask"].replace("'shared'", "'asked'"))
        change(demo_path, f"UPDATE asks SET note = 'called' WHERE id = {RESOLVED_ASK}")
        change(demo_path, "DELETE FROM asks WHERE id = (SELECT min(id) FROM asks WHERE "
                          "planned_p IS NULL)")
        statements: list[str] = []
        ws.conn.set_trace_callback(statements.append)
        kept = stored_fit(ws)
        ws.conn.set_trace_callback(None)
        assert kept == fit == as_read(ws)[1]
        assert [s for s in statements if "FROM asks" in s]
        assert not [s for s in statements if "FROM asks" in s and "json_each" not in s]


@pytest.mark.parametrize("answered_on", ["2000-01-01", "(SELECT min(asked_on) FROM asks) || 'x'",
                                         "date('now', '+1 day')"])
def test_an_ask_answered_is_placed_among_the_kept_outcomes(
        demo_path: Path, answered_on: str) -> None:
    with Workspace.open_readonly(demo_path) as ws:
        fit = stored_fit(ws)
        change(demo_path, f"UPDATE asks SET status = 'shared', answered_on = {answered_on} "
                          "WHERE id = (SELECT min(id) FROM asks WHERE status = 'asked' AND "
                          "planned_p IS NOT NULL)")
        change(demo_path, f"UPDATE asks SET status = 'declined', answered_on = {answered_on} "
                          f"WHERE id = {RESOLVED_ASK.replace('ORDER BY id', 'ORDER BY id DESC')}")
        statements: list[str] = []
        ws.conn.set_trace_callback(statements.append)
        kept = stored_fit(ws)
        ws.conn.set_trace_callback(None)
        fresh = as_read(ws)[1]
        assert kept == fresh != fit  # the fit's every bit, as on all the asks read in order
        assert not [s for s in statements if "FROM asks" in s and "json_each" not in s
                    and "count(*)" not in s]


def test_most_partners_changed_are_read_whole(demo_path: Path) -> None:
    with Workspace.open_readonly(demo_path) as ws:
        input_cache.partner_rows(ws)
        change(demo_path, "UPDATE contacts SET effort_minutes = effort_minutes + 1 WHERE id IN "
                          "(SELECT DISTINCT contact_id FROM audiences ORDER BY 1 LIMIT (SELECT "
                          "count(DISTINCT contact_id) / 2 FROM audiences))")
        rows = as_read(ws)[0]
        statements: list[str] = []
        ws.conn.set_trace_callback(statements.append)
        assert same_rows(input_cache.partner_rows(ws), rows)
        ws.conn.set_trace_callback(None)
    assert [s for s in statements if "FROM contacts" in s and "json_each" not in s]


def test_topic_sets_read_twice_stay_apart_when_kept(demo_path: Path) -> None:
    # A topic deleted without its audiences' links (no foreign keys): sets with and
    # without it read as one set under two codes, which the kept copy must keep apart.
    change(demo_path, "DELETE FROM topics WHERE id = (SELECT topic_id FROM audience_topics "
                      "GROUP BY topic_id ORDER BY count(*) DESC LIMIT 1)")
    with Workspace.open_readonly(demo_path) as ws:
        rows = input_cache.partner_rows(ws)
        assert len(set(rows.topic_sets)) < len(rows.topic_sets)
        change(demo_path, CHANGES["a partner renamed"])
        assert same_rows(input_cache.partner_rows(ws), as_read(ws)[0])


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
        assert meta["marks"] == planning.planner_marks(ws)
        assert meta["changes"] == list(planning.planner_changes(ws))  # type: ignore[arg-type]


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


# Edits another program could make, each given two numbers that pick its rows and values:
# a row is picked by its place among the table's (modulo their count), by whatever id.
def _nth(table: str, column: str = "id") -> str:
    return (f"(SELECT {column} FROM {table} ORDER BY {column} LIMIT 1 OFFSET "
            f"{{a}} % max(1, (SELECT count(*) FROM {table})))")


_CONTACT, _PARTNER = _nth("contacts"), _nth("audiences", "contact_id")
_AUDIENCE, _TOPIC, _ASK, _VISIT = (_nth("audiences"), _nth("topics"), _nth("asks"),
                                   _nth("ask_visits"))
_OTHER_PARTNER, _OTHER_ASK = (_PARTNER.replace("{a}", "{b}"), _ASK.replace("{a}", "{b}"))
EDITS = (
    f"UPDATE contacts SET name = name || '{{b}}' WHERE id = {_PARTNER}",
    f"UPDATE contacts SET strength = ({{b}} % 11) / 10.0 WHERE id = {_PARTNER}",
    f"UPDATE contacts SET strength = NULL, stage = 'ally' WHERE id = {_PARTNER}",
    f"UPDATE contacts SET effort_minutes = {{b}} WHERE id = {_PARTNER}",
    "UPDATE contacts SET id = (SELECT max(id) + 1 FROM contacts), uid = NULL, slug = NULL "
    f"WHERE id = {_PARTNER}",
    f"DELETE FROM contacts WHERE id = {_PARTNER}",
    f"INSERT OR REPLACE INTO contacts (id, name) VALUES ({_PARTNER}, 'New {{b}}')",
    f"INSERT INTO audiences (contact_id, platform, platform_label, size) VALUES ({_CONTACT}, "
    "'other', 'x{b}', {b} * 100)",
    f"UPDATE audiences SET size = {{b}} * 37 WHERE id = {_AUDIENCE}",
    f"UPDATE audiences SET platform = 'other', platform_label = 'Lbl{{b}}' WHERE id = {_AUDIENCE}",
    f"UPDATE audiences SET contact_id = {_OTHER_PARTNER} WHERE id = {_AUDIENCE}",
    f"UPDATE OR REPLACE audiences SET id = {_AUDIENCE.replace('{a}', '{b}')} "
    f"WHERE id = {_AUDIENCE}",
    f"DELETE FROM audiences WHERE id = {_AUDIENCE}",
    f"INSERT OR REPLACE INTO audiences (id, contact_id, platform, size) VALUES ({_AUDIENCE}, "
    f"{_OTHER_PARTNER}, 'blog', {{b}})",
    f"INSERT OR IGNORE INTO audience_topics VALUES ({_AUDIENCE}, {_TOPIC.replace('{a}', '{b}')})",
    f"DELETE FROM audience_topics WHERE audience_id = {_AUDIENCE}",
    f"UPDATE topics SET name = name || ' {{b}}' WHERE id = {_TOPIC}",
    f"DELETE FROM topics WHERE id = {_TOPIC}",
    "INSERT OR IGNORE INTO topics (name) VALUES ('topic {a} {b}')",
    f"INSERT OR REPLACE INTO topics (name) SELECT name FROM topics WHERE id = {_TOPIC}",
    "INSERT INTO asks (uid, contact_id, status, asked_on, planned_p) VALUES "
    f"('edit-{{a}}-{{b}}', {_PARTNER}, 'shared', '2026-02-0' || ({{b}} % 9 + 1), 0.4)",
    f"UPDATE asks SET status = CASE status WHEN 'shared' THEN 'declined' ELSE 'shared' END "
    f"WHERE id = {_ASK}",
    f"UPDATE asks SET planned_raw_p = ({{b}} % 10) / 10.0 WHERE id = {_ASK}",
    f"UPDATE asks SET contact_id = {_OTHER_PARTNER} WHERE id = {_ASK}",
    f"DELETE FROM asks WHERE id = {_ASK}",
    "INSERT OR REPLACE INTO asks (id, uid, contact_id, status, asked_on, planned_p) VALUES "
    f"({_ASK}, 'again-{{a}}-{{b}}', {_OTHER_PARTNER}, 'no_reply', '2026-03-01', 0.1)",
    f"INSERT OR IGNORE INTO ask_visits (ask_id, first_day, last_day, visits) VALUES ({_ASK}, "
    "'2026-01-01', '2026-01-0' || ({b} % 9 + 1), {b})",
    f"UPDATE ask_visits SET visits = {{b}} % 3 WHERE id = {_VISIT}",
    f"UPDATE ask_visits SET ask_id = {_OTHER_ASK} WHERE id = {_VISIT}",
    f"DELETE FROM ask_visits WHERE id = {_VISIT}",
)


def edit(path: Path, kind: int, a: int, b: int) -> None:
    with contextlib.suppress(sqlite3.IntegrityError):  # refused by a rule: nothing changed
        change(path, EDITS[kind].format(a=a, b=b))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(EDITS) - 1), st.integers(0, 10_000),
                          st.integers(0, 10_000)), min_size=1, max_size=6))
def test_after_any_edits_the_kept_partners_are_a_whole_read(
        demo_path: Path, edits: list[tuple[int, int, int]]) -> None:
    # One workspace for every example: each starts where the last left off, kept.
    with Workspace.open_readonly(demo_path) as ws:
        input_cache.partner_rows(ws)
        stored_fit(ws)
        for kind, a, b in edits:
            edit(demo_path, kind, a, b)
        rows, fit = as_read(ws)
        assert same_rows(input_cache.partner_rows(ws), rows)
        assert stored_fit(ws) == fit


def test_every_edit_is_one_the_workspace_takes(demo_path: Path) -> None:
    failed = []
    for kind, sql in enumerate(EDITS):  # none is a typo that would test nothing
        for a, b in ((kind, kind + 1), (kind + 5, 3 * kind + 2), (1, 2 * kind + 7)):
            try:
                if change(demo_path, sql.format(a=a, b=b)) >= 1:
                    break
            except sqlite3.IntegrityError:  # a rule refused this one: tried with others
                pass
        else:
            failed.append(sql)
    assert not failed


def test_a_copy_older_than_the_changes_kept_is_read_whole(demo_path: Path) -> None:
    from socialdesk.store.schema_v20 import KEEP

    with Workspace.open_readonly(demo_path) as ws:
        input_cache.partner_rows(ws)
        stored_fit(ws)
        for b in range(KEEP // 1000 + 2):  # the kept row ends up removed from the list
            change(demo_path, "UPDATE contacts SET effort_minutes = effort_minutes + 1 "
                   "WHERE id IN (SELECT contact_id FROM audiences ORDER BY contact_id "
                   f"LIMIT 1000 OFFSET {b % 3})")
            change(demo_path, EDITS[21].format(a=b, b=b))  # an ask shared or not
        (listed,) = ws.conn.execute("SELECT count(*) FROM planner_changes").fetchone()
        assert listed <= KEEP + 1000
        rows, fit = as_read(ws)
        assert same_rows(input_cache.partner_rows(ws), rows)
        assert stored_fit(ws) == fit


@pytest.mark.parametrize("other", ["DELETE FROM planner_changes",
                                   "UPDATE planner_changes SET tag = tag + 1"])
def test_a_list_of_changes_not_the_kept_ones_has_everything_read(
        demo_path: Path, other: str) -> None:
    with Workspace.open_readonly(demo_path) as ws:  # as after a restore from a backup
        input_cache.partner_rows(ws)
        stored_fit(ws)
        change(demo_path, other)
        change(demo_path, EDITS[3].format(a=1, b=2))
        change(demo_path, EDITS[21].format(a=1, b=2))
        rows, fit = as_read(ws)
        assert same_rows(input_cache.partner_rows(ws), rows)
        assert stored_fit(ws) == fit
