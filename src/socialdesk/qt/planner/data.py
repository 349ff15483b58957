"""What the planner knows about a workspace, read on a worker thread (no Qt here).

:func:`read_workspace` reads the partners, links, channels and settings once; the view
keeps the answer until the workspace changes, and :mod:`.post_plan` plans each post
from it.

A large workspace has 5,000 partners and 100,000 links. What is kept is made of few
objects the garbage collector must visit (lists of numbers and strings rather than an
object per link): a full collection visits every such object while holding the
interpreter lock, and the GUI thread waits for it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from socialdesk.core import leverage
from socialdesk.core.asking import FATIGUE_WINDOW_DAYS
from socialdesk.core.gc_pause import collection_paused
from socialdesk.core.leverage import AudienceInput
from socialdesk.core.planning import model_params
from socialdesk.core.settings import workspace_settings
from socialdesk.store import asks, planning
from socialdesk.store.planning import PartnerFacts
from socialdesk.store.workspace import Workspace

WAITING_POSTS = 20  # past posts with asks waiting offered besides the upcoming ones


@dataclass(frozen=True, slots=True)
class WaitingPost:
    """A post that is no longer upcoming but has asks still waiting (``asks.waiting_asks``)."""

    id: int
    title: str
    scheduled_on: str | None
    waiting: int


@dataclass(frozen=True, slots=True)
class LinkLists:
    """Directed links as three parallel lists.

    Not a list of tuples: a large workspace has 100,000 links, and that many small
    objects kept alive make every garbage collection slow (which stalls the GUI thread).
    """

    sources: list[str]
    targets: list[str]
    weights: list[float]

    def __iter__(self) -> Iterator[tuple[str, str, float]]:
        """The links as ``(source, target, weight)``, made on the fly."""
        return zip(self.sources, self.targets, self.weights, strict=True)

    def __len__(self) -> int:
        """How many links."""
        return len(self.sources)


@dataclass(frozen=True, slots=True)
class WorkspaceFacts:
    """The workspace's partners, links, channels and settings, as read at one moment."""

    today: date
    inputs: tuple[leverage.PartnerInput, ...]  # the partners in the model's terms, as of today
    last_asked: Mapping[str, str]  # each asked partner's last ask (ISO date)
    links: LinkLists
    neighbours: Mapping[str, Mapping[str, float]]  # links either way, the larger weight
    channels: tuple[AudienceInput, ...]
    params: leverage.ModelParams
    warning_count: int
    recent_asks: Mapping[int, int]  # asks per contact in the last 30 days
    waiting_posts: tuple[WaitingPost, ...] = ()


def read_workspace(ws: Workspace, today: date) -> WorkspaceFacts:
    """Everything the planner needs that does not depend on the post."""
    settings = workspace_settings(ws)
    waiting: dict[int, WaitingPost] = {}
    for ask in asks.waiting_asks(ws, today.isoformat(), limit=200).rows:
        if ask.post_id is None:
            continue
        known = waiting.get(ask.post_id)
        waiting[ask.post_id] = WaitingPost(
            ask.post_id, ask.post_title or f"Post {ask.post_id}",
            known.scheduled_on if known else None, (known.waiting if known else 0) + 1)
    if waiting:
        dates = _post_dates(ws, waiting)
        waiting = {pid: WaitingPost(w.id, w.title, dates.get(pid), w.waiting)
                   for pid, w in waiting.items()}
    past = sorted((w for w in waiting.values() if (w.scheduled_on or "") < today.isoformat()),
                  key=lambda w: w.scheduled_on or "", reverse=True)[:WAITING_POSTS]
    topic_sets: dict[frozenset[str], frozenset[str]] = {}
    inputs, last_asked = [], {}
    with collection_paused():  # the stored facts are dropped once turned into inputs
        for f in planning.partner_facts(ws):
            inputs.append(_model_input(f, today, f.last_asked_on, topic_sets))
            if f.last_asked_on:
                last_asked[str(f.id)] = f.last_asked_on
    links = LinkLists([], [], [])
    neighbours: dict[str, dict[str, float]] = defaultdict(dict)
    with collection_paused():
        found = planning.partner_links(ws)
    for a, b, weight in found:
        source, target = str(a), str(b)
        links.sources.append(source)
        links.targets.append(target)
        links.weights.append(weight)
        if weight > neighbours[source].get(target, -math.inf):
            neighbours[source][target] = neighbours[target][source] = weight
    del found
    return WorkspaceFacts(
        today=today,
        inputs=tuple(inputs),
        last_asked=last_asked,
        links=links,
        neighbours=dict(neighbours),
        channels=tuple(AudienceInput(p, f) for p, f in planning.own_channels(ws)),
        params=model_params(ws),
        warning_count=int(settings["ask_warning_count"]),
        recent_asks=asks.recent_ask_counts(ws, today.isoformat(), FATIGUE_WINDOW_DAYS),
        waiting_posts=tuple(past),
    )


def _post_dates(ws: Workspace, posts: Collection[int]) -> dict[int, str | None]:
    found = {}
    for pid in posts:
        facts = planning.post_facts(ws, pid)
        if facts is not None:
            found[pid] = facts.scheduled_on
    return found


def days_since(today: date, iso: str | None) -> int | None:
    """Whole days from an ISO date to ``today`` (None for no date)."""
    return (today - date.fromisoformat(iso)).days if iso else None


def _model_input(f: PartnerFacts, today: date, last_asked_on: str | None,
                 topic_sets: dict[frozenset[str], frozenset[str]]) -> leverage.PartnerInput:
    """A partner in the model's terms; equal topic sets are shared (fewer objects to keep)."""
    audiences = tuple(AudienceInput(platform, size, topic_sets.setdefault(topics, topics))
                      for platform, size, topics in f.audiences)
    return leverage.PartnerInput(
        id=str(f.id), name=f.name, strength=f.strength, audiences=audiences,
        asked=f.asked, shared=f.shared, days_since_last_ask=days_since(today, last_asked_on),
        effort_minutes=f.effort_minutes)
