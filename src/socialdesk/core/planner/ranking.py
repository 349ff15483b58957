"""Every partner ranked for one post, computed on the columns; estimate objects made on demand.

:func:`rank` works out each partner's ``E_c``, ``p_c`` and added reach for a post as
arrays (:mod:`.partner_columns`) and orders them (best added reach first, then less
effort, then name); :func:`choose` is the budgeted greedy choice of asks on those arrays.
A :class:`~socialdesk.core.planner.leverage.PartnerEstimate` is made only for a partner
looked at (the chosen ones, a table's visible rows): a huge workspace has 50,000 partners.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import overload

import numpy as np

from socialdesk.core.planner.leverage import (
    AudienceInput,
    ModelParams,
    PartnerEstimate,
    PartnerInput,
    Plan,
    PostInput,
    expected_reach,
    marginal_reaches,
    own_reach,
)
from socialdesk.core.planner.partner_columns import (
    PartnerColumns,
    calibrated_probabilities,
    name_ranks,
    partner_reach,
    raw_ask_probabilities,
)


@dataclass(frozen=True, eq=False)
class Ranking:
    """One post's figures for every partner (arrays in partner order) and their rank order."""

    partners: PartnerColumns
    alone: float  # R(∅)
    universe: float
    p: np.ndarray
    raw_p: np.ndarray  # p before the calibration
    fit: np.ndarray
    reach: np.ndarray  # E_c
    term: np.ndarray  # p_c · x_c
    added: np.ndarray  # R({c}) − R(∅)
    order: np.ndarray  # partner positions, best added reach first

    @property
    def x0(self) -> float:
        """``x_0``: the share of the universe the own channels reach."""
        return min(1.0, self.alone / self.universe)

    @cached_property
    def terms(self) -> dict[str, float]:
        """Each partner's ``p_c · x_c`` by id."""
        return dict(zip(self.partners.ids, self.term.tolist(), strict=True))

    @cached_property
    def rank_of(self) -> np.ndarray:
        """Each partner's place in the ranking, by position."""
        rank = np.empty(len(self.order), dtype=np.int64)
        rank[self.order] = np.arange(len(self.order))
        return rank

    @cached_property
    def ranked(self) -> RankedEstimates:
        """Every partner's estimate, best added reach first (each made when looked at)."""
        return RankedEstimates(self)

    def estimate(self, i: int) -> PartnerEstimate:
        """The estimate of the partner at position ``i``."""
        c = self.partners
        return PartnerEstimate(
            id=c.ids[i], name=c.names[i], p=float(self.p[i]), fit=float(self.fit[i]),
            audience=int(c.audience[i]), reach_if_shared=float(self.reach[i]),
            added_reach=float(self.added[i]), effort_minutes=c.effort_minutes[i],
            raw_p=float(self.raw_p[i]))

    def positions(self, ids: Collection[str]) -> list[int]:
        """The positions of the given partners (unknown ids left out), in rank order."""
        index = self.partners.position
        found = np.fromiter({index[pid] for pid in ids if pid in index}, dtype=np.int64)
        ordered: list[int] = found[np.argsort(self.rank_of[found])].tolist()  # ranks differ
        return ordered

    def plan(self, budget_minutes: float | None = 60, max_asks: int | None = None,
             chosen_ids: Collection[str] | None = None, skip: Collection[str] = ()) -> Plan:
        """The asks chosen for the budget (or ``chosen_ids``, in rank order) and their reach."""
        if chosen_ids is None:
            allowed = np.ones(len(self.order), dtype=bool)
            allowed[self.positions(skip)] = False
            chosen = choose(self.term, self.partners.effort, self.partners.name_rank,
                            self.order[allowed[self.order]], budget_minutes, max_asks)
        else:
            chosen = self.positions(chosen_ids)
        ids, effort = self.partners.ids, self.partners.effort_minutes
        x0 = self.x0
        return Plan(
            own_reach=self.alone,
            expected_reach=expected_reach(x0, self.term[chosen].tolist(), self.universe),
            effort_minutes=sum(effort[i] for i in chosen),
            chosen=tuple(self.estimate(i) for i in chosen), ranked=self.ranked,
            marginal=marginal_reaches(x0, self.terms, [ids[i] for i in chosen],
                                      self.universe),
        )


