"""``socialdesk plan``: a scenario file or a stored post, as JSON or as a table."""

from __future__ import annotations

import hashlib
import json
import math
import random
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
    for heading, value in (("Share chance", "50%"), ("Fit", "20%"), ("Adds", "50"),
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
    # The mean may lie above p90: when a big partner rarely shares, most runs are small.
    assert cascade["p10"] <= cascade["mean"]
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
                           ("reach_rates", '{"instagram": Infinity, "facebook": -1}'),
                           ("max_hops", "7"), ("extra_platforms", "NaN"),
                           ("prior_a", "-0.5"), ("prior_b", '"close"')):
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


# Modules `socialdesk plan` has no use for: the GUI, the network, other commands' formats
# and modules.
NOT_FOR_PLAN = ("PySide6", "shiboken6", "httpx", "keyring", "icalendar", "platformdirs",
                "sqlite_utils", "numpy.ma", "socialdesk.qt", "socialdesk.commands.backup",
                "socialdesk.commands.sync", "socialdesk.commands.importing",
                "socialdesk.commands.workspace", "socialdesk.commands.publishing")


def test_plan_imports_only_what_it_needs(demo_path: Path) -> None:
    import subprocess
    import sys

    post = _first_post(demo_path)
    script = ("import sys\nfrom socialdesk.cli import main\n"
              f"code = main(['plan', {post!r}, '--workspace', {str(demo_path)!r}, "
              "'--runs', '50', '--json'])\n"
              "sys.stdout.flush()\n"
              "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
              "sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ranked"]
    loaded = done.stderr.split()
    assert "socialdesk.core.planner.cascade" in loaded  # what the check sees is real
    unwanted = [m for m in loaded if m.split(".")[0] in NOT_FOR_PLAN or
                any(m == name or m.startswith(name + ".") for name in NOT_FOR_PLAN)]
    assert unwanted == []


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
def test_plan_leaves_no_numpy_threads_spinning(demo_path: Path) -> None:
    """numpy's OpenBLAS would start a thread per core, spinning ~50 ms of CPU for nothing.

    A user's own OPENBLAS_NUM_THREADS is kept.
    """
    import os
    import subprocess
    import sys

    post = _first_post(demo_path)
    script = ("import os, sys\nfrom socialdesk.cli import main\n"
              f"code = main(['plan', {post!r}, '--workspace', {str(demo_path)!r}, "
              "'--runs', '50'])\n"
              "import numpy\n"
              "print(len(os.listdir('/proc/self/task')), os.environ.get('OPENBLAS_NUM_THREADS'),"
              " file=sys.stderr)\n"
              "sys.exit(code)")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    for given, expected in ((None, "1 1"), ("2", "2 2")):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              timeout=120, check=False,
                              env=env if given is None else {**env, "OPENBLAS_NUM_THREADS": given})
        assert done.returncode == 0, done.stderr
        assert done.stderr.split()[-2:] == expected.split()


def test_the_app_runs_numpy_on_one_thread_too(demo_path: Path) -> None:
    """A worker planning must not leave OpenBLAS threads spinning on the window's cores."""
    import os
    import subprocess
    import sys

    script = ("import os, sys\nfrom socialdesk.cli import main\n"
              f"code = main(['--workspace', {str(demo_path)!r}, '--quit-after-startup'])\n"
              "print(os.environ.get('OPENBLAS_NUM_THREADS'), file=sys.stderr)\n"
              "sys.exit(code)")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False, env={**env, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stderr.split()[-1:] == ["1"]


def test_each_command_is_found_in_its_module() -> None:
    import argparse
    import importlib

    from socialdesk.cli import COMMANDS, FEATURES

    found = {}
    for feature in FEATURES:
        commands = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"socialdesk.commands.{feature}").register(commands)
        found.update(dict.fromkeys(commands.choices, feature))
    assert found == COMMANDS


# -- v2: the command line against a small independent reading of DESIGN.md -----------------

