"""The leverage model v1 (DESIGN.md) against hand-computed values and brute force."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from socialdesk.core.planner import leverage as lv

PARAMS = lv.ModelParams(universe=100_000, cross_platform=0.5,
                        reach_rates={"instagram": 0.10, "facebook": 0.05, "other": 0.05})
POST = lv.PostInput(topics=frozenset({"bread", "events"}), platforms=frozenset({"instagram"}))
OWN = [lv.AudienceInput("instagram", 800)]


def partner(pid: str, size: int, platform: str = "instagram", topics: set[str] | None = None,
            **kw: object) -> lv.PartnerInput:
    audience = lv.AudienceInput(platform, size, frozenset(topics or ()))
    return lv.PartnerInput(id=pid, name=pid, strength=kw.pop("strength", 0.5),  # type: ignore[arg-type]
                           audiences=(audience,), **kw)  # type: ignore[arg-type]


def test_design_example_by_hand() -> None:
    cafe = lv.PartnerInput(
        id="p1", name="Corner Café", strength=0.6, asked=3, shared=2, days_since_last_ask=30,
        effort_minutes=10, audiences=(lv.AudienceInput("instagram", 5000, frozenset({"food"})),))
    own = [lv.AudienceInput("instagram", 800)]
    # fit = 0.2 + 0.8 * 0/2 = 0.2; E = 5000 * 0.10 * 1 * 0.2 = 100
    assert lv.audience_reach(cafe.audiences, POST, PARAMS) == pytest.approx((100.0, 0.2))
    # O = 800 * 0.10 = 80
    assert lv.own_reach(own, POST, PARAMS) == pytest.approx(80)
    # π = 0.05 + 0.6 * 0.6 = 0.41; q = (2 + 0.82) / 5 = 0.564; φ = 1 - e^(-30/14)
    phi = 1 - math.exp(-30 / 14)
    p = 0.564 * phi
    assert lv.ask_probability(cafe, PARAMS) == pytest.approx(p)
    result = lv.plan([cafe], own, POST, PARAMS, budget_minutes=60)
    x0, x1 = 80 / 100_000, 100 / 100_000
    assert result.own_reach == pytest.approx(80)
    assert result.expected_reach == pytest.approx(100_000 * (1 - (1 - x0) * (1 - p * x1)))
    assert [e.id for e in result.chosen] == ["p1"]
    assert result.ranked[0].added_reach == pytest.approx(result.expected_reach - 80)
    assert result.multiplier == pytest.approx(result.expected_reach / 80)


def test_fit_and_cross_platform() -> None:
    both = lv.AudienceInput("facebook", 1000, frozenset({"bread", "events", "coffee"}))
    assert lv.fit(both, POST) == pytest.approx(1.0)
    assert lv.fit(lv.AudienceInput("x", 1), lv.PostInput()) == 0.5
    # facebook is not a target platform: g = 0.5; rate 0.05 → 1000 * 0.05 * 0.5 * 1.0
    assert lv.audience_reach([both], POST, PARAMS)[0] == pytest.approx(25)
    # an unknown platform takes the "other" rate
    assert PARAMS.rate("myspace") == 0.05


def test_learning_raises_and_fatigue_lowers_the_probability() -> None:
    base = partner("a", 1000)
    assert lv.share_likelihood(base) == pytest.approx(lv.prior(0.5))
    shared = partner("a", 1000, asked=1, shared=1)
    assert lv.share_likelihood(shared) > lv.share_likelihood(base)
    declined = partner("a", 1000, asked=1, shared=0)
    assert lv.share_likelihood(declined) < lv.share_likelihood(base)
    assert lv.freshness(None) == 1
    assert lv.freshness(1) < lv.freshness(30) < 1


def test_universe_caps_reach() -> None:
    huge = partner("big", 10_000_000, strength=1.0)
    result = lv.plan([huge], [lv.AudienceInput("instagram", 5_000_000)], POST, PARAMS)
    assert result.own_reach == pytest.approx(100_000)
    assert result.expected_reach == pytest.approx(100_000)


def brute_force(estimates, terms, budget, x0=0.0):
    best = 0.0
    for k in range(len(estimates) + 1):
        for combo in itertools.combinations(estimates, k):
            if sum(e.effort_minutes for e in combo) <= budget:
                best = max(best, lv.expected_reach(x0, (terms[e.id] for e in combo), 1.0))
    return best


def random_partners(rng: random.Random, n: int) -> list[lv.PartnerInput]:
    return [partner(f"p{i}", rng.randint(100, 60_000), strength=rng.random(),
                    effort_minutes=rng.choice([5, 10, 15, 30, 45]),
                    topics=set(rng.sample(["bread", "events", "coffee", "music"], 2)))
            for i in range(n)]


def report(label: str, ratios: list[float]) -> None:
    """Print the ratios (shown with ``pytest -s`` or in a failure's captured output)."""
    print(f"{label}: greedy / optimum over {len(ratios)} random scenarios: "
          f"mean {sum(ratios) / len(ratios):.4f}, min {min(ratios):.4f}")


def test_budgeted_greedy_is_close_to_the_optimum() -> None:
    rng = random.Random(7)
    ratios = []
    for _ in range(200):
        people = random_partners(rng, rng.randint(2, 10))
        budget = rng.choice([10, 20, 30, 60])
        _, estimates, terms = lv.estimate(people, [], POST, PARAMS)
        chosen = lv.choose_asks(estimates, terms, budget)
        assert sum(e.effort_minutes for e in chosen) <= budget
        got = lv.expected_reach(0.0, (terms[e.id] for e in chosen), 1.0)
        best = brute_force(estimates, terms, budget)
        ratios.append(got / best if best else 1.0)
    report("budgeted", ratios)
    # Budgeted greedy with the best-single check guarantees (1 - 1/e) / 2.
    assert min(ratios) >= (1 - 1 / math.e) / 2
    assert sum(ratios) / len(ratios) > 0.95


def test_top_k_greedy_meets_its_guarantee() -> None:
    rng = random.Random(11)
    ratios = []
    for _ in range(200):
        people = random_partners(rng, rng.randint(2, 10))
        k = rng.randint(1, 4)
        _, estimates, terms = lv.estimate(people, [], POST, PARAMS)
        chosen = lv.choose_asks(estimates, terms, None, max_asks=k)
        assert len(chosen) <= k
        got = lv.expected_reach(0.0, (terms[e.id] for e in chosen), 1.0)
        best = max(lv.expected_reach(0.0, (terms[e.id] for e in combo), 1.0)
                   for n in range(min(k, len(people)) + 1)
                   for combo in itertools.combinations(estimates, n))
        ratios.append(got / best if best else 1.0)
    report("top-k", ratios)
    assert min(ratios) >= 1 - 1 / math.e
    # R is maximised over k asks by the k largest p_c x_c, so greedy is in fact optimal.
    assert min(ratios) == pytest.approx(1.0)


def test_vectorised_figures_match_the_formulas_one_by_one() -> None:
    rng = random.Random(3)
    people = [partner(f"p{i}", rng.randint(0, 50_000), rng.choice(["instagram", "facebook", "x"]),
                      set(rng.sample(["bread", "events", "coffee", "music"], rng.randint(0, 3))),
                      strength=rng.random(), asked=(n := rng.randint(0, 6)),
                      shared=rng.randint(0, n), days_since_last_ask=rng.choice([None, 0, 5, 90]))
              for i in range(50)]
    reach, fits = lv.partner_reach(people, POST, PARAMS)
    probabilities = lv.ask_probabilities(people, PARAMS)
    for i, person in enumerate(people):
        one_reach, one_fit = lv.audience_reach(person.audiences, POST, PARAMS)
        assert reach[i] == pytest.approx(one_reach)
        assert fits[i] == pytest.approx(one_fit)
        assert probabilities[i] == pytest.approx(lv.ask_probability(person, PARAMS))
    alone, estimates, terms = lv.estimate(people, OWN, POST, PARAMS)
    x0 = lv.own_reach(OWN, POST, PARAMS) / PARAMS.universe
    for e in estimates:
        assert e.added_reach == pytest.approx(
            lv.expected_reach(x0, (terms[e.id],), PARAMS.universe) - alone)
    assert [e.added_reach for e in estimates] == sorted(
        (e.added_reach for e in estimates), reverse=True)


def test_a_chosen_set_instead_of_the_greedy_one() -> None:
    people = [partner("a", 1000), partner("b", 20_000), partner("c", 5000)]
    result = lv.plan(people, OWN, POST, PARAMS, chosen_ids={"a", "c"})
    assert {e.id for e in result.chosen} == {"a", "c"}
    _, _, terms = lv.estimate(people, OWN, POST, PARAMS)
    x0 = 80 / 100_000
    assert result.expected_reach == pytest.approx(
        lv.expected_reach(x0, (terms["a"], terms["c"]), 100_000))
    assert lv.plan(people, OWN, POST, PARAMS, chosen_ids=()).expected_reach == pytest.approx(80)


def test_nothing_affordable_means_no_asks() -> None:
    _, estimates, terms = lv.estimate([partner("a", 1000, effort_minutes=30)], [], POST, PARAMS)
    assert lv.choose_asks(estimates, terms, 10) == []
