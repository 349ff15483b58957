"""Turning a plan's chosen partners into asks, and warning before asking someone too often."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from socialdesk.core.planner import ask_messages
from socialdesk.core.planner.leverage import FATIGUE_WINDOW_DAYS, MODEL_VERSION, PartnerEstimate
from socialdesk.core.settings import workspace_settings
from socialdesk.core.share import kits
from socialdesk.core.share.kit import kit_text
from socialdesk.store import asks, contacts, planning, share
from socialdesk.store.workspace import Workspace


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
    context: ask_messages.AskContext | None = None  # what the template was filled in with
    kit: str = ""  # the share kit as plain text, after the message
    slug: str = ""  # the partner's slug in the kit's links, stored when the ask is made


def draft_asks(
    ws: Workspace, post_id: int, chosen: Sequence[PartnerEstimate], today: date, *, x0: float
) -> list[DraftAsk]:
    """The asks for a post's chosen partners, each with its message and share kit.

    Each carries the forecast it is planned with: the partner's p (and the model's own p
    before the calibration, which the calibration is fitted on) and E_c, and ``x0``, the
    share of the universe the post's own channels reach. The message comes from the
    kind's template, with the partner's tracked link (their slug, or the one they will get
    when the ask is made); the kit as plain text follows. Raises LookupError when the post
    does not exist.
    """
    post = planning.post_facts(ws, post_id)
    if post is None:
        raise LookupError(f"There is no post {post_id} in this workspace.")
    overrides = workspace_settings(ws).get("ask_templates") or {}
    sender_name, sender_business = kits.sender_parts(ws)
    ids = [int(e.id) for e in chosen]
    platforms = planning.main_platforms(ws, ids)
    recent = asks.recent_ask_counts(ws, today.isoformat(), FATIGUE_WINDOW_DAYS, ids)
    day = date.fromisoformat(post.scheduled_on) if post.scheduled_on else None
    drafts = []
    planned: set[str] = set()  # slugs given out in this batch
    for estimate, cid in zip(chosen, ids, strict=True):
        contact = contacts.get_contact(ws, cid)
        data = share.kit_data(ws, cid, post_id)
        if contact is None or data is None:
            continue
        slug = kits.planned_slug(ws, data.partner, data.slug, planned)
        planned.add(slug)
        kit = kits.kit_of(data, slug)
        own_link = data.link.strip()
        text = data.body.replace(own_link, kit.link) if own_link and kit.link else data.body
        context = ask_messages.AskContext(
            name=contact.name, post_title=post.title, link=kit.link or "", day=day,
            platform=platforms.get(cid), post_text=text, sender_name=sender_name,
            sender_business=sender_business)
        kit_words = kit_text(kit)
        message = ask_messages.with_kit(
            ask_messages.ask_message(contact.kind, context, overrides), kit_words)
        subject = ask_messages.ask_subject(context)
        email = next(iter(contact.values("email")), "")
        drafts.append(DraftAsk(
            contact_id=cid, name=contact.name, kind=contact.kind, email=email,
            subject=subject, message=message,
            mailto=ask_messages.mailto_url(email, subject, message),
            predicted_reach=estimate.added_reach, effort_minutes=round(estimate.effort_minutes),
            recent_asks=recent.get(cid, 0), context=context, kit=kit_words, slug=slug,
            forecast=asks.Forecast(p=estimate.p, reach=estimate.reach_if_shared, x0=x0,
                                   model_version=MODEL_VERSION, raw_p=estimate.model_p),
        ))
    return drafts


def _keep_slugs(ws: Workspace, drafts: Sequence[DraftAsk]) -> list[DraftAsk]:
    """Store each draft's slug on its partner (their first kit); the drafts as sent.

    A partner who got another slug meanwhile keeps it, and their message says it.
    """
    kept = []
    for draft in drafts:
        slug = (kits.keep_planned_slug(ws, draft.contact_id, draft.name, draft.slug)
                if draft.slug else "")
        if slug and slug != draft.slug:
            message = draft.message
            for old, new in ((f"utm_source={draft.slug}", f"utm_source={slug}"),
                             (f"utm_source%3D{draft.slug}", f"utm_source%3D{slug}")):
                message = re.sub(re.escape(old) + r"(?=$|[&#%\s])", new, message)
            draft = dataclasses.replace(draft, message=message, slug=slug)
        kept.append(draft)
    return kept


def create_asks(
    ws: Workspace, post_id: int, drafts: Iterable[DraftAsk], today: date,
    due_on: date | None = None,
) -> list[int]:
    """Record the drafts as asks (status asked) in one transaction; return their ids.

    The partners get the slugs their messages' tracked links carry.
    """
    with ws.transaction():
        drafts = _keep_slugs(ws, list(drafts))
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
