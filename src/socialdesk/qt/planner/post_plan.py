"""One post's plan, worked out on a worker thread and then read by the GUI thread.

:func:`plan_for_post` ranks every partner for the post through the core
(``core.planning.post_model``, as ``socialdesk plan`` does) and keeps the model's terms,
so that any choice of asks is re-totalled at once on the GUI thread with the core's
formulas. The Monte Carlo range of a choice (:func:`cascade_range`) reads the links its
asks can take, on a worker; the picture reads the links among the partners it draws
(no view reads all 500,000 links of a huge workspace). The figures are kept in
columns (a list per figure) and a partner's :class:`PartnerLine` is made when it is
asked for: 5,000 partners as 5,000 objects would weigh on every garbage collection
(see :mod:`.data`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, overload

from socialdesk.core.gc_pause import collection_paused
from socialdesk.core.planner import leverage, planning
from socialdesk.core.planner.leverage import FATIGUE_WINDOW_DAYS, PartnerEstimate
from socialdesk.qt.planner.data import WorkspaceFacts
from socialdesk.qt.workers import check_presence
from socialdesk.store import asks
from socialdesk.store.models import AskRow
from socialdesk.store.planning import PostFacts
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    from socialdesk.core.planner.cascade import CascadeSummary
    from socialdesk.core.planner.ranking import Ranking

PICTURE_SIZE = 60  # partners drawn in the network picture: the best by added reach
MC_RUNS = 2000  # as the command line's default, so both give the same range
MC_SEED = 1
CACHED_LINES = 512


@dataclass(frozen=True, slots=True)
class PartnerLine:
    """One partner's row in the planner: the model's estimate and the ask history."""

    id: str  # the model's id for the partner: the contact id as text
    estimate: PartnerEstimate
    contact_id: int
    strength: float
    asked: int  # answered asks (n)
    shared: int  # shares (k)
    last_asked_on: str | None  # the last ask for another post
    recent_asks: int  # asks in the last 30 days for other posts
    overasked: bool  # more than the warning count in 30 days
    post_status: str | None  # the status of this post's ask to them, if any
    likelihood: float  # q: the share likelihood from tie strength and answered asks
    rested: float  # the share chance were they not asked lately: q, calibrated

    @property
    def name(self) -> str:
        """The partner's name."""
        return self.estimate.name


@dataclass(frozen=True, slots=True)
class Columns:
    """Every partner's figures, best added reach first: one list per figure."""

    ids: list[str]
    names: list[str]
    p: list[float]
    fit: list[float]
    audience: list[int]
    reach: list[float]
    added: list[float]
    effort: list[float]
    strength: list[float]
    asked: list[int]
    shared: list[int]
    last_asked: list[str | None]
    recent: list[int]
    overasked: list[bool]
    status: list[str | None]
    likelihood: list[float]
    rested: list[float]
    raw_p: list[float | None]  # p before the calibration (what asks store to fit it on)

    def estimate(self, i: int) -> PartnerEstimate:
        """Row ``i`` as the model's estimate."""
        return PartnerEstimate(
            id=self.ids[i], name=self.names[i], p=self.p[i], fit=self.fit[i],
            audience=self.audience[i], reach_if_shared=self.reach[i], added_reach=self.added[i],
            effort_minutes=self.effort[i], raw_p=self.raw_p[i])

    def line(self, i: int) -> PartnerLine:
        """Row ``i`` as a table line."""
        return PartnerLine(
            id=self.ids[i], estimate=self.estimate(i), contact_id=int(self.ids[i]),
            strength=self.strength[i], asked=self.asked[i], shared=self.shared[i],
            last_asked_on=self.last_asked[i], recent_asks=self.recent[i],
            overasked=self.overasked[i], post_status=self.status[i],
            likelihood=self.likelihood[i], rested=self.rested[i])


