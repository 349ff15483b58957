"""Plan leverage for a stored post: read the workspace, run the leverage model."""

from __future__ import annotations

from datetime import date

from socialdesk.core import leverage
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


def plan_post(
    ws: Workspace,
    post_id: int,
    today: date | None = None,
    budget_minutes: float | None = 60,
    max_asks: int | None = None,
) -> tuple[planning.PostFacts, leverage.Plan]:
    """The leverage plan for one post; raises LookupError when the post does not exist."""
    post = planning.post_facts(ws, post_id)
    if post is None:
        raise LookupError(f"There is no post {post_id} in this workspace.")
    channels = [leverage.AudienceInput(p, f) for p, f in planning.own_channels(ws)]
    result = leverage.plan(
        partner_inputs(ws, today or date.today()),
        channels,
        leverage.PostInput(topics=post.topics, platforms=post.platforms),
        model_params(ws),
        budget_minutes=budget_minutes,
        max_asks=max_asks,
    )
    return post, result