@dataclass(frozen=True, slots=True)
class PartnerFigures:
    """Some partners' figures, one list per figure."""

    ids: list[str]
    names: list[str]
    p: list[float]
    fit: list[float]
    added: list[float]
    effort_minutes: list[float]

    @staticmethod
    def ids_of(estimates: Sequence[PartnerEstimate]) -> list[str]:
        """The ids of the given estimates, in order (of every ranked one, from the arrays)."""
        if isinstance(estimates, RankedEstimates):
            return estimates.ids()
        return [e.id for e in estimates]

    @classmethod
    def of(cls, estimates: Sequence[PartnerEstimate]) -> PartnerFigures:
        """The figures of the given estimates (of every ranked one, made from the arrays)."""
        if isinstance(estimates, RankedEstimates):
            return estimates.figures()
        return cls([e.id for e in estimates], [e.name for e in estimates],
                   [e.p for e in estimates], [e.fit for e in estimates],
                   [e.added_reach for e in estimates], [e.effort_minutes for e in estimates])


class RankedEstimates(Sequence[PartnerEstimate]):
    """The partners' estimates in rank order, each made when asked for."""

    def __init__(self, ranking: Ranking) -> None:
        self.ranking = ranking

    def __len__(self) -> int:
        """How many partners."""
        return len(self.ranking.order)

    @overload
    def __getitem__(self, index: int) -> PartnerEstimate: ...

    @overload
    def __getitem__(self, index: slice) -> list[PartnerEstimate]: ...

    def __getitem__(self, index: int | slice) -> PartnerEstimate | list[PartnerEstimate]:
        """The estimate at a rank (or a list of them for a slice)."""
        if isinstance(index, slice):
            return [self.ranking.estimate(i) for i in self.ranking.order[index].tolist()]
        return self.ranking.estimate(int(self.ranking.order[index]))

    def __iter__(self) -> Iterator[PartnerEstimate]:
        """Every estimate, best first."""
        estimate = self.ranking.estimate
        return (estimate(i) for i in self.ranking.order.tolist())

    def index(self, value: object, start: int = 0, stop: int | None = None) -> int:
        """The rank of an estimate (ValueError when it is not one of these)."""
        if isinstance(value, PartnerEstimate) and value.id in self.ranking.partners.position:
            rank = int(self.ranking.rank_of[self.ranking.partners.position[value.id]])
            if start <= rank < (len(self) if stop is None else stop) and self[rank] == value:
                return rank
        raise ValueError(f"{value!r} is not ranked here")

    def ids(self) -> list[str]:
        """Every partner's id in rank order (no estimate objects)."""
        return list(map(self.ranking.partners.ids.__getitem__, self.ranking.order.tolist()))

    def figures(self) -> PartnerFigures:
        """Every partner's figures as lists in rank order (no estimate objects)."""
        r, order = self.ranking, self.ranking.order
        at = order.tolist()
        c = r.partners
        return PartnerFigures(
            ids=list(map(c.ids.__getitem__, at)), names=list(map(c.names.__getitem__, at)),
            p=r.p[order].tolist(), fit=r.fit[order].tolist(), added=r.added[order].tolist(),
            effort_minutes=list(map(c.effort_minutes.__getitem__, at)))

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same estimates in the same order."""
        if not isinstance(other, Sequence) or len(other) != len(self):
            return False
        return all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


def rank(partners: PartnerColumns, channels: Sequence[AudienceInput], post: PostInput,
         params: ModelParams) -> Ranking:
    """Every partner's figures for the post, and the ranking by added reach."""
    universe = params.universe
    x0 = min(1.0, own_reach(channels, post, params) / universe)
    reach, mean_fit = partner_reach(partners, post, params)
    raw = raw_ask_probabilities(partners, params)
    p = calibrated_probabilities(raw, params)
    term = p * np.minimum(1.0, reach / universe)
    # R({c}) − R(∅) = U (1 − x0) t_c
    added = universe * (1.0 - x0) * term
    order = np.lexsort((partners.name_rank, partners.effort, -added))
    return Ranking(partners=partners, alone=expected_reach(x0, (), universe),
                   universe=universe, p=p, raw_p=raw, fit=mean_fit, reach=reach, term=term,
                   added=added, order=order)