class Lines(Sequence[PartnerLine]):
    """The partners as lines, in rank order or in a given ``order`` of rows, made on demand."""

    def __init__(self, plan: PostData, order: Sequence[int] | None = None) -> None:
        self.plan = plan
        self.order = order

    def __len__(self) -> int:
        """How many partners."""
        return len(self.order) if self.order is not None else len(self.plan.columns.ids)

    @overload
    def __getitem__(self, index: int) -> PartnerLine: ...

    @overload
    def __getitem__(self, index: slice) -> list[PartnerLine]: ...

    def __getitem__(self, index: int | slice) -> PartnerLine | list[PartnerLine]:
        """The line at a position (or a list of them for a slice)."""
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        row = self.order[index] if self.order is not None else range(len(self))[index]
        return self.plan.line(row)

    def __iter__(self) -> Iterator[PartnerLine]:
        """The lines in order."""
        return (self[i] for i in range(len(self)))


class ById(Mapping[str, PartnerLine]):
    """The partners' lines by id, made on demand."""

    def __init__(self, plan: PostData) -> None:
        self.plan = plan

    def __getitem__(self, partner_id: str) -> PartnerLine:
        """The partner's line; KeyError for an unknown id."""
        return self.plan.line(self.plan.row[partner_id])

    def __iter__(self) -> Iterator[str]:
        """Every partner id."""
        return iter(self.plan.columns.ids)

    def __len__(self) -> int:
        """How many partners."""
        return len(self.plan.columns.ids)

    def __contains__(self, partner_id: object) -> bool:
        """Whether the id is a partner's."""
        return partner_id in self.plan.row


@dataclass(frozen=True)
class PostData:
    """One post's plan: ranking, model terms, the post's asks."""

    post: PostFacts
    columns: Columns
    terms: Mapping[str, float]  # p_c · x_c per partner
    x0: float
    universe: float
    asks: tuple[AskRow, ...]  # this post's asks, newest first
    ranking: Ranking  # the core's figures as arrays (partner order), for choosing asks
    model: planning.PostModel = field(repr=False)  # for the Monte Carlo (cascade_range)
    _cache: dict[int, PartnerLine] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def row(self) -> dict[str, int]:
        """Each partner's row in rank order."""
        return {pid: i for i, pid in enumerate(self.columns.ids)}

    def line(self, row: int) -> PartnerLine:
        """The line of the partner at a rank (the last few asked for are kept)."""
        found = self._cache.get(row)
        if found is None:
            if len(self._cache) >= CACHED_LINES:
                self._cache.clear()
            found = self._cache[row] = self.columns.line(row)
        return found

    @property
    def lines(self) -> Lines:
        """Every partner's line, best added reach first."""
        return Lines(self)

    @property
    def by_id(self) -> ById:
        """Every partner's line by id."""
        return ById(self)

    @property
    def alone(self) -> float:
        """``R(∅)``: the post's reach through the business's own channels."""
        return self.universe * self.x0

    def reach(self, chosen: Collection[str]) -> float:
        """``R(S)``: the expected unique reach with the chosen asks (first degree)."""
        return leverage.expected_reach(self.x0, (self.terms[c] for c in chosen
                                                 if c in self.terms), self.universe)

    def effort(self, chosen: Collection[str]) -> float:
        """Minutes of asking the chosen partners takes."""
        effort, row = self.columns.effort, self.row
        return sum(effort[row[c]] for c in chosen if c in row)

    def suggestion(self, budget_minutes: float) -> set[str]:
        """The budgeted greedy choice of asks (best single partner checked).

        As the command line's (:func:`~socialdesk.core.planner.planning.not_suggested`):
        never a partner the planner warns was asked too often lately, nor one whose chance
        shows below 1%; the user may still tick them.
        """
        import numpy as np

        from socialdesk.core.planner.ranking import choose

        r, partners = self.ranking, self.ranking.partners
        allowed = ~np.asarray(self.columns.overasked, dtype=bool) & (
            r.p[r.order] >= planning.MIN_SUGGESTED_P)
        picked = choose(r.term, partners.effort, partners.name_rank, r.order[allowed],
                        budget_minutes)
        return {partners.ids[i] for i in picked}

    def asked_partners(self) -> set[str]:
        """Partners already asked for this post who have not declined or stayed silent."""
        asked = {str(a.contact_id) for a in self.asks if a.status in ("asked", "agreed", "shared")}
        return {c for c in asked if c in self.terms}  # not set(terms): 50,000 partners

    def picture(self, ws: Workspace, chosen: Collection[str], size: int = PICTURE_SIZE
                ) -> tuple[list[PartnerLine], list[tuple[str, str, float]]]:
        """The partners to draw (the best ``size`` plus any chosen) and the links among them.

        The links are read from ``ws`` for those partners alone (a few milliseconds).
        """
        from socialdesk.core.planner.graph import links_among  # numpy: when it is needed

        rows = sorted(set(range(min(size, len(self.columns.ids))))
                      | {self.row[c] for c in chosen if c in self.row})
        shown = [self.line(i) for i in rows]
        return shown, links_among(ws, [line.id for line in shown])


