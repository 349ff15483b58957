"""The leverage model v1 (DESIGN.md) against hand-computed values and brute force."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from socialdesk.core.planner import leverage as lv
from socialdesk.core.planner import likelihood, partner_columns, ranking

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
    assert likelihood.ask_probability(cafe, PARAMS) == pytest.approx(p)
    result = ranking.plan([cafe], own, POST, PARAMS, budget_minutes=60)
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
    assert likelihood.share_likelihood(base) == pytest.approx(likelihood.prior(0.5))
    shared = partner("a", 1000, asked=1, shared=1)
    assert likelihood.share_likelihood(shared) > likelihood.share_likelihood(base)
    declined = partner("a", 1000, asked=1, shared=0)
    assert likelihood.share_likelihood(declined) < likelihood.share_likelihood(base)
    assert likelihood.freshness(None) == 1
    assert likelihood.freshness(1) < likelihood.freshness(30) < 1


def test_universe_caps_reach() -> None:
    huge = partner("big", 10_000_000, strength=1.0)
    result = ranking.plan([huge], [lv.AudienceInput("instagram", 5_000_000)], POST, PARAMS)
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
        _, estimates, terms = ranking.estimate(people, [], POST, PARAMS)
        chosen = ranking.choose_asks(estimates, terms, budget)
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
        _, estimates, terms = ranking.estimate(people, [], POST, PARAMS)
        chosen = ranking.choose_asks(estimates, terms, None, max_asks=k)
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
    reach, fits = partner_columns.partner_reach(people, POST, PARAMS)
    probabilities = partner_columns.ask_probabilities(people, PARAMS)
    for i, person in enumerate(people):
        one_reach, one_fit = lv.audience_reach(person.audiences, POST, PARAMS)
        assert reach[i] == pytest.approx(one_reach)
        assert fits[i] == pytest.approx(one_fit)
        assert probabilities[i] == pytest.approx(likelihood.ask_probability(person, PARAMS))
    alone, estimates, terms = ranking.estimate(people, OWN, POST, PARAMS)
    x0 = lv.own_reach(OWN, POST, PARAMS) / PARAMS.universe
    for e in estimates:
        assert e.added_reach == pytest.approx(
            lv.expected_reach(x0, (terms[e.id],), PARAMS.universe) - alone)
    assert [e.added_reach for e in estimates] == sorted(
        (e.added_reach for e in estimates), reverse=True)


def test_a_chosen_set_instead_of_the_greedy_one() -> None:
    people = [partner("a", 1000), partner("b", 20_000), partner("c", 5000)]
    result = ranking.plan(people, OWN, POST, PARAMS, chosen_ids={"a", "c"})
    assert {e.id for e in result.chosen} == {"a", "c"}
    _, _, terms = ranking.estimate(people, OWN, POST, PARAMS)
    x0 = 80 / 100_000
    assert result.expected_reach == pytest.approx(
        lv.expected_reach(x0, (terms["a"], terms["c"]), 100_000))
    nobody = ranking.plan(people, OWN, POST, PARAMS, chosen_ids=())
    assert nobody.expected_reach == pytest.approx(80)


def test_nothing_affordable_means_no_asks() -> None:
    _, estimates, terms = ranking.estimate([partner("a", 1000, effort_minutes=30)], [], POST,
                                           PARAMS)
    assert ranking.choose_asks(estimates, terms, 10) == []


# -- v2 ------------------------------------------------------------------------------------


def two_platforms(**kw: object) -> lv.PartnerInput:
    return lv.PartnerInput(id="two", name="two", strength=0.5, audiences=(
        lv.AudienceInput("instagram", 5000, frozenset({"bread"})),
        lv.AudienceInput("facebook", 4000)), **kw)  # type: ignore[arg-type]


def test_one_main_platform_per_share() -> None:
    # s_instagram = 5000 · 0.10 · 1 · (0.2 + 0.8 · 1/2) = 300;
    # s_facebook = 4000 · 0.05 · 0.5 (not a target) · 0.5 (no topics) = 50.
    # E = 300 + 0.2 · 50 = 310; v1 (extra_platforms 1) summed them: 350.
    # Fit weighted by size · rate · g: (500 · 0.6 + 100 · 0.5) / 600.
    reach, fit = lv.audience_reach(two_platforms().audiences, POST, PARAMS)
    assert (reach, fit) == pytest.approx((310, 350 / 600))
    v1 = lv.ModelParams(universe=100_000, extra_platforms=1.0, reach_rates=PARAMS.reach_rates)
    assert lv.audience_reach(two_platforms().audiences, POST, v1)[0] == pytest.approx(350)
    arrays = partner_columns.partner_reach([two_platforms(), partner("one", 1000)], POST, PARAMS)
    assert arrays[0].tolist() == pytest.approx([310, 1000 * 0.10 * 0.5])
    assert arrays[1].tolist() == pytest.approx([350 / 600, 0.5])
    # No audience seen at all: the fit is 0.5 (nothing to weigh by).
    nobody = lv.PartnerInput("z", "z", 0.5, (lv.AudienceInput("instagram", 0),))
    assert lv.audience_reach(nobody.audiences, POST, PARAMS) == (0, 0.5)
    assert partner_columns.partner_reach([nobody], POST, PARAMS)[1].tolist() == [0.5]


def test_platform_names_are_compared_in_lower_case() -> None:
    params = lv.ModelParams(universe=100_000, reach_rates={"Instagram": 0.10, "OTHER": 0.05,
                                                           "facebook": 0.05})
    post = lv.PostInput(topics=POST.topics, platforms=frozenset({"INSTAGRAM"}))
    shouting = lv.PartnerInput("two", "two", 0.5, (
        lv.AudienceInput("InstaGram", 5000, frozenset({"bread"})),
        lv.AudienceInput("FaceBook", 4000)))
    assert params.rate("INSTAGRAM") == 0.10 and params.rate("MySpace") == 0.05
    assert lv.audience_reach(shouting.audiences, post, params)[0] == pytest.approx(310)
    reach = partner_columns.partner_reach([shouting], post, params)[0]
    assert reach.tolist() == pytest.approx([310])
    assert lv.own_reach([lv.AudienceInput("Instagram", 800)], post, params) == pytest.approx(80)


def test_prior_is_clipped_and_takes_a_and_b() -> None:
    assert likelihood.prior(0.5) == pytest.approx(0.35)
    assert likelihood.prior(1.0, a=0.5, b=0.6) == 0.95
    assert likelihood.prior(0.0, a=0.0, b=0.6) == 0.01
    params = lv.ModelParams(prior_a=0.1, prior_b=0.2)
    # π = 0.1 + 0.2 · 0.5 = 0.2; q = (1 + 0.4) / (2 + 2) = 0.35
    one = partner("a", 1000, asked=2, shared=1)
    assert likelihood.share_likelihood(one, params) == pytest.approx(0.35)
    assert partner_columns.ask_probabilities([one], params).tolist() == pytest.approx([0.35])


def test_calibration_maps_p_and_leaves_0_and_1() -> None:
    params = lv.ModelParams(calibration_alpha=0.5, calibration_beta=2.0)
    # raw 0.25: logit = ln(1/3); z = 0.5 + 2 ln(1/3) = −1.6972; σ(z) = 0.15486
    z = 0.5 + 2 * math.log(1 / 3)
    assert likelihood.calibrated(0.25, params) == pytest.approx(1 / (1 + math.exp(-z)))
    assert likelihood.calibrated(0.0, params) == 0.0 and likelihood.calibrated(1.0, params) == 1.0
    # q = π = 0.05 + 0.6 · (1/3) = 0.25 when never asked
    quarter = partner("a", 1000, strength=1 / 3)
    never = partner("b", 1000, days_since_last_ask=0)  # asked today: raw p = 0
    assert likelihood.ask_probability(quarter, params) == pytest.approx(1 / (1 + math.exp(-z)))
    assert partner_columns.ask_probabilities([quarter, never], params).tolist() == pytest.approx(
        [1 / (1 + math.exp(-z)), 0.0])


def test_r_of_s_keeps_a_tiny_term_in_a_huge_universe() -> None:
    # U = 10^12 and one partner adding p·x = 10^-17: R(S) − R(∅) = U (1 − x0) t ≈ 10^-5.
    # Multiplying (1 − t) out rounds t away; log1p/expm1 keep it.
    x0 = 1e-9
    gained = lv.expected_reach(x0, [1e-17], 1e12) - lv.expected_reach(x0, [], 1e12)
    assert gained == pytest.approx(1e12 * (1 - x0) * 1e-17, rel=1e-3)
    assert lv.expected_reach(x0, [1.0], 1e12) == 1e12
    assert lv.expected_reach(0.25, [0.2, 0.5], 1000) == pytest.approx(
        1000 * (1 - 0.75 * 0.8 * 0.5))


def test_marginal_reach_of_the_chosen_and_of_the_others() -> None:
    # x0 = 0.1, U = 1000; t_a = 0.2, t_b = 0.5 chosen, t_c = 0.1 not.
    terms = {"a": 0.2, "b": 0.5, "c": 0.1}
    marginal = lv.marginal_reaches(0.1, terms, ["a", "b"], 1000)
    # chosen: R(S) − R(S∖{c}); others: R(S ∪ {c}) − R(S)
    assert marginal == pytest.approx({"a": 900 * 0.2 * 0.5, "b": 900 * 0.5 * 0.8,
                                      "c": 900 * 0.1 * 0.8 * 0.5})
    for pid in terms:
        assert marginal[pid] == pytest.approx(lv.marginal_reach(0.1, terms, ["a", "b"], pid,
                                                                1000))
    # a partner reaching everyone for certain: without them, the rest still counts
    assert lv.marginal_reaches(0.0, {"a": 1.0, "b": 0.5}, ["a", "b"], 100) == pytest.approx(
        {"a": 50, "b": 0})


def test_the_plan_carries_every_partners_marginal_reach() -> None:
    people = [partner(f"p{i}", size) for i, size in enumerate([40_000, 20_000, 9_000])]
    result = ranking.plan(people, OWN, POST, PARAMS, max_asks=2)
    chosen = [e.id for e in result.chosen]
    assert len(chosen) == 2
    _, _, terms = ranking.estimate(people, OWN, POST, PARAMS)
    x0 = 80 / 100_000
    for e in result.ranked:
        assert result.marginal[e.id] == pytest.approx(
            lv.marginal_reach(x0, terms, chosen, e.id, 100_000))


def test_budget_and_max_asks_both_hold() -> None:
    people = [partner(f"p{i}", 10_000 + i, effort_minutes=10) for i in range(4)]
    _, estimates, terms = ranking.estimate(people, OWN, POST, PARAMS)
    assert len(ranking.choose_asks(estimates, terms, 15, max_asks=3)) == 1  # the budget binds
    assert len(ranking.choose_asks(estimates, terms, 60, max_asks=2)) == 2  # the count binds
    assert len(ranking.choose_asks(estimates, terms, 60, max_asks=0)) == 0
    assert len(ranking.choose_asks(estimates, terms, None, max_asks=3)) == 3
    assert len(ranking.plan(people, OWN, POST, PARAMS, budget_minutes=25, max_asks=3).chosen) == 2


def test_the_multiplier_is_null_without_own_reach() -> None:
    result = ranking.plan([partner("a", 10_000)], [], POST, PARAMS)
    assert result.own_reach == 0 and result.expected_reach > 0
    assert result.multiplier is None
    assert ranking.plan([partner("a", 10_000)], OWN, POST, PARAMS).multiplier == pytest.approx(
        result.expected_reach / 80 + 1, rel=0.01)