DEFAULT_RATES = {
    "facebook": 0.05, "instagram": 0.10, "x": 0.05, "linkedin": 0.08, "threads": 0.08,
    "mastodon": 0.15, "bluesky": 0.15, "tiktok": 0.10, "youtube": 0.05, "pinterest": 0.05,
    "newsletter": 0.35, "blog": 0.20, "other": 0.05,
}
PLATFORMS = ["instagram", "Facebook", "X", "newsletter", "MASTODON", "myspace"]
TOPICS = ["bread", "events", "music", "coffee"]


def reference(sc: dict) -> dict:
    """DESIGN.md's leverage model v2, written out once more from the text, term by term."""
    u = sc["universe"]
    rates = {**DEFAULT_RATES, **{k.lower(): v for k, v in sc["reach_rates"].items()}}

    def rate(platform: str) -> float:
        return rates.get(platform.lower(), rates["other"])

    post_platforms = {p.lower() for p in sc["post"]["platforms"]}
    post_topics = {t.lower() for t in sc["post"]["topics"]}

    def g(platform: str) -> float:
        return 1.0 if not post_platforms or platform.lower() in post_platforms else sc[
            "cross_platform"]

    def fit(topics: list[str]) -> float:
        if not post_topics or not topics:
            return 0.5
        return 0.2 + 0.8 * len(post_topics & {t.lower() for t in topics}) / len(post_topics)

    own = sum(c["followers"] * rate(c["platform"]) * g(c["platform"])
              for c in sc["own_channels"])
    x0 = min(1.0, own / u)
    partners = {}
    for c in sc["partners"]:
        seen = [a["size"] * rate(a["platform"]) * g(a["platform"]) for a in c["audiences"]]
        s = [w * fit(a.get("topics", [])) for w, a in zip(seen, c["audiences"], strict=True)]
        main_share = max(s, default=0.0)
        e_c = main_share + sc["extra_platforms"] * (sum(s) - main_share)
        pi = min(0.95, max(0.01, sc["prior"]["a"] + sc["prior"]["b"] * c["strength"]))
        q = (c["shared"] + 2 * pi) / (c["asked"] + 2)
        d = c["days_since_last_ask"]
        raw = q * (1.0 if d is None else 1 - math.exp(-d / sc["fatigue_days"]))
        if 0 < raw < 1:
            z = sc["calibration"]["alpha"] + sc["calibration"]["beta"] * math.log(raw / (1 - raw))
            p = 1 / (1 + math.exp(-z))
        else:
            p = raw
        partners[c["id"]] = {"id": c["id"], "name": c["name"], "p": p,
                             "fit": sum(s) / sum(seen) if sum(seen) else 0.5,
                             "x": min(1.0, e_c / u), "q": q, "effort": c["effort_minutes"]}

    def r(ids: list[str]) -> float:
        return u * (1 - (1 - x0) * math.prod(1 - partners[i]["p"] * partners[i]["x"]
                                             for i in ids))

    # Greedy on marginal gain per minute within the budget and max_asks, then the best
    # single affordable partner if it does better (without a budget: on the gain alone).
    budget, k = sc["budget_minutes"], sc["max_asks"]
    limit = math.inf if k is None else k
    chosen: list[str] = []
    spent = 0.0
    while len(chosen) < limit:
        fits = [i for i in partners if i not in chosen and partners[i]["p"] * partners[i]["x"] > 0
                and (budget is None or spent + partners[i]["effort"] <= budget)]
        if not fits:
            break
        per = (lambda i: r([*chosen, i]) - r(chosen)) if budget is None else (
            lambda i: (r([*chosen, i]) - r(chosen)) / partners[i]["effort"])
        best = max(fits, key=per)
        chosen.append(best)
        spent += partners[best]["effort"]
    if budget is not None and limit >= 1:
        singles = [i for i in partners if partners[i]["effort"] <= budget
                   and partners[i]["p"] * partners[i]["x"] > 0]
        if singles:
            single = max(singles, key=lambda i: r([i]))
            if r([single]) > r(chosen):
                chosen = [single]

    def shown(i: str) -> dict:
        c = partners[i]
        rest = [j for j in chosen if j != i]
        marginal = r(chosen) - r(rest) if i in chosen else r([*chosen, i]) - r(chosen)
        return {"id": i, "name": c["name"], "p": c["p"], "fit": c["fit"],
                "added_reach": r([i]) - r([]), "marginal_reach": marginal,
                "effort_minutes": c["effort"]}

    ranked = sorted(partners, key=lambda i: (-(r([i]) - r([])), partners[i]["effort"],
                                             partners[i]["name"]))
    return {"own_reach": r([]), "expected_reach": r(chosen),
            "multiplier": r(chosen) / r([]) if r([]) > 0 else None,
            "effort_minutes": sum(partners[i]["effort"] for i in chosen),
            "asks": [shown(i) for i in chosen], "ranked": [shown(i) for i in ranked],
            "partners": partners, "x0": x0, "chosen": chosen}


