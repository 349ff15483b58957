"""What the planner knows about a workspace, read on a worker thread (no Qt here).

:func:`read_workspace` reads the model's inputs (``core.planning.workspace_model``) and
what the view shows besides once; the view keeps the answer until the workspace changes,
and :mod:`.post_plan` plans each post from it through the core's ``post_model``.

A huge workspace has 50,000 partners and 500,000 links. What is kept is made of few
objects the garbage collector must visit (the links as numpy arrays, see
``core.planner.graph``, rather than an object per link): a full collection visits every
such object while holding the interpreter lock, and the GUI thread waits for it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date

from socialdesk.core.planner.leverage import FATIGUE_WINDOW_DAYS
from socialdesk.core.planner.planning import WorkspaceModel, workspace_model
from socialdesk.core.settings import workspace_settings
from socialdesk.store import asks, planning
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
class WorkspaceFacts:
    """The workspace's partners, links, channels and settings, as read at one moment."""

    model: WorkspaceModel  # the partners, channels, links and settings in the model's terms
    warning_count: int
    recent_asks: Mapping[int, int]  # asks per contact in the last 30 days
    waiting_posts: tuple[WaitingPost, ...] = ()


def read_workspace(ws: Workspace, today: date,
                   between: Callable[[], object] | None = None) -> WorkspaceFacts:
    """Everything the planner needs that does not depend on the post.

    ``between`` is called between the reads and between parts of them (the view passes
    ``workers.check_presence``: the read stops there when the user left the planner);
    the answer is the same with or without it.
    """
    step = between or (lambda: None)
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
    step()
    model = workspace_model(ws, today, with_links=False,  # each post reads its own
                            between=between)
    step()
    return WorkspaceFacts(
        model=model,
        warning_count=int(settings["ask_warning_count"]),
        recent_asks=asks.recent_ask_counts(ws, today.isoformat(), FATIGUE_WINDOW_DAYS,
                                           between=between),
        waiting_posts=tuple(past),
    )


def _post_dates(ws: Workspace, posts: Collection[int]) -> dict[int, str | None]:
    found = {}
    for pid in posts:
        facts = planning.post_facts(ws, pid)
        if facts is not None:
            found[pid] = facts.scheduled_on
    return found
