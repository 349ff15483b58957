"""Plan leverage for a post: a scenario from the workspace (or a file), the model run on it."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from datetime import date

from socialdesk.core import leverage
from socialdesk.core.leverage import Link
from socialdesk.core.scenario import Scenario
from socialdesk.core.settings import workspace_settings
from socialdesk.store import planning
from socialdesk.store.workspace import Workspace


def model_params(ws: Workspace) -> leverage.ModelParams:
    """The leverage parameters stored in (or defaulted for) the workspace."""
    s = workspace_settings(ws)
    return leverage.ModelParams(
        universe=s["universe"], cross_platform=s["cross_platform"], reshare=s["reshare"],
        fatigue_days=s["fatigue_days"], reach_rates=s["reach_rates"],
    )


def partner_inputs(ws: Workspace, today: date) -> list[leverage.PartnerInput]:
    """Every partner of the workspace in the model's terms, as of ``today``."""
    inputs = []
    for f in planning.partner_facts(ws):
        days = (today - date.fromisoformat(f.last_asked_on)).days if f.last_asked_on else None
        inputs.append(
            leverage.PartnerInput(
                id=str(f.id), name=f.name, strength=f.strength,
                audiences=tuple(leverage.AudienceInput(*a) for a in f.audiences),
                asked=f.asked, shared=f.shared, days_since_last_ask=days,
                effort_minutes=f.effort_minutes,
            )
        )
    return inputs


def partner_links(ws: Workspace) -> list[Link]:
    """The links between the workspace's partners, directed (undirected ones both ways)."""
    return [Link(str(a), str(b), w) for a, b, w in planning.partner_links(ws)]


def post_scenario(
    ws: Workspace,
    post_id: int,
    today: date | None = None,
    *,
    budget_minutes: float | None = 60,
    max_asks: int | None = None,
    runs: int = 2000,
    seed: int = 1,
    with_links: bool = True,
) -> tuple[planning.PostFacts, Scenario]:
    """The stored post and the scenario for it; raises LookupError for a missing post."""
    post = planning.post_facts(ws, post_id)
    if post is None:
        raise LookupError(f"There is no post {post_id} in this workspace.")
    scenario = Scenario(
        params=model_params(ws),
        post=leverage.PostInput(topics=post.topics, platforms=post.platforms),
        own_channels=tuple(leverage.AudienceInput(p, f) for p, f in planning.own_channels(ws)),
        partners=tuple(partner_inputs(ws, today or date.today())),
        links=tuple(partner_links(ws)) if with_links else (),
        budget_minutes=budget_minutes, max_asks=max_asks, runs=runs, seed=seed,
    )
    return post, scenario


def plan_scenario(scenario: Scenario, chosen_ids: Collection[str] | None = None) -> leverage.Plan:
    """Rank the partners and choose the asks (or take ``chosen_ids``).

    When the scenario asks for runs, the plan includes the Monte Carlo range with the
    second hop (reshares along links).
    """
    result = leverage.plan(
        scenario.partners, scenario.own_channels, scenario.post, scenario.params,
        budget_minutes=scenario.budget_minutes, max_asks=scenario.max_asks,
        chosen_ids=chosen_ids,
    )
    if scenario.runs <= 0:
        return result
    from socialdesk.core.cascade import CascadeModel  # numpy: only when it is needed

    model = CascadeModel.for_post(scenario.partners, scenario.links, scenario.own_channels,
                                  scenario.post, scenario.params)
    summary = model.run([e.id for e in result.chosen], scenario.runs, scenario.seed)
    return dataclasses.replace(result, cascade=summary)


def plan_post(
    ws: Workspace,
    post_id: int,
    today: date | None = None,
    budget_minutes: float | None = 60,
    max_asks: int | None = None,
    runs: int = 0,
    seed: int = 1,
) -> tuple[planning.PostFacts, leverage.Plan]:
    """The leverage plan for one post; raises LookupError when the post does not exist.

    With ``runs`` > 0 the plan includes the Monte Carlo range (links read too).
    """
    post, scenario = post_scenario(
        ws, post_id, today, budget_minutes=budget_minutes, max_asks=max_asks, runs=runs,
        seed=seed, with_links=runs > 0,
    )
    return post, plan_scenario(scenario)