def reference_cascade(sc: dict, ref: dict, runs: int, seed: int) -> tuple[list[float], int]:
    """The bounded cascade of DESIGN.md, one run at a time: each run's reach, runs without
    a share."""
    rng = random.Random(seed)
    partners, asked = ref["partners"], ref["chosen"]
    merged: dict[tuple[str, str], float] = {}
    for link in sc["links"]:
        key = (link["from"], link["to"])
        merged[key] = 1 - (1 - merged.get(key, 0.0)) * (1 - link["weight"])
    out: dict[str, list[tuple[str, float]]] = {}
    for (a, b), w in merged.items():
        out.setdefault(a, []).append((b, w * partners[b]["q"] * sc["reshare"]))
    reach, nobody = [], 0
    for _ in range(runs):
        sharing = {c for c in asked if rng.random() < partners[c]["p"]}
        hop = set(sharing)
        for _h in range(sc["max_hops"] - 1):
            nxt = set()
            for c in hop:
                for b, chance in out.get(c, []):
                    if b not in sharing and b not in asked and b not in nxt and (
                            rng.random() < chance):
                        nxt.add(b)
            sharing |= nxt
            hop = nxt
        nobody += not sharing
        reach.append(sc["universe"] * (1 - (1 - ref["x0"]) * math.prod(
            1 - partners[c]["x"] for c in sharing)))
    return reach, nobody


def random_scenario(rng: random.Random) -> dict:
    n = rng.randint(3, 8)
    ids = [f"p{i}" for i in range(n)]
    return {
        "universe": rng.choice([5_000, 100_000, 2_000_000]),
        "cross_platform": rng.uniform(0, 1), "reshare": rng.uniform(0.1, 0.9),
        "max_hops": rng.randint(1, 4), "extra_platforms": rng.uniform(0, 1),
        "fatigue_days": rng.uniform(3, 30),
        "prior": {"a": rng.uniform(0, 0.3), "b": rng.uniform(0.2, 1.0)},
        "calibration": {"alpha": rng.uniform(-1, 1), "beta": rng.uniform(0.5, 1.5)},
        "reach_rates": {rng.choice(["Instagram", "x", "blog"]): rng.uniform(0.01, 0.5)},
        "post": {"topics": rng.sample(TOPICS, rng.randint(0, 2)),
                 "platforms": rng.sample(PLATFORMS, rng.randint(0, 2))},
        "own_channels": [{"platform": rng.choice(PLATFORMS), "followers": rng.randint(0, 5000)}
                         for _ in range(rng.randint(0, 2))],
        "partners": [{
            "id": pid, "name": f"Partner {pid}", "strength": rng.random(),
            "asked": (asked := rng.randint(0, 5)), "shared": rng.randint(0, asked),
            "days_since_last_ask": rng.choice([None, rng.uniform(0, 60)]),
            "effort_minutes": rng.choice([5, 10, 15, 20, 30]),
            "audiences": [{"platform": rng.choice(PLATFORMS), "size": rng.randint(0, 60_000),
                           "topics": rng.sample(TOPICS, rng.randint(0, 3))}
                          for _ in range(rng.randint(1, 3))]} for pid in ids],
        "links": [{"from": a, "to": b, "weight": rng.uniform(0.2, 1.0)}
                  for a, b in (rng.sample(ids, 2) for _ in range(rng.randint(0, 3 * n)))],
        "budget_minutes": rng.choice([None, 15, 30, 60]),
        "max_asks": rng.choice([None, 1, 2, 4]), "runs": 20_000, "seed": rng.randint(0, 99),
    }


