"""New posts made from others: a duplicate of a post, and a post from a template.

A duplicate keeps what the post says and where it goes: title (marked as a copy), text,
channels with their own texts, topics, campaign, link, location, notes, and media with
their alt text. It leaves out what belongs to the original's life: its date, time, zone
and repeat (the copy is unscheduled, an idea or a draft, until the user gives it a date;
there is no notion of open posting slots to fill), its results and its published address.
The copy gets a new UID; the store never copies publications, asks or results.
"""

from __future__ import annotations

from dataclasses import replace

from socialdesk.store.models import PostDraft
from socialdesk.store.post_templates import PostTemplate

COPY_SUFFIX = " (copy)"


def duplicate_draft(draft: PostDraft) -> PostDraft:
    """The draft of a copy of ``draft``: same content, unscheduled, no results."""
    return replace(
        draft,
        title=f"{draft.title.strip()}{COPY_SUFFIX}",
        status="draft" if draft.body.strip() or any(t for _, t in draft.channels) else "idea",
        scheduled_on=None, scheduled_time=None, timezone=None,
        repeat_rule=None, repeat_until=None, evergreen_weeks=None,
        published_url="", reach=None, clicks=None, engagements=None,
    )


def template_from_draft(name: str, draft: PostDraft, template_id: int = 0) -> PostTemplate:
    """A template called ``name`` holding what ``draft`` says and where it goes."""
    return PostTemplate(
        id=template_id, name=name.strip(), title=draft.title.strip(), body=draft.body,
        link=draft.link, campaign_id=draft.campaign_id, channels=draft.channels,
        topics=draft.topics,
    )


def draft_from_template(template: PostTemplate, scheduled_on: str | None = None) -> PostDraft:
    """A new post's draft from ``template`` (on ``scheduled_on``, or an undated idea)."""
    return PostDraft(
        title=template.title, body=template.body, link=template.link,
        status="draft" if scheduled_on else "idea", scheduled_on=scheduled_on,
        campaign_id=template.campaign_id, channels=template.channels, topics=template.topics,
    )
