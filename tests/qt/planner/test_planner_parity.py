"""The command line and the Planner view give every post of the demo the same figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialdesk.cli import main
from socialdesk.core.clock import today
from socialdesk.qt.main_window import MainWindow
from socialdesk.qt.planner.data import read_workspace
from socialdesk.qt.planner.post_plan import MC_RUNS, MC_SEED, PostData, plan_for_post
from socialdesk.qt.planner.view import PlannerView
from socialdesk.store import asks
from socialdesk.store.workspace import Workspace

BUDGET = 60


def cli_plan(path: Path, post_id: int, capsys: pytest.CaptureFixture[str],
             runs: int = 1) -> dict:
    assert main(["plan", str(post_id), "--json", "--budget", str(BUDGET), "--runs", str(runs),
                 "--seed", str(MC_SEED), "--workspace", str(path)]) == 0
    return json.loads(capsys.readouterr().out)


def assert_same_figures(cli: dict, data: PostData, chosen: set[str]) -> None:
    """The view's partner figures, asks and reach are the command line's."""
    view = {line.id: line.estimate for line in data.lines}
    assert set(view) == {str(e["id"]) for e in cli["ranked"]}
    for e in cli["ranked"]:
        mine = view[str(e["id"])]
        assert (mine.p, mine.fit, mine.added_reach) == pytest.approx(
            (e["p"], e["fit"], e["added_reach"]), abs=1e-9, rel=0), e["name"]
    assert chosen == {str(e["id"]) for e in cli["asks"]}
    assert data.alone == pytest.approx(cli["own_reach"], abs=1e-9, rel=0)
    assert data.reach(chosen) == pytest.approx(cli["expected_reach"], abs=1e-9, rel=0)


def test_every_post_is_planned_alike_on_the_command_line_and_in_the_view(
        demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Workspace.open_readonly(demo_path) as ws:
        post_ids = [row[0] for row in ws.conn.execute("SELECT id FROM posts ORDER BY id")]
        with_asks = {pid for pid in post_ids if asks.asks_for_post(ws, pid)}
        facts = read_workspace(ws, today())  # as the view's worker does, once for all posts
        planned = {pid: plan_for_post(ws, facts, pid) for pid in post_ids}
    assert len(with_asks) >= 20  # the posts whose asks once tired their own partners
    for pid in post_ids:
        data = planned[pid]
        assert_same_figures(cli_plan(demo_path, pid, capsys), data, data.suggestion(BUDGET))


def test_the_view_shows_the_command_line_figures_for_a_post_with_asks(
        window: MainWindow, qtbot, capsys: pytest.CaptureFixture[str]) -> None:
    view = window.show_view("planner")
    assert isinstance(view, PlannerView)
    post_id = min(row[0] for row in window.ws.conn.execute(
        "SELECT post_id FROM asks WHERE post_id IS NOT NULL AND "
        "asked_on >= date('now', '-14 days')"))
    view.select_post(post_id)
    qtbot.waitUntil(lambda: view.data is not None and view.data.post.id == post_id
                    and not view.is_busy(), timeout=15_000)
    data = view.data
    assert data is not None
    view.budget.setValue(BUDGET + 1)
    view.budget.setValue(BUDGET)  # the view's own suggestion, not the asks already made
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=15_000)
    cli = cli_plan(window.ws.path, post_id, capsys, runs=MC_RUNS)
    assert_same_figures(cli, data, view.chosen)
    summary = view.ranges[(post_id, frozenset(view.chosen))]
    c = cli["cascade"]
    assert (summary.mean, summary.median, summary.p10, summary.p90, summary.p_none) == (
        pytest.approx((c["mean"], c["median"], c["p10"], c["p90"], c["p_none"]), abs=1e-9))
    # The headline in the same words as the command line's
    qtbot.waitUntil(lambda: view.summary.range.value.text() != "–", timeout=15_000)
    assert main(["plan", str(post_id), "--budget", str(BUDGET), "--runs", str(MC_RUNS),
                 "--seed", str(MC_SEED), "--workspace", str(window.ws.path)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[1] == f"  Likely reach:    {view.summary.range.value.text()}"
    assert table[2].startswith(f"                   {view.summary.range.detail.text()} (")


def test_calibration_and_learned_rates_are_used_alike(
        demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from socialdesk.core.planner import planning, track_record
    from socialdesk.core.settings import update_setting

    with Workspace.open(demo_path) as ws:
        # The demo's resolved asks as if planned with p = 0.6: partners shared less often.
        ws.conn.execute("UPDATE asks SET planned_p = 0.6, planned_reach = 100, planned_x0 = 0, "
                        "model_version = 2 WHERE status IN ('shared', 'declined', 'no_reply')")
        update_setting(ws, "learned_rates_on", True)
        record = track_record.track_record(ws)
        params = planning.model_params(ws)
        post_ids = [row[0] for row in ws.conn.execute("SELECT id FROM posts ORDER BY id")]
    assert record.calibration.active and params.calibration_alpha != 0.0
    learned = {k: r.rate for k, r in record.learned_rates.items() if r.rate is not None}
    assert learned and all(params.rate(k) == rate for k, rate in learned.items())
    with Workspace.open_readonly(demo_path) as ws:
        facts = read_workspace(ws, today())
        assert facts.model.params == params
        planned = {pid: plan_for_post(ws, facts, pid)
                   for pid in post_ids[::10]}
    for pid, data in planned.items():
        assert_same_figures(cli_plan(demo_path, pid, capsys), data, data.suggestion(BUDGET))