@pytest.mark.parametrize("seed", range(8))
def test_random_scenarios_agree_with_an_independent_reading_of_design_md(
        seed: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(seed)
    sc = random_scenario(rng)
    path = tmp_path / "random.json"
    path.write_text(json.dumps(sc), encoding="utf-8")
    got = plan_json(capsys, "--scenario", str(path))
    want = reference(sc)
    for key in ("own_reach", "expected_reach", "effort_minutes"):
        assert got[key] == pytest.approx(want[key], rel=1e-9, abs=1e-9), key
    assert (got["multiplier"] is None) == (want["multiplier"] is None)
    if want["multiplier"] is not None:
        assert got["multiplier"] == pytest.approx(want["multiplier"], rel=1e-9)
    for key in ("asks", "ranked"):
        assert [e["id"] for e in got[key]] == [e["id"] for e in want[key]], key
        for mine, theirs in zip(got[key], want[key], strict=True):
            assert (mine.pop("id"), mine.pop("name")) == (theirs.pop("id"), theirs.pop("name"))
            assert mine == pytest.approx(theirs, rel=1e-9, abs=1e-9)
    reach, nobody = reference_cascade(sc, want, 20_000, seed)
    cascade = got["cascade"]
    mean = sum(reach) / len(reach)
    sd = math.sqrt(sum((x - mean) ** 2 for x in reach) / len(reach))
    assert cascade["runs"] == 20_000
    assert cascade["mean"] == pytest.approx(mean, abs=5 * sd * math.sqrt(2 / 20_000) + 1e-6)
    none = nobody / 20_000
    assert cascade["p_none"] == pytest.approx(
        none, abs=5 * math.sqrt(max(none * (1 - none), 1e-4) * 2 / 20_000))
    assert cascade["p10"] <= cascade["median"] <= cascade["p90"]


def scenario_with(old: str, new: str) -> str:
    assert old in DESIGN_EXAMPLE
    return DESIGN_EXAMPLE.replace(old, new)


@pytest.mark.parametrize(("text", "place"), [
    (scenario_with('"universe": 100000', '"universe": 1e400'), "line 1 (universe)"),
    (scenario_with('"universe": 100000', '"universe": ' + "9" * 400), "line 1 (universe)"),
    (scenario_with('"size": 5000', '"size": 1e13'), "line 7 (partners[0].audiences[0].size)"),
    (scenario_with('"followers": 800', '"followers": ' + "8" * 400),
     "line 4 (own_channels[0].followers)"),
    (scenario_with('"effort_minutes": 10', '"effort_minutes": 1e309'),
     "line 6 (partners[0].effort_minutes)"),
    (scenario_with('"budget_minutes": 60', '"budget_minutes": -1e999'),
     "line 9 (budget_minutes)"),
])
def test_numbers_no_count_can_be_are_refused_naming_the_place(
        text: str, place: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, text)
    for extra in ([], ["--json"]):
        assert main(["plan", "--scenario", str(path), *extra]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert err.startswith(f"socialdesk: {path}, {place}: must be ")
        assert err.count("\n") == 1 and "Traceback" not in err


def test_without_own_reach_the_multiplier_is_null(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, scenario_with('[{"platform": "instagram", "followers": 800}]', "[]"))
    result = plan_json(capsys, "--scenario", str(path))
    assert result["own_reach"] == 0 and result["expected_reach"] > 0
    assert result["multiplier"] is None
    assert main(["plan", "--scenario", str(path)]) == 0
    assert "×— expected without reshares" in capsys.readouterr().out
