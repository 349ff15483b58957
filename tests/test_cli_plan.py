"""``socialdesk plan``: a scenario file or a stored post, as JSON or as a table."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import pytest

from scenario_samples import DESIGN_EXAMPLE, write
from socialdesk.cli import main
from socialdesk.core.planner import planning
from socialdesk.store.workspace import Workspace

KEYS = ["own_reach", "expected_reach", "multiplier", "effort_minutes", "cascade", "asks",
        "ranked"]
PARTNER_KEYS = ["id", "name", "p", "fit", "added_reach", "marginal_reach", "effort_minutes"]
CASCADE_KEYS = ["mean", "median", "p10", "p90", "p_none", "runs"]


def plan_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["plan", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_design_example_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--scenario", str(write(tmp_path)), "--json"]) == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert list(result) == KEYS
    # O = 800 · 0.10 = 80; fit = 0.2 + 0.8 · 0/2 = 0.2; E = 5000 · 0.10 · 0.2 = 100;
    # π = 0.05 + 0.6 · 0.6 = 0.41; q = (2 + 2 · 0.41) / (3 + 2) = 0.564; φ = 1 − e^(−30/14)
    p = 0.564 * (1 - math.exp(-30 / 14))
    reach = 100_000 * (1 - (1 - 0.0008) * (1 - p * 0.001))
    assert result["own_reach"] == pytest.approx(80)
    assert result["expected_reach"] == pytest.approx(reach)
    assert result["multiplier"] == pytest.approx(reach / 80)
    assert result["effort_minutes"] == 10
    cafe = {"id": "p1", "name": "Corner Café", "p": pytest.approx(p), "fit": pytest.approx(0.2),
            "added_reach": pytest.approx(reach - 80),
            "marginal_reach": pytest.approx(reach - 80), "effort_minutes": 10}
    assert result["asks"] == [cafe]
    assert result["ranked"] == [cafe]
    assert list(result["asks"][0]) == PARTNER_KEYS
    # Without links each run reaches 80 (no share) or 80 + 100 · (1 − 0.0008) (a share);
    # nobody shares with 1 − p ≈ 0.502, so the median is 80 too.
    cascade = result["cascade"]
    assert list(cascade) == CASCADE_KEYS
    assert cascade["runs"] == 2000
    assert cascade["p10"] == pytest.approx(80) and cascade["p90"] == pytest.approx(179.92)
    assert cascade["mean"] == pytest.approx(reach, rel=0.03)
    assert cascade["p_none"] == pytest.approx(1 - p, abs=4 * math.sqrt(p * (1 - p) / 2000))
    assert cascade["median"] == pytest.approx(80 if cascade["p_none"] > 0.5 else 179.92)
    assert err == "socialdesk: note: links[0] ignored: no partner has the id 'p2'\n"


def test_options_override_the_scenario(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path)
    assert plan_json(capsys, "--scenario", str(path), "--budget", "5")["asks"] == []
    assert plan_json(capsys, "--scenario", str(path), "--max-asks", "0")["asks"] == []
    result = plan_json(capsys, "--scenario", str(path), "--runs", "100", "--seed", "4")
    assert result["cascade"]["runs"] == 100


def test_design_example_as_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--scenario", str(write(tmp_path))]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Scenario scenario.json"
    # The headline: the likely range and the median; the mean and no-share chance under it.
    assert lines[1] == "  Likely reach:    80–180, median 80"
    assert lines[2].startswith("                   mean 13") and lines[2].endswith(
        "% chance that nobody shares (2,000 runs, with reshares)")
    assert lines[3] == "  Reach alone:          80"
    assert lines[4] == ("  With 1 ask:          130   ×1.6 expected without reshares, "
                        "10 min of asking")
    header = next(line for line in lines if "Partner" in line)
    row = next(line for line in lines if "Corner Café" in line)
    assert row.lstrip().startswith("✓")
    # numbers end under the end of their column heading; a chosen partner's marginal reach
    # is in the plan column
    for heading, value in (("Shares", "50%"), ("Fit", "20%"), ("Adds", "50"),
                           ("In plan", "50"), ("Effort", "10 min")):
        end = header.index(heading) + len(heading)
        assert row[end - len(value):end] == value


def test_a_stored_post(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = hashlib.sha256(demo_path.read_bytes()).hexdigest()
    with Workspace.open_readonly(demo_path) as ws:
        post_id = ws.conn.execute(
            "SELECT id FROM posts WHERE scheduled_on >= date('now') ORDER BY scheduled_on"
        ).fetchone()[0]
        _, expected = planning.plan_post(ws, post_id, budget_minutes=30)
    result = plan_json(capsys, str(post_id), "--budget", "30", "--workspace", str(demo_path))
    assert result["expected_reach"] == pytest.approx(expected.expected_reach)
    assert [a["id"] for a in result["asks"]] == [int(e.id) for e in expected.chosen]
    assert sum(a["effort_minutes"] for a in result["asks"]) <= 30
    assert len(result["ranked"]) == len(expected.ranked) > 10
    assert all(isinstance(a["id"], int) for a in result["ranked"])
    cascade = result["cascade"]
    assert cascade["runs"] == 2000 and cascade["p10"] <= cascade["median"] <= cascade["p90"]
    assert cascade["p10"] <= cascade["mean"] <= cascade["p90"]
    # --max-asks and the budget both hold (v2): at most 2 asks, within 15 minutes.
    two = plan_json(capsys, str(post_id), "--max-asks", "2", "--budget", "15", "--runs",
                    "200", "--workspace", str(demo_path))
    assert 0 < len(two["asks"]) <= 2
    assert sum(a["effort_minutes"] for a in two["asks"]) <= 15
    assert main(["plan", str(post_id), "--workspace", str(demo_path)]) == 0
    table = capsys.readouterr().out
    assert table.startswith(f"Post {post_id} “")
    assert "more partners (--json lists them all)" in table
    assert hashlib.sha256(demo_path.read_bytes()).hexdigest() == before


def test_a_missing_post(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "99999", "--workspace", str(demo_path)]) == 1
    err = capsys.readouterr().err
    assert "there is no post with id 99999" in err and str(demo_path) in err


def test_a_missing_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "1", "--workspace", str(tmp_path / "none.sqlite")]) == 1
    assert "no workspace here" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite").exists()


def test_a_bad_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, DESIGN_EXAMPLE.replace('"followers": 800', '"followers": "lots"'))
    assert main(["plan", "--scenario", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"socialdesk: {path}, line 4 (own_channels[0].followers):")
    assert main(["plan", "--scenario", str(tmp_path / "nope.json")]) == 1
    assert "nope.json: no such file" in capsys.readouterr().err


@pytest.mark.parametrize("args", [
    [], ["3", "--scenario", "x.json"], ["--runs", "0", "3"], ["abc"], ["3", "--budget", "-5"],
    ["3", "--max-asks", "many"],
])
def test_usage_errors(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["plan", *args])
    assert stopped.value.code == 2
    assert "usage:" in capsys.readouterr().err


def _first_post(path: Path) -> str:
    with Workspace.open_readonly(path) as ws:
        return str(ws.conn.execute("SELECT min(id) FROM posts").fetchone()[0])


def _strict_json(text: str) -> dict:
    def refuse(constant: str) -> None:
        raise AssertionError(f"not valid JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


def test_unusable_settings_and_counts_of_a_workspace_from_elsewhere_give_finite_figures(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    post = _first_post(demo_path)
    clean = tmp_path / "clean.sqlite"
    shutil.copyfile(demo_path, clean)
    with Workspace.open(demo_path) as ws, ws.transaction():
        # JSON lets NaN and Infinity through; SQLite stores 9e999 as an infinite REAL.
        for key, value in (("universe", "NaN"), ("reshare", '"lots"'),
                           ("fatigue_days", "-Infinity"), ("cross_platform", "true"),
                           ("reach_rates", '{"instagram": Infinity, "facebook": -1}')):
            ws.conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                            (key, value))
        ws.conn.execute("UPDATE channels SET followers = 9e999 WHERE id = "
                        "(SELECT min(id) FROM channels)")

    hostile = plan_json(capsys, post, "--workspace", str(demo_path), "--runs", "200")
    assert _strict_json(json.dumps(hostile)) == hostile
    assert main(["plan", post, "--workspace", str(demo_path), "--runs", "200"]) == 0
    assert "Reach alone:" in capsys.readouterr().out
    # Every unusable setting fell back to its default: the plan is the clean one's,
    # except for the channel whose follower count was capped.
    with Workspace.open(clean) as ws, ws.transaction():
        ws.conn.execute("UPDATE channels SET followers = 1000000000000 WHERE id = "
                        "(SELECT min(id) FROM channels)")
    assert hostile == plan_json(capsys, post, "--workspace", str(clean), "--runs", "200")


def test_a_reader_that_closes_the_pipe_stops_the_output_quietly(demo_path: Path) -> None:
    import os
    import subprocess
    import sys

    post = _first_post(demo_path)
    for extra in ([], ["--json"]):
        read, write = os.pipe()
        os.close(read)  # like `| head` that has already quit: every write fails
        try:
            done = subprocess.run(
                [sys.executable, "-m", "socialdesk", "plan", post, "--workspace",
                 str(demo_path), "--runs", "50", *extra],
                stdout=write, stderr=subprocess.PIPE, text=True, timeout=120, check=False)
        finally:
            os.close(write)
        assert done.stderr == ""
        assert done.returncode == 141
