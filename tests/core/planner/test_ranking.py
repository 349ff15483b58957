"""Ranking on arrays gives the figures, order and choice of one partner at a time."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialdesk.core.planner import leverage as lv
from socialdesk.core.planner import likelihood, planning, ranking
from socialdesk.core.planner.partner_columns import PartnerColumns, name_ranks
from socialdesk.store.models import STAGE_STRENGTH
from socialdesk.store.workspace import Workspace

POST = lv.PostInput(topics=frozenset({"bread", "events"}), platforms=frozenset({"instagram"}))
OWN = [lv.AudienceInput("instagram", 800)]
PLATFORMS = ["instagram", "facebook", "blog", "Mastodon"]
TOPICS = ["bread", "events", "coffee"]

audiences = st.builds(
    lv.AudienceInput, st.sampled_from(PLATFORMS), st.integers(0, 10**6),
    st.frozensets(st.sampled_from(TOPICS)))
people = st.lists(st.builds(
    lv.PartnerInput,
    id=st.just(""), name=st.sampled_from(["Ann", "Bo", "Cy", "ann", "Zoë"]),  # ties on names
    strength=st.sampled_from([0.0, 0.3, 0.5, 1.0]),
    audiences=st.lists(audiences, max_size=3).map(tuple),
    asked=st.integers(0, 5), shared=st.integers(0, 2),
    days_since_last_ask=st.none() | st.integers(0, 60),
    effort_minutes=st.sampled_from([0, 5, 10, 30])), max_size=25).map(
        lambda ps: [lv.PartnerInput(**{**_fields(p), "id": str(i)}) for i, p in enumerate(ps)])
params = st.builds(lv.ModelParams, universe=st.sampled_from([1000.0, 100_000.0]),
                   calibration_alpha=st.sampled_from([0.0, 0.4]),
                   calibration_beta=st.sampled_from([1.0, 0.7]))


def _fields(p: lv.PartnerInput) -> dict[str, object]:
    return {name: getattr(p, name) for name in lv.PartnerInput.__slots__}


def _old_choice(estimates: list[lv.PartnerEstimate], terms: dict[str, float],
                budget: float | None, max_asks: int | None) -> list[str]:
    """The budgeted greedy choice as it was written one estimate object at a time."""
    limit = math.inf if max_asks is None else max_asks
    if limit <= 0:
        return []
    cap = math.inf if budget is None else budget
    affordable = [e for e in estimates if e.effort_minutes <= cap and terms[e.id] > 0]
    if budget is None:
        ordered = sorted(affordable, key=lambda e: (-terms[e.id], e.effort_minutes, e.name))
        return [e.id for e in ordered[: int(min(limit, len(ordered)))]]
    by_ratio = sorted(affordable, key=lambda e: (-terms[e.id] / max(e.effort_minutes, 1e-9),
                                                 e.effort_minutes, e.name))
    chosen, spent = [], 0.0
    for e in by_ratio:
        if len(chosen) >= limit:
            break
        if spent + e.effort_minutes <= cap:
            chosen.append(e)
            spent += e.effort_minutes
    best = max(affordable, key=lambda e: terms[e.id], default=None)
    if best is not None and math.prod(1 - terms[e.id] for e in chosen) > 1 - terms[best.id]:
        return [best.id]
    return [e.id for e in chosen]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=60)
@given(people, params, st.sampled_from([None, 0, 15, 60]), st.sampled_from([None, 0, 2]))
def test_the_ranking_is_one_partner_at_a_time(partners: list[lv.PartnerInput],
                                              model: lv.ModelParams, budget: float | None,
                                              max_asks: int | None) -> None:
    alone, estimates, terms = ranking.estimate(partners, OWN, POST, model)
    assert alone == pytest.approx(lv.own_reach(OWN, POST, model))
    by_id = {c.id: c for c in partners}
    for e in estimates:
        c = by_id[e.id]
        reach, fit = lv.audience_reach(c.audiences, POST, model)
        assert (e.name, e.effort_minutes) == (c.name, c.effort_minutes)
        assert e.audience == sum(a.size for a in c.audiences)
        assert (e.reach_if_shared, e.fit) == pytest.approx((reach, fit))
        assert e.p == pytest.approx(likelihood.ask_probability(c, model))
        assert terms[e.id] == pytest.approx(e.p * min(1.0, reach / model.universe))
    # Best added reach first, then less effort, then the name, then the partners' order.
    order = sorted(partners, key=lambda c: (-next(e for e in estimates if e.id == c.id)
                                            .added_reach, c.effort_minutes, c.name))
    assert [e.id for e in estimates] == [c.id for c in order]
    chosen = ranking.choose_asks(estimates, terms, budget, max_asks)
    assert [e.id for e in chosen] == _old_choice(estimates, terms, budget, max_asks)
    plan = ranking.plan(partners, OWN, POST, model, budget, max_asks)
    assert [e.id for e in plan.chosen] == [e.id for e in chosen]
    assert list(plan.ranked) == estimates


@settings(deadline=None)  # a loaded machine
@given(st.lists(st.sampled_from(["", "Ann", "ann", "Ann ", "Zoë", "Zoe", "Łucja"]), max_size=40))
def test_a_name_is_ranked_by_how_many_names_sort_before_it(names: list[str]) -> None:
    """The ties on names go by this rank: equal names share it."""
    assert name_ranks(names).tolist() == [sum(other < name for other in names)
                                          for name in names]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=30)
@given(people)
def test_columns_give_back_the_partners_they_were_made_from(
        partners: list[lv.PartnerInput]) -> None:
    columns = PartnerColumns.of(partners)
    assert list(columns) == partners
    assert columns[-1:] == partners[-1:]


def test_a_workspaces_partners_are_read_as_one_query_per_partner_would(demo: Workspace) -> None:
    today = date(2026, 3, 1)
    base = planning.workspace_model(demo, today, with_links=False)
    c = demo.conn
    expected = []
    for row in c.execute("SELECT id, name, stage, strength, effort_minutes FROM contacts "
                         "WHERE id IN (SELECT contact_id FROM audiences) ORDER BY id"):
        asks = c.execute(
            "SELECT count(*) FILTER (WHERE status IN ('shared', 'declined', 'no_reply')) AS n, "
            "count(*) FILTER (WHERE status = 'shared') AS k, max(asked_on) AS last "
            "FROM asks WHERE contact_id = ?", (row["id"],)).fetchone()
        own = tuple(lv.AudienceInput(
            a["platform"], a["size"], frozenset(t["name"].casefold() for t in c.execute(
                "SELECT name FROM topics JOIN audience_topics ON topic_id = topics.id "
                "WHERE audience_id = ?", (a["id"],))))
            for a in c.execute("SELECT id, lower(coalesce(nullif(platform_label, ''), "
                               "platform)) AS platform, size FROM audiences "
                               "WHERE contact_id = ? ORDER BY id", (row["id"],)))
        expected.append(lv.PartnerInput(
            id=str(row["id"]), name=row["name"],
            strength=STAGE_STRENGTH[row["stage"]] if row["strength"] is None
            else row["strength"], audiences=own, asked=asks["n"], shared=asks["k"],
            days_since_last_ask=planning.days_since(today, asks["last"]),
            effort_minutes=row["effort_minutes"]))
    assert len(expected) > 20 and any(p.asked for p in expected)
    assert list(base.partners) == expected
