"""The second hop: Monte Carlo of shares spreading along links (DESIGN.md, leverage v1)."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialdesk.core.planner import cascade, ranking
from socialdesk.core.planner import leverage as lv
from socialdesk.core.planner.cascade import CascadeModel, Link

PARAMS = lv.ModelParams(universe=100_000, reshare=0.3)
POST = lv.PostInput(topics=frozenset({"bread"}), platforms=frozenset({"instagram"}))
OWN = [lv.AudienceInput("instagram", 800)]


def partner(pid: str, size: int, strength: float = 0.5, **kw: object) -> lv.PartnerInput:
    return lv.PartnerInput(id=pid, name=pid, strength=strength,
                           audiences=(lv.AudienceInput("instagram", size, frozenset({"bread"})),),
                           **kw)  # type: ignore[arg-type]


def small_model(p: list[float], q: list[float], x: list[float], links: list[Link],
                x0: float = 0.01, reshare: float = 1.0) -> CascadeModel:
    ids = [chr(ord("a") + i) for i in range(len(p))]
    return CascadeModel(ids, p, q, x, x0, 1000.0, links, reshare)


def test_without_links_the_mean_agrees_with_r_of_s() -> None:
    rng = random.Random(5)
    partners = [partner(f"p{i}", rng.randint(2_000, 80_000), rng.random(),
                        asked=rng.randint(0, 4), days_since_last_ask=rng.choice([None, 3, 40]))
                for i in range(12)]
    plan = ranking.plan(partners, OWN, POST, PARAMS, budget_minutes=None)
    assert len(plan.chosen) == 12
    model = CascadeModel.for_post(partners, [], OWN, POST, PARAMS)
    summary = model.run([e.id for e in plan.chosen], runs=20_000, seed=3)
    assert summary.runs == 20_000
    assert summary.mean == pytest.approx(plan.expected_reach, rel=0.01)
    assert summary.p10 <= summary.mean <= summary.p90


def test_two_hops_by_hand() -> None:
    # a is asked and always shares; a → b with w = 0.5, q_b = 0.6, reshare 0.5: b shares
    # with 0.15; b → c (w = 1, q_c = 0.4): c shares with 0.15 · 0.2 = 0.03.
    links = [Link("a", "b", 0.5), Link("b", "c", 1.0)]
    model = CascadeModel(["a", "b", "c"], [1.0, 0.0, 0.0], [0.9, 0.6, 0.4], [0.1, 0.2, 0.3],
                         0.0, 1000.0, links, reshare=0.5, max_hops=3)
    runs = model.simulate(["a"], runs=40_000, seed=2)
    assert runs.sharers.min() == 1
    assert runs.sharers.mean() == pytest.approx(1 + 0.15 + 0.03, abs=0.01)
    # E[reach] = U (1 − (1 − x_a)(1 − P_b x_b)(1 − P_c x_c)), the three being independent
    # given that c can only share after b: P(b and c) terms multiply exactly.
    p_b, p_c = 0.15, 0.03
    expected = 1000 * (1 - 0.9 * ((1 - p_b) + (p_b - p_c) * 0.8 + p_c * 0.8 * 0.7))
    assert runs.reach.mean() == pytest.approx(expected, rel=0.01)


def test_an_asked_partner_who_did_not_share_is_not_reached_through_a_link() -> None:
    model = small_model([1.0, 0.0], [1.0, 1.0], [0.1, 0.1], [Link("a", "b", 1.0)])
    runs = model.simulate(["a", "b"], runs=500, seed=1)
    assert set(runs.sharers) == {1}
    # unasked, b shares whenever a does (w = q = reshare = 1)
    assert set(model.simulate(["a"], runs=500, seed=1).sharers) == {2}


def test_links_are_directed_and_tried_once() -> None:
    model = small_model([1.0, 0.0], [1.0, 1.0], [0.1, 0.1], [Link("b", "a", 1.0)])
    assert set(model.simulate(["a"], runs=300).sharers) == {1}
    # two links a → b (say "knows" and "works with") merge into one: w = 1 − (1 − 0.3)².
    twice = small_model([1.0, 0.0], [1.0, 1.0], [0.1, 0.1],
                        [Link("a", "b", 0.3), Link("a", "b", 0.3)])
    assert twice.simulate(["a"], runs=40_000, seed=4).sharers.mean() == pytest.approx(
        1 + 0.51, abs=0.01)


def test_with_links_p10_mean_p90_are_ordered_and_links_add_reach() -> None:
    rng = random.Random(8)
    partners = [partner(f"p{i}", rng.randint(1_000, 30_000), rng.random()) for i in range(40)]
    links = [Link(f"p{a}", f"p{b}", rng.uniform(0.2, 0.9))
             for a, b in (rng.sample(range(40), 2) for _ in range(300))]
    plan = ranking.plan(partners, OWN, POST, PARAMS, max_asks=4)
    asked = [e.id for e in plan.chosen]
    with_links = CascadeModel.for_post(partners, links, OWN, POST, PARAMS).run(asked, 4000)
    alone = CascadeModel.for_post(partners, [], OWN, POST, PARAMS).run(asked, 4000)
    assert with_links.p10 <= with_links.mean <= with_links.p90
    assert with_links.p10 < with_links.p90
    assert with_links.mean_sharers > alone.mean_sharers
    assert with_links.mean > plan.expected_reach > plan.own_reach


def reference_sharers(model: CascadeModel, asked: list[str], runs: int, seed: int,
                      max_hops: int) -> np.ndarray:
    """The independent cascade, one run and one link at a time, as the textbook states it."""
    rng = random.Random(seed)
    out = {i: [] for i in range(len(model.ids))}
    for s, d, pr in zip(model.src.tolist(), model.dst.tolist(), model.prob.tolist(),
                        strict=True):
        out[s].append((d, pr))
    seeds = [model.index[a] for a in asked]
    counts = []
    for _ in range(runs):
        sharing = {s for s in seeds if rng.random() < model.p[s]}
        frontier = list(sharing)
        for _hop in range(max_hops - 1):
            nxt = []
            for u in frontier:
                for v, pr in out[u]:
                    if v not in sharing and v not in seeds and rng.random() < pr:
                        sharing.add(v)
                        nxt.append(v)
            frontier = nxt
        counts.append(len(sharing))
    return np.array(counts)


def test_agrees_with_a_one_run_at_a_time_cascade() -> None:
    rng = random.Random(13)
    n = 30
    links = [Link(str(a), str(b), rng.uniform(0.3, 1.0))
             for a, b in (rng.sample(range(n), 2) for _ in range(120))]
    model = CascadeModel([str(i) for i in range(n)], [rng.uniform(0.3, 0.9) for _ in range(n)],
                         [rng.uniform(0.2, 0.8) for _ in range(n)], [0.01] * n, 0.0, 1e6,
                         links, reshare=0.5, max_hops=3)
    ours = model.simulate(["0", "1", "2"], runs=6000, seed=1).sharers
    theirs = reference_sharers(model, ["0", "1", "2"], runs=6000, seed=1, max_hops=3)
    error = math.sqrt(ours.var() / len(ours) + theirs.var() / len(theirs))
    assert abs(ours.mean() - theirs.mean()) < 4 * error
    for q in (10, 50, 90):
        assert abs(np.percentile(ours, q) - np.percentile(theirs, q)) <= 1


def test_same_seed_same_runs_and_any_number_of_runs() -> None:
    model = small_model([0.5, 0.2, 0.0], [0.5, 0.5, 0.5], [0.1, 0.2, 0.3],
                        [Link("a", "c", 0.8), Link("b", "c", 0.8)])
    first = model.simulate(["a", "b"], runs=1000, seed=9)
    again = model.simulate(["a", "b"], runs=1000, seed=9)
    assert np.array_equal(first.reach, again.reach)
    other = model.simulate(["a", "b"], runs=1000, seed=10)
    assert not np.array_equal(first.reach, other.reach)
    for runs in (1, 63, 65, 130):
        assert len(model.simulate(["a"], runs=runs).reach) == runs
    assert model.run([], runs=10).mean == pytest.approx(1000 * 0.01)
    with pytest.raises(KeyError):
        model.simulate(["nobody"])


def test_runs_in_batches_give_the_same_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    model = small_model([0.6, 0.0], [0.5, 0.5], [0.1, 0.2], [Link("a", "b", 0.8)])
    whole = model.simulate(["a"], runs=20_000, seed=1).sharers.mean()
    monkeypatch.setattr(cascade, "BATCH_WORDS", 3)
    batched = model.simulate(["a"], runs=20_000, seed=1)
    assert len(batched.reach) == 20_000
    assert batched.sharers.mean() == pytest.approx(whole, abs=0.02)
    assert whole == pytest.approx(0.6 * (1 + 0.8 * 0.5), abs=0.02)


@pytest.mark.parametrize("p", [0.0, 1e-4, 0.07, 0.3, 0.5, 0.999, 1.0])
def test_random_words_have_each_bit_set_with_the_probability(p: float) -> None:
    rng = np.random.default_rng(1)
    words = cascade._bernoulli_words(rng, np.array([p, 1 - p]), 4000, 8)
    bits = np.unpackbits(words.view(np.uint8)).reshape(4000, 8 * 8 * 2)
    share = bits.mean()  # both columns together: exactly 1/2 on average
    assert share == pytest.approx(0.5, abs=0.005)
    column = np.unpackbits(np.ascontiguousarray(words[:, 0]).view(np.uint8)).mean()
    assert column == pytest.approx(p, abs=4 * math.sqrt(p * (1 - p) / 256_000) + 1e-9)


def test_a_partner_reaching_everyone_saturates_the_universe() -> None:
    model = small_model([1.0], [1.0], [1.0], [], x0=0.0)
    assert model.run(["a"], runs=100).mean == pytest.approx(1000)
    assert model.run([], runs=100).mean == 0.0


# -- v2: the bounded cascade ------------------------------------------------------------


def exact_outcomes(model: CascadeModel, asked: list[str]) -> dict[tuple[int, ...], float]:
    """Every set of sharers with its probability, by enumerating every coin of DESIGN.md's
    bounded cascade: each asked partner's share, and each (merged) link's firing."""
    seeds = sorted(model.index[a] for a in asked)
    links = list(zip(model.src.tolist(), model.dst.tolist(), model.prob.tolist(), strict=True))
    coins = [model.p[s] for s in seeds] + [pr for _, _, pr in links]
    outcomes: dict[tuple[int, ...], float] = {}
    for heads in itertools.product((True, False), repeat=len(coins)):
        chance = math.prod(c if h else 1 - c for c, h in zip(coins, heads, strict=True))
        if not chance:
            continue
        sharing = {s for s, h in zip(seeds, heads, strict=False) if h}
        fired = [(a, b) for (a, b, _), h in zip(links, heads[len(seeds):], strict=True) if h]
        hop = set(sharing)
        for _ in range(model.max_hops - 1):
            hop = {b for a, b in fired if a in hop and b not in sharing and b not in seeds}
            sharing |= hop
        key = tuple(sorted(sharing))
        outcomes[key] = outcomes.get(key, 0.0) + chance
    return outcomes


def run_reach(model: CascadeModel, sharers: tuple[int, ...]) -> float:
    miss = (1 - model.x0) * math.prod(1 - model.x[i] for i in sharers)
    return model.universe * (1 - miss)


@pytest.mark.parametrize(("seed", "max_hops"), [(1, 2), (2, 2), (3, 3), (4, 4)])
def test_the_cascade_agrees_with_an_exact_enumeration(seed: int, max_hops: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(5, 8)
    ids = [chr(ord("a") + i) for i in range(n)]
    links = [Link(*rng.sample(ids, 2), rng.uniform(0.2, 1.0)) for _ in range(rng.randint(5, 8))]
    links.append(Link(links[0].source, links[0].target, 0.4))  # a parallel link merges
    model = CascadeModel(ids, [rng.uniform(0.2, 0.9) for _ in ids],
                         [rng.uniform(0.3, 1.0) for _ in ids],
                         [rng.uniform(0.01, 0.3) for _ in ids], 0.02, 1000.0, links,
                         reshare=rng.uniform(0.5, 1.0), max_hops=max_hops)
    assert_agrees_with_enumeration(model, rng.sample(ids, 3), runs=200_000, seed=seed)


def assert_agrees_with_enumeration(model: CascadeModel, asked: list[str], runs: int,
                                   seed: int) -> None:
    """The simulated mean, chance of no share, reach quantiles and sharer counts agree
    with the exact enumeration within five standard errors."""
    exact = exact_outcomes(model, asked)
    assert sum(exact.values()) == pytest.approx(1)
    mean = sum(pr * run_reach(model, s) for s, pr in exact.items())
    var = sum(pr * (run_reach(model, s) - mean) ** 2 for s, pr in exact.items())
    none = sum(pr for s, pr in exact.items() if not s)
    simulated = model.simulate(asked, runs=runs, seed=seed)
    summary = simulated.summary()
    assert summary.mean == pytest.approx(mean, abs=5 * math.sqrt(var / runs))
    assert summary.p_none == pytest.approx(none, abs=5 * math.sqrt(none * (1 - none) / runs))
    # The distribution: P(reach ≤ r) at the exact median, p10 and p90.
    reach = sorted((run_reach(model, s), pr) for s, pr in exact.items())
    for target in (0.1, 0.5, 0.9):
        cut = next(r for r, _ in reach if sum(pr for q, pr in reach if q <= r) >= target)
        below = sum(pr for r, pr in reach if r <= cut + 1e-9)
        seen = float(np.mean(simulated.reach <= cut + 1e-9))
        assert seen == pytest.approx(below, abs=5 * math.sqrt(max(0.0, below * (1 - below)) / runs)
                                    + 1e-4)
    assert summary.median == pytest.approx(float(np.median(simulated.reach)))
    # Each sharer count's chance
    counts = np.bincount(simulated.sharers, minlength=len(model.ids) + 1) / runs
    for k in range(len(model.ids) + 1):
        chance = sum(pr for s, pr in exact.items() if len(s) == k)
        assert counts[k] == pytest.approx(chance, abs=5 * math.sqrt(chance * (1 - chance) / runs)
                                          + 1e-4)


def test_batches_of_runs_and_of_links_agree_with_an_exact_enumeration(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Every link among four partners: the later rounds try more links (up to 6) than there
    # are partners, so with room for 8 words two words of runs go at once and their links
    # are drawn one word at a time.
    monkeypatch.setattr(cascade, "BATCH_WORDS", 8)
    ids = list("abcd")
    links = [Link(a, b, 0.3 + 0.05 * i) for i, (a, b) in enumerate(itertools.permutations(ids, 2))]
    model = CascadeModel(ids, [0.7, 0, 0, 0], [0.9, 0.8, 0.7, 0.6], [0.1, 0.2, 0.05, 0.3],
                         0.02, 1000.0, links, reshare=0.8, max_hops=4)
    assert_agrees_with_enumeration(model, ["a"], runs=40_000, seed=6)


def test_the_hop_limit_stops_a_chain() -> None:
    # a → b → c → d, every link certain: a shares (hop 1), b reshares (hop 2), and so on.
    chain = [Link("a", "b", 1.0), Link("b", "c", 1.0), Link("c", "d", 1.0)]
    for max_hops, reached in ((1, {1}), (2, {2}), (3, {3}), (4, {4})):
        model = CascadeModel(list("abcd"), [1.0, 0, 0, 0], [1.0] * 4, [0.1] * 4, 0.0, 1000.0,
                             chain, reshare=1.0, max_hops=max_hops)
        assert set(model.simulate(["a"], runs=5000, seed=1).sharers.tolist()) == reached
    # The default is 2: the fourth partner is never reached, not even in 20,000 runs.
    default = CascadeModel(list("abcd"), [0.9, 0, 0, 0], [0.9] * 4, [0.1] * 4, 0.0, 1000.0,
                           chain, reshare=1.0)
    assert default.simulate(["a"], runs=20_000, seed=3).sharers.max() == 2


def test_parallel_links_merge_into_one() -> None:
    # Two links a → b of 0.3: w = 1 − 0.7² = 0.51, then · q_b · reshare = 0.51 · 0.5 · 1.
    # Tried as two links each would be 1 − (1 − 0.15)² = 0.2775.
    model = small_model([1.0, 0.0], [1.0, 0.5], [0.1, 0.1],
                        [Link("a", "b", 0.3), Link("a", "b", 0.3)])
    assert model.prob.tolist() == pytest.approx([0.255])
    assert model.simulate(["a"], runs=200_000, seed=2).sharers.mean() == pytest.approx(
        1.255, abs=0.004)


def test_with_reshare_zero_the_mean_agrees_with_r_of_s() -> None:
    rng = random.Random(9)
    partners = [partner(f"p{i}", rng.randint(2_000, 80_000), rng.random()) for i in range(10)]
    links = [Link(f"p{a}", f"p{b}", 1.0) for a, b in (rng.sample(range(10), 2)
                                                      for _ in range(40))]
    params = lv.ModelParams(universe=100_000, reshare=0.0)
    plan = ranking.plan(partners, OWN, POST, params, max_asks=4)
    summary = CascadeModel.for_post(partners, links, OWN, POST, params).run(
        [e.id for e in plan.chosen], runs=20_000, seed=5)
    assert summary.mean == pytest.approx(plan.expected_reach, rel=0.01)


def test_the_summary_has_the_median_and_the_share_of_runs_without_a_share() -> None:
    runs = cascade.CascadeRuns(np.array([10.0, 10.0, 30.0, 50.0, 70.0]),
                               np.array([0, 0, 1, 2, 1]))
    summary = runs.summary()
    assert (summary.median, summary.p_none, summary.mean) == (30.0, 0.4, 34.0)
    assert (summary.p10, summary.p90) == pytest.approx((10.0, 62.0))


def test_the_workspace_settings_reach_the_cascade() -> None:
    params = lv.ModelParams(universe=1000, max_hops=3, prior_a=0.2, prior_b=0.0)
    model = CascadeModel.for_post([partner("a", 1000), partner("b", 1000)],
                                  [Link("a", "b", 1.0)], OWN, POST, params)
    assert model.max_hops == 3
    # q_b = π = 0.2 (a = 0.2, b = 0), so the link's chance is 1 · 0.2 · reshare 0.15
    assert model.prob.tolist() == pytest.approx([0.2 * 0.15])


@settings(deadline=None)
@given(st.lists(st.floats(0, 1e12), min_size=1, max_size=3000)
       | st.lists(st.integers(0, 50).map(float), min_size=1, max_size=3000),
       st.lists(st.integers(0, 100), min_size=1, max_size=5))
def test_the_reach_percentiles_are_numpys_to_the_last_bit(values: list[float],
                                                         q: list[int]) -> None:
    reach = np.asarray(values)
    ours = cascade.percentiles(reach, q)
    theirs = np.percentile(reach, q).tolist()
    assert [v.hex() for v in ours] == [float(v).hex() for v in theirs]