def cascade_range(path: Path, data: PostData, asked: Collection[str]) -> CascadeSummary:
    """Worker: the Monte Carlo range of these asks, as ``socialdesk plan`` works it out.

    The links the asks can take are read for them, on the worker's own connection.
    """
    with Workspace.open_readonly(path) as ws:
        model = data.model.cascade_near(ws, asked)
    return model.run(sorted(asked), MC_RUNS, MC_SEED)


def plan_for_post(ws: Workspace, facts: WorkspaceFacts, post_id: int) -> PostData:
    """Rank every partner for a post; raises LookupError when the post does not exist."""
    post_asks = tuple(asks.asks_for_post(ws, post_id))
    status = {a.contact_id: a.status for a in reversed(post_asks)}  # the newest wins
    # Asks for this post do not count towards the "asked too often" warning either.
    today = facts.model.today
    window_start = (today - timedelta(days=FATIGUE_WINDOW_DAYS)).isoformat()
    this_post: dict[int, int] = {}
    for a in post_asks:
        if window_start < a.asked_on <= today.isoformat():
            this_post[a.contact_id] = this_post.get(a.contact_id, 0) + 1
    with collection_paused():  # 50,000 partners' figures as lists
        model = planning.post_model(ws, post_id, facts.model)
        check_presence()  # the user left the planner: plan the post when it shows again
        columns = _columns(model, facts, status, this_post)
    data = PostData(
        post=model.post, columns=columns, terms=model.terms, x0=model.x0,
        universe=facts.model.params.universe, asks=post_asks, ranking=model.ranking,
        model=model)
    check_presence()
    data.row  # noqa: B018 (50,000 partners' rows: worked out here, not on the GUI thread)
    return data


def _columns(model: planning.PostModel, facts: WorkspaceFacts, status: Mapping[int, str],
             this_post: Mapping[int, int]) -> Columns:
    """Every partner's figures in rank order, from the core's arrays.

    Stops at a :func:`check_presence` between the figures (tens of milliseconds each for
    50,000 partners) once the user left the planner.
    """
    from socialdesk.core.planner.partner_columns import (
        calibrated_probabilities,
        share_likelihoods,
    )

    r, c = model.ranking, model.partners
    order = r.order
    at = order.tolist()
    ids = [c.ids[i] for i in at]
    names = [c.names[i] for i in at]
    cids = [int(pid) for pid in ids]
    check_presence()
    recent_asks, limit = facts.recent_asks, facts.warning_count
    recent = [recent_asks.get(cid, 0) - this_post.get(cid, 0) for cid in cids]
    overasked = [n > limit for n in recent]
    last_other, last_asked = model.last_other_asks, model.base.last_asked_on
    last = [last_other[cid] if cid in last_other else last_asked[i]
            for cid, i in zip(cids, at, strict=True)]
    check_presence()
    post_status = [status.get(cid) for cid in cids]
    effort = [c.effort_minutes[i] for i in at]
    likelihoods = share_likelihoods(c, model.base.params)[order]
    check_presence()
    return Columns(
        ids=ids, names=names, p=r.p[order].tolist(),
        fit=r.fit[order].tolist(), audience=c.audience[order].tolist(),
        reach=r.reach[order].tolist(), added=r.added[order].tolist(),
        effort=effort, strength=c.strength[order].tolist(),
        asked=c.asked[order].tolist(), shared=c.shared[order].tolist(),
        last_asked=last, recent=recent, overasked=overasked, status=post_status,
        likelihood=likelihoods.tolist(),
        rested=calibrated_probabilities(likelihoods, model.base.params).tolist(),
        raw_p=r.raw_p[order].tolist())
