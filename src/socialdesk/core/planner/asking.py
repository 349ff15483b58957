"""Turning a plan's chosen partners into asks, and warning before asking someone too often."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from socialdesk.core.planner import ask_messages
from socialdesk.core.planner.leverage import MODEL_VERSION, PartnerEstimate
from socialdesk.core.settings import workspace_settings
from socialdesk.store import asks, contacts, planning
from socialdesk.store.workspace import Workspace

FATIGUE_WINDOW_DAYS = 30


@dataclass(frozen=True, slots=True)
class DraftAsk:
    """An ask ready to be sent: the message, a mailto: link and the model's prediction."""

    contact_id: int
    name: str
    kind: str
    email: str
    subject: str
    message: str
    mailto: str
    predicted_reach: float
    effort_minutes: int
    recent_asks: int  # asks to this contact in the last 30 days, before this one
    forecast: asks.Forecast | None = None  # p, E_c and x_0 as planned (the track record)


def draft_asks(
    ws: Workspace, post_id: int, chosen: Sequence[PartnerEstimate], today: date, *, x0: float
) -> list[DraftAsk]:
    """The asks for a post's chosen partners, each with its message from the kind's template.

    Each carries the forecast it is planned with: the partner's p and E_c, and ``x0``,
    the share of the universe the post's own channels reach. Raises LookupError when the
    post does not exist.
    """
    post = planning.post_facts(ws, post_id)
    if post is None:
        raise LookupError(f"There is no post {post_id} in this workspace.")
    overrides = workspace_settings(ws).get("ask_templates") or {}
    ids = [int(e.id) for e in chosen]
    platforms = planning.main_platforms(ws, ids)
    recent = asks.recent_ask_counts(ws, today.isoformat(), FATIGUE_WINDOW_DAYS, ids)
    day = date.fromisoformat(post.scheduled_on) if post.scheduled_on else None
    drafts = []
    for estimate, cid in zip(chosen, ids, strict=True):
        contact = contacts.get_contact(ws, cid)
        if contact is None:
            continue
        context = ask_messages.AskContext(
            name=contact.name, post_title=post.title, link=post.link, day=day,
            platform=platforms.get(cid))
        message = ask_messages.ask_message(contact.kind, context, overrides)
        subject = ask_messages.ask_subject(context)
        email = next(iter(contact.values("email")), "")
        drafts.append(DraftAsk(
            contact_id=cid, name=contact.name, kind=contact.kind, email=email,
            subject=subject, message=message,
            mailto=ask_messages.mailto_url(email, subject, message),
            predicted_reach=estimate.added_reach, effort_minutes=round(estimate.effort_minutes),
            recent_asks=recent.get(cid, 0),
            forecast=asks.Forecast(p=estimate.p, reach=estimate.reach_if_shared, x0=x0,
                                   model_version=MODEL_VERSION),
        ))
    return drafts


def create_asks(
    ws: Workspace, post_id: int, drafts: Iterable[DraftAsk], today: date,
    due_on: date | None = None,
) -> list[int]:
    """Record the drafts as asks (status asked) in one transaction; return their ids."""
    return asks.create_asks(ws, [
        asks.NewAsk(
            contact_id=d.contact_id, post_id=post_id, asked_on=today.isoformat(),
            message=d.message, predicted_reach=round(d.predicted_reach, 1),
            effort_minutes=d.effort_minutes, due_on=due_on.isoformat() if due_on else None,
            forecast=d.forecast,
        )
        for d in drafts
    ])


def overasked(ws: Workspace, today: date, contact_ids: Iterable[int] | None = None
              ) -> dict[int, int]:
    """Contacts asked more than the warning count (setting) in the last 30 days: id → asks."""
    limit = int(workspace_settings(ws)["ask_warning_count"])
    counts = asks.recent_ask_counts(ws, today.isoformat(), FATIGUE_WINDOW_DAYS, contact_ids)
    return {cid: n for cid, n in counts.items() if n > limit}
