"""``socialdesk track-record``: the JSON shape, the text, an empty or older workspace."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from socialdesk.cli import main
from socialdesk.store import asks
from socialdesk.store.workspace import Workspace
from visits_table import add_visits

KEYS = ["resolved", "confirmed_by_visits", "brier", "brier_base", "skill", "log_loss", "bins",
        "reach_bias", "calibration", "learned_rates"]
BIN_KEYS = ["p_low", "p_high", "asks", "shared", "rate", "low", "high"]
FIXTURES = Path(__file__).parent / "store" / "fixtures"


def scored(path: Path, resolved: int) -> None:
    """A workspace with ``resolved`` answered asks (p 0.3, every third shared) and posts."""
    with Workspace.open(path, create=True) as ws:
        ws.conn.execute("INSERT INTO contacts (id, name) VALUES (1, 'Corner Café')")
        ws.conn.execute("INSERT INTO channels (platform, followers) VALUES ('mastodon', 1000)")
        ids = asks.create_asks(ws, [
            asks.NewAsk(1, None, "2026-01-01",
                        forecast=asks.Forecast(p=0.3, reach=400.0, x0=0.0, model_version=2))
            for _ in range(resolved)])
        for i, ask_id in enumerate(ids):
            asks.record_outcome(ws, ask_id, "shared" if i % 3 == 0 else "declined",
                                answered_on="2026-01-02", observed_reach=400 if i % 3 == 0
                                else None)
        for i in range(5):
            post = ws.conn.execute(
                "INSERT INTO posts (uid, title, status, reach) VALUES (?, 'P', 'published', ?)",
                (f"p{i}", 200)).lastrowid
            ws.conn.execute("INSERT INTO post_channels (post_id, platform) VALUES (?, 'mastodon')",
                            (post,))


def test_json_shape_in_a_subprocess(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    scored(path, 30)
    run = subprocess.run([sys.executable, "-m", "socialdesk", "track-record", "--json",
                          "--workspace", str(path)], capture_output=True, text=True,
                         timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert list(result) == KEYS
    assert (result["resolved"], result["confirmed_by_visits"]) == (30, 0)
    assert result["brier"] == pytest.approx((10 * 0.7**2 + 20 * 0.3**2) / 30)
    assert result["skill"] == pytest.approx(1 - result["brier"] / result["brier_base"])
    (only,) = result["bins"]
    assert list(only) == BIN_KEYS
    assert (only["p_low"], only["p_high"], only["asks"], only["shared"]) == (0.3, 0.4, 30, 10)
    assert only["rate"] == pytest.approx(1 / 3) and only["low"] < 1 / 3 < only["high"]
    assert result["reach_bias"] == {"asks": 10, "mean_log": 0.0, "sd_log": 0.0}
    calibration = result["calibration"]
    assert list(calibration) == ["alpha", "beta", "fitted", "active"]
    assert calibration["fitted"] is True and calibration["active"] is True
    # 1/3 shared where 0.3 was forecast: σ(α + β logit 0.3) near 1/3.
    assert result["learned_rates"] == {"mastodon": {
        "posts": 5, "rate": pytest.approx((5 * 0.2 + 5 * 0.15) / 10)}}


def test_text_names_the_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.sqlite"
    scored(path, 12)
    assert main(["track-record", "--workspace", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Resolved asks:     12" in out and "Brier score:" in out
    assert "30%–40%" in out
    assert "not fitted (12 of 30 resolved asks)" in out
    assert "mastodon" in out and "from 5 posts" in out


def test_asks_confirmed_by_visits_are_counted(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.sqlite"
    scored(path, 12)
    with Workspace.open(path) as ws:
        waiting = asks.create_asks(ws, [
            asks.NewAsk(1, None, "2026-02-01",
                        forecast=asks.Forecast(p=0.3, reach=400.0, x0=0.0, model_version=2))
            for _ in range(3)])
        add_visits(ws, waiting[0], 8)
        add_visits(ws, waiting[1], 2, 5)
    assert main(["track-record", "--workspace", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["resolved"], result["confirmed_by_visits"]) == (14, 2)
    assert result["bins"][0]["shared"] == 4 + 2
    assert main(["track-record", "--workspace", str(path)]) == 0
    assert "Resolved asks:     14 (2 confirmed by visits)" in capsys.readouterr().out


def test_an_empty_workspace_and_an_older_one(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.sqlite"
    Workspace.open(path, create=True).close()
    assert main(["track-record", "--json", "--workspace", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["resolved"] == 0 and result["brier"] is None and result["bins"] == []
    assert result["calibration"] == {"alpha": 0.0, "beta": 1.0, "fitted": False,
                                     "active": False}
    assert result["learned_rates"] == {}
    assert main(["track-record", "--workspace", str(path)]) == 0
    assert "No resolved asks with a forecast yet" in capsys.readouterr().out
    # A workspace of an earlier schema version cannot be brought up to date read-only.
    old = tmp_path / "v1.sqlite"
    shutil.copyfile(FIXTURES / "workspace-v1.sqlite", old)
    assert main(["track-record", "--workspace", str(old)]) == 1
    assert "Open it once in SocialDesk" in capsys.readouterr().err


def test_counts_too_large_to_be_counts_are_left_out(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    # A workspace from elsewhere: infinite REALs pass the asks' and channels' CHECKs.
    path = tmp_path / "w.sqlite"
    scored(path, 6)  # asks 1 and 4 shared
    with Workspace.open(path) as ws:
        ws.conn.execute("UPDATE asks SET planned_reach = 9e999 WHERE id = 1")
        ws.conn.execute("UPDATE asks SET observed_reach = 9e999 WHERE id = 4")
        ws.conn.execute("UPDATE posts SET reach = 9e999 WHERE id = 1")
    assert main(["track-record", "--json", "--workspace", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["reach_bias"]["asks"] == 0  # neither share has a usable ratio
    assert result["learned_rates"]["mastodon"]["posts"] == 4
