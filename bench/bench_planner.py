"""The leverage planner on the large demo (5,000 partners, 10,000 links).

Figures, each against a reference measured in the same run:
- ranking every partner for one post and choosing the asks (goal ≤ 100 ms), against the
  same ranking computed one partner at a time with the model's scalar formulas; reading
  the partners and links from the workspace is shown on its own line, and planning one
  post end to end as ``socialdesk plan`` does (read partners and links, rank, 2,000
  Monte Carlo runs; goal ≤ 300 ms, ≤ 1 s on the huge workspace), with the planner's
  inputs kept from an earlier plan and with nothing kept (the first plan of a workspace
  on a computer: ``core/planner/input_cache.py``), in the process and as a whole process;
- the Monte Carlo with reshares, 2,000 runs with ``max_hops`` 2 (the default) and 4 (the
  most), goal ≤ 1 s each, against ndlib's IndependentCascadesModel limited to the same
  hops on the same partner graph, same seeds (the chosen asks, made certain sharers) and
  same link probabilities, spread counted as the number of sharers (a very large universe).
  Each hop limit is compared twice: with the workspace's reshare (0.15: on the demo's
  sparse graph few reshares happen) and with reshare 1 (each link fires with w · q, so
  later hops matter). Both spread distributions are printed, with the two-sample
  Kolmogorov–Smirnov statistic D (and its p-value when scipy is installed) and the
  difference of the means in standard errors; ndlib runs as many runs as fit in
  NDLIB_SECONDS and its time for 2,000 runs is extrapolated from them.

ndlib is optional (`pip install -e '.[bench]'`); without it the comparison is skipped.
"""

from __future__ import annotations

import math
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Result, compile_app, large_workspace, median_of, print_table

RUNS = 2000
NDLIB_SECONDS = 30.0
NDLIB_MAX_RUNS = 400
RESHARES = (None, 1.0)  # the workspace's, then every link at full strength


def _scalar_plan(scenario, partners):
    """The reference: the same plan computed one partner at a time with the scalar formulas.

    ``partners``: the scenario's, as objects made beforehand.
    """
    from socialdesk.core.planner import leverage as lv
    from socialdesk.core.planner import ranking
    from socialdesk.core.planner.likelihood import ask_probability

    params, post = scenario.params, scenario.post
    x0 = min(1.0, lv.own_reach(scenario.own_channels, post, params) / params.universe)
    alone = lv.expected_reach(x0, (), params.universe)
    estimates, terms = [], {}
    for c in partners:
        reach, fit = lv.audience_reach(c.audiences, post, params)
        p = ask_probability(c, params)
        terms[c.id] = p * min(1.0, reach / params.universe)
        estimates.append(lv.PartnerEstimate(
            id=c.id, name=c.name, p=p, fit=fit, audience=sum(a.size for a in c.audiences),
            reach_if_shared=reach,
            added_reach=lv.expected_reach(x0, (terms[c.id],), params.universe) - alone,
            effort_minutes=c.effort_minutes))
    estimates.sort(key=lambda e: (-e.added_reach, e.effort_minutes, e.name))
    return ranking.choose_asks(estimates, terms, 60)


def _describe(label: str, sharers: np.ndarray, seconds: float) -> str:
    se = sharers.std(ddof=1) / math.sqrt(len(sharers)) if len(sharers) > 1 else 0.0
    p10, p50, p90 = np.percentile(sharers, [10, 50, 90])
    return (f"  {label:<11} {len(sharers):>5} runs in {seconds:7.2f} s: sharers mean "
            f"{sharers.mean():7.1f} ± {se:4.1f}, p10 {p10:6.0f}, median {p50:6.0f}, "
            f"p90 {p90:6.0f}")


def ks_statistic(a: np.ndarray, b: np.ndarray) -> float:
    """The two-sample Kolmogorov–Smirnov D: the largest gap between the two empirical CDFs."""
    values = np.union1d(a, b)
    cdf_a = np.searchsorted(np.sort(a), values, side="right") / len(a)
    cdf_b = np.searchsorted(np.sort(b), values, side="right") / len(b)
    return float(np.max(np.abs(cdf_a - cdf_b)))