def choose(term: np.ndarray, effort: np.ndarray, name_rank: np.ndarray,
           candidates: np.ndarray, budget_minutes: float | None,
           max_asks: int | None = None) -> list[int]:
    """The asks to make within the budget, at most ``max_asks``: positions among ``candidates``.

    Budgeted greedy picks by marginal reach per effort minute, skipping partners who no
    longer fit in the budget and stopping at ``max_asks``; the result is compared with
    the best single affordable partner and the better kept, as the budgeted
    maximum-coverage guarantee requires. Without a budget the pick is by marginal reach
    alone (top-k greedy, which is optimal here). Both limits always hold. Ties go to the
    less effort, then the name, then the earlier candidate.
    """
    limit = math.inf if max_asks is None else max_asks
    if limit <= 0:
        return []
    budget = math.inf if budget_minutes is None else budget_minutes
    affordable = candidates[(effort[candidates] <= budget) & (term[candidates] > 0)]
    t, e = term[affordable], effort[affordable]
    # Marginal gain of c given S is U·(1−x0)·Π_S(1−t)·t_c: the common factor does not
    # change the order, so greedy by gain (per minute) is a sort by t_c (/ effort).
    if budget_minutes is None:
        ordered = affordable[np.lexsort((name_rank[affordable], e, -t))]
        first: list[int] = ordered[: int(min(limit, len(ordered)))].tolist()
        return first
    ratio = -t / np.maximum(e, 1e-9)
    by_ratio = affordable[np.lexsort((name_rank[affordable], e, ratio))]
    chosen: list[int] = []
    spent = 0.0
    minutes_left = effort[by_ratio]
    # The least effort from each candidate on: once even that no longer fits, nothing will.
    least = np.minimum.accumulate(minutes_left[::-1])[::-1].tolist()
    for k, (i, minutes) in enumerate(zip(by_ratio.tolist(), minutes_left.tolist(),
                                         strict=True)):
        if len(chosen) >= limit or spent + least[k] > budget:
            break
        if spent + minutes <= budget:
            chosen.append(i)
            spent += minutes
    if len(affordable):
        best_single = int(affordable[np.argmax(t)])
        miss = math.prod(1.0 - x for x in term[chosen].tolist())
        if miss > 1.0 - float(term[best_single]):
            return [best_single]
    return chosen


def estimate(
    partners: Sequence[PartnerInput],
    channels: Sequence[AudienceInput],
    post: PostInput,
    params: ModelParams,
) -> tuple[float, list[PartnerEstimate], dict[str, float]]:
    """``R(∅)``, every partner's estimate (best added reach first) and each ``p_c x_c``."""
    ranking = rank(PartnerColumns.of(partners), channels, post, params)
    return ranking.alone, list(ranking.ranked), ranking.terms


def choose_asks(
    estimates: Sequence[PartnerEstimate],
    terms: Mapping[str, float],
    budget_minutes: float | None,
    max_asks: int | None = None,
    skip: Collection[str] = (),
) -> list[PartnerEstimate]:
    """:func:`choose` among these estimates (never ``skip``), ties going to the earlier one."""
    given = [e for e in estimates if e.id not in skip]
    picked = choose(np.asarray([terms[e.id] for e in given], dtype=float),
                    np.asarray([e.effort_minutes for e in given], dtype=float),
                    name_ranks([e.name for e in given]), np.arange(len(given)),
                    budget_minutes, max_asks)
    return [given[i] for i in picked]


def plan(
    partners: Sequence[PartnerInput],
    channels: Sequence[AudienceInput],
    post: PostInput,
    params: ModelParams,
    budget_minutes: float | None = 60,
    max_asks: int | None = None,
    chosen_ids: Collection[str] | None = None,
) -> Plan:
    """Rank every partner for the post and choose the asks (first-degree model).

    With ``chosen_ids`` the asks are those partners (the user's choice) instead.
    """
    return rank(PartnerColumns.of(partners), channels, post, params).plan(
        budget_minutes, max_asks, chosen_ids)