def _compare(model, asked: list[str], label: str) -> tuple[float, float]:
    """Print both spread distributions side by side; (our seconds, ndlib's for RUNS runs)."""
    certain = dict.fromkeys(asked, 1.0)
    start = time.perf_counter()
    ours = model.simulate(asked, RUNS, seed=2, share_probability=certain).sharers
    ours_time = time.perf_counter() - start
    theirs, seconds, edges = _ndlib_sharers(model, asked, NDLIB_SECONDS)
    reference = seconds / len(theirs) * RUNS
    print(f"  {label}: {len(asked)} certain sharers, {edges:,} ndlib edges, "
          f"spread = number of sharers:")
    print(_describe("SocialDesk", ours, ours_time))
    print(_describe("ndlib", theirs, seconds) + f"  (→ {reference:,.0f} s for {RUNS:,})")
    diff = abs(ours.mean() - theirs.mean())
    error = math.sqrt(ours.var() / len(ours) + theirs.var() / len(theirs))
    verdict = f"D = {ks_statistic(ours, theirs):.3f}"
    try:
        from scipy.stats import ks_2samp

        test = ks_2samp(ours, theirs)
        verdict += (f", p = {test.pvalue:.2f} "
                    f"({'the distributions agree' if test.pvalue > 0.01 else 'they DIFFER'})")
    except ImportError:
        pass
    within = diff / error if error else 0.0
    print(f"    Kolmogorov–Smirnov {verdict}; means differ by {diff:.2f} = {within:.1f} "
          f"standard errors; SocialDesk {reference / ours_time:,.0f}× faster")
    return ours_time, reference


def _ndlib_sharers(model, asked: list[str], budget: float) -> tuple[np.ndarray, float, int]:
    """Run ndlib's independent cascade on the same graph; (sharers per run, seconds, links)."""
    import ndlib.models.ModelConfig as mc
    import networkx as nx
    from ndlib.models.epidemics import IndependentCascadesModel

    # ndlib's graph has one edge per ordered pair: parallel links (two kinds of relation)
    # become one edge with the chance that either fires, 1 − Π(1 − p).
    miss: dict[tuple[int, int], float] = {}
    for s, d, p in zip(model.src.tolist(), model.dst.tolist(), model.prob.tolist(), strict=True):
        miss[(s, d)] = miss.get((s, d), 1.0) * (1.0 - p)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(len(model.ids)))
    graph.add_edges_from(miss)
    config = mc.Configuration()
    for edge, m in miss.items():
        config.add_edge_configuration("threshold", edge, 1.0 - m)
    seeds = [model.index[a] for a in asked]
    config.add_model_initial_configuration("Infected", seeds)
    ic = IndependentCascadesModel(graph, seed=1)
    ic.set_initial_status(config)
    counts = []
    start = time.perf_counter()
    while time.perf_counter() - start < budget and len(counts) < NDLIB_MAX_RUNS:
        ic.reset(seeds)
        while True:  # iteration 0 is the seeds (hop 1); each later one is one more hop
            step = ic.iteration(node_status=False)
            if step["iteration"] >= model.max_hops - 1 or (
                    step["node_count"].get(1, 0) == 0 and step["iteration"] > 0):
                break
        counts.append(step["node_count"].get(2, 0) + step["node_count"].get(1, 0))
    return np.array(counts), time.perf_counter() - start, len(miss)


def median_cpu(fn, repeat: int = 5) -> float:
    """The median CPU time (this process's, all threads) of ``repeat`` runs of ``fn``."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def _whole_command(post_id: int, repeat: int = 3,
                   prepare: Callable[[], object] = lambda: None) -> tuple[float, float]:
    """``socialdesk plan POST --runs 2000 --json`` as a process: median wall and CPU seconds.

    Started from bytecode, as an installed copy is; ``prepare()`` runs before each.
    """
    compile_app()
    walls, cpus = [], []
    for _ in range(repeat):
        prepare()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "socialdesk", "plan", str(post_id), "--runs",
                        str(RUNS), "--json", "--workspace", str(large_workspace())],
                       check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def run() -> list[Result]:
    from socialdesk.core.planner import input_cache, planning, ranking
    from socialdesk.core.planner.cascade import CascadeModel
    from socialdesk.store.workspace import Workspace

    results = []
    with Workspace.open_readonly(large_workspace()) as ws:
        post_id = ws.conn.execute(
            "SELECT p.id FROM posts p WHERE p.scheduled_on >= ? AND EXISTS "
            "(SELECT 1 FROM post_topics t WHERE t.post_id = p.id) ORDER BY p.scheduled_on, "
            "p.id LIMIT 1", (date.today().isoformat(),)).fetchone()[0]
        read = median_of(lambda: planning.post_scenario(ws, post_id, runs=0), 5)
        _, scenario = planning.post_scenario(ws, post_id, runs=0)
        # What `socialdesk plan` does after its check: read partners and links, rank,
        # choose the asks, run the Monte Carlo.
        end_to_end = median_of(lambda: planning.plan_post(ws, post_id, runs=RUNS), 5)
        end_to_end_cpu = median_cpu(lambda: planning.plan_post(ws, post_id, runs=RUNS), 5)

        def forget() -> None:  # nothing kept: the first plan of the workspace on a computer
            for kind in ("partners", "calibration"):
                kept = input_cache.cache_file(ws, kind)
                if kept is not None:
                    kept.unlink(missing_ok=True)

        def cold() -> None:
            forget()
            planning.plan_post(ws, post_id, runs=RUNS)

        cold_wall, cold_cpu = median_of(cold, 3), median_cpu(cold, 3)
        cold_process = _whole_command(post_id, prepare=forget)
    process_wall, process_cpu = _whole_command(post_id)

    def rank():
        return ranking.plan(scenario.partners, scenario.own_channels, scenario.post,
                             scenario.params, budget_minutes=60)

    ranked_in = median_of(rank, 11)
    objects = tuple(scenario.partners)
    scalar = median_of(lambda: _scalar_plan(scenario, objects), 5)
    plan = rank()
    assert [e.id for e in _scalar_plan(scenario, objects)] == [e.id for e in plan.chosen]
    links = len(scenario.links)
    print(f"  post {post_id}: {len(scenario.partners):,} partners, {links:,} directed links; "
          f"{len(plan.chosen)} asks chosen in 60 min: reach {plan.own_reach:,.0f} alone → "
          f"{plan.expected_reach:,.0f}")
    results.append(Result(f"planner: rank {len(scenario.partners):,} partners for one post",
                          ranked_in * 1000, "ms", scalar * 1000,
                          "≤ 100 ms (reference: one partner at a time)"))
    results.append(Result("planner: read partners, links and post from the workspace",
                          read * 1000, "ms", None, "(once per post; cacheable)"))
    results.append(Result(f"planner: plan one post end to end ({RUNS:,} runs, links read)",
                          end_to_end * 1000, "ms", None, "≤ 300 ms (≤ 1 s on the huge workspace)"))
    results.append(Result("  same, CPU time (what the load does not stretch)",
                          end_to_end_cpu * 1000, "ms"))
    results.append(Result("  same, nothing kept yet (the first plan of a workspace)",
                          cold_wall * 1000, "ms", None, "≤ 1 s on the huge workspace"))
    results.append(Result("  same, CPU time", cold_cpu * 1000, "ms"))
    results.append(Result(f"planner: `socialdesk plan {post_id} --json`, whole process",
                          process_wall * 1000, "ms", None,
                          "≤ 300 ms (≤ 1 s on the huge workspace)"))
    results.append(Result("  same, CPU time of the process (user + system)",
                          process_cpu * 1000, "ms"))
    results.append(Result("  same, nothing kept yet (the first plan of a workspace)",
                          cold_process[0] * 1000, "ms"))
    results.append(Result("  same, CPU time of the process", cold_process[1] * 1000, "ms"))

    asked = [e.id for e in plan.chosen]
    mc_times = {}
    for hops in (2, 4):
        prepare_start = time.perf_counter()
        model = CascadeModel.for_post(scenario.partners, scenario.links, scenario.own_channels,
                                      scenario.post, replace(scenario.params, max_hops=hops))
        prepare = time.perf_counter() - prepare_start
        mc_times[hops] = median_of(lambda m=model: m.simulate(asked, RUNS, seed=1), 3)
        summary = model.run(asked, RUNS, seed=1)
        print(f"  Monte Carlo ({RUNS:,} runs, max_hops {hops}): reach median "
              f"{summary.median:,.0f} (p10 {summary.p10:,.0f}, p90 {summary.p90:,.0f}), mean "
              f"{summary.mean:,.0f}, nobody shares in {summary.p_none:.0%}; "
              f"{summary.mean_sharers:,.1f} sharers on average; preparing the graph took "
              f"{prepare * 1000:.0f} ms")
    try:
        import ndlib  # noqa: F401
    except ImportError:
        print("  ndlib is not installed (pip install -e '.[bench]'): no comparison.")
        ndlib_times: dict[int, float] = {}
    else:
        ndlib_times = {}
        for hops in (2, 4):
            for reshare in RESHARES:
                params = replace(scenario.params, max_hops=hops,
                                 reshare=scenario.params.reshare if reshare is None else reshare)
                model = CascadeModel.for_post(scenario.partners, scenario.links,
                                              scenario.own_channels, scenario.post, params)
                ours, theirs = _compare(model, asked,
                                        f"max_hops {hops}, reshare {params.reshare:g}")
                if reshare is None:
                    ndlib_times[hops] = theirs
                    results.append(Result(
                        f"planner: cascade, {RUNS:,} runs, max_hops {hops}, vs ndlib",
                        ours, "s", theirs, "faster than ndlib, same distribution"))
    for hops, seconds in mc_times.items():
        results.append(Result(f"planner: Monte Carlo, {RUNS:,} runs, max_hops {hops}", seconds,
                              "s", ndlib_times.get(hops),
                              "≤ 1 s (reference: ndlib, same runs and hops)"))
    return results


if __name__ == "__main__":
    print_table(run())
