"""Every partner as columns (numpy arrays): what the leverage model computes on.

A huge workspace has 50,000 partners with 150,000 audiences. :class:`PartnerColumns`
keeps them as a few arrays read straight from the workspace (``store.planning.partner_rows``)
or made once from :class:`~socialdesk.core.planner.leverage.PartnerInput` objects (a
scenario file, tests): the model's figures for every partner are computed from the arrays
(:func:`partner_reach`, :func:`raw_ask_probabilities`), and a partner's object is made only
when asked for (it is a sequence of ``PartnerInput``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from itertools import repeat
from typing import overload

import numpy as np

from socialdesk.core.planner.leverage import (
    AudienceInput,
    ModelParams,
    PartnerInput,
    PostInput,
    fit,
)
from socialdesk.store.planning import PartnerRows


@dataclass(frozen=True, eq=False)
class PartnerColumns(Sequence[PartnerInput]):
    """The partners in the model's terms, one array (or list) per figure, in partner order.

    ``days`` is the days since each partner's last ask counted for fatigue (NaN: never
    asked). The audiences come partner by partner: ``owner`` is each one's partner.
    """

    ids: list[str]  # the model's partner ids (a workspace's: the contact id as text)
    names: list[str]
    strength: np.ndarray
    effort_minutes: list[float]  # as given (whole minutes from a workspace)
    asked: np.ndarray
    shared: np.ndarray
    days: np.ndarray  # float64, NaN: never asked
    owner: np.ndarray  # int64 partner positions, non-decreasing
    size: np.ndarray  # int64
    platform: np.ndarray  # int64 codes into platforms
    platforms: tuple[str, ...]
    topics: np.ndarray  # int64 codes into topic_sets
    topic_sets: tuple[frozenset[str], ...]

    @classmethod
    def of(cls, partners: Sequence[PartnerInput]) -> PartnerColumns:
        """The partners as columns (given columns are returned as they are)."""
        if isinstance(partners, PartnerColumns):
            return partners
        platforms: dict[str, int] = {}
        sets: dict[frozenset[str], int] = {}
        owner, size, platform, topics = [], [], [], []
        for i, c in enumerate(partners):
            for a in c.audiences:
                owner.append(i)
                size.append(a.size)
                platform.append(platforms.setdefault(a.platform, len(platforms)))
                topics.append(sets.setdefault(a.topics, len(sets)))
        return cls(
            ids=[c.id for c in partners], names=[c.name for c in partners],
            strength=np.asarray([c.strength for c in partners], dtype=float),
            effort_minutes=[c.effort_minutes for c in partners],
            asked=np.asarray([c.asked for c in partners]),
            shared=np.asarray([c.shared for c in partners]),
            days=np.asarray([math.nan if c.days_since_last_ask is None
                             else c.days_since_last_ask for c in partners], dtype=float),
            owner=np.asarray(owner, dtype=np.int64), size=np.asarray(size, dtype=np.int64),
            platform=np.asarray(platform, dtype=np.int64), platforms=tuple(platforms),
            topics=np.asarray(topics, dtype=np.int64), topic_sets=tuple(sets))

    @classmethod
    def from_rows(cls, rows: PartnerRows, today: date) -> PartnerColumns:
        """A workspace's partners (``store.planning.partner_rows``), fatigue as of ``today``."""
        return cls(
            ids=list(map(str, rows.ids.tolist())), names=rows.names,
            strength=rows.strength, effort_minutes=rows.effort_minutes.tolist(), asked=rows.asked,
            shared=rows.shared, days=days_since(today, rows.last_asked_on),
            owner=rows.owner, size=rows.size, platform=rows.platform,
            platforms=rows.platforms, topics=rows.topics, topic_sets=rows.topic_sets)

    def with_days(self, days: Mapping[str, float | None]) -> PartnerColumns:
        """The same partners with other days since the last ask for some (by id)."""
        if not days:
            return self
        changed = self.days.copy()
        for pid, d in days.items():
            if pid in self.position:
                changed[self.position[pid]] = math.nan if d is None else d
        other = replace(self, days=changed)
        # What is worked out from the other columns holds for both (50,000 partners).
        vars(other).update({k: v for k, v in vars(self).items() if k in _NOT_FROM_DAYS})
        return other

    @cached_property
    def position(self) -> dict[str, int]:
        """Each partner's position by id."""
        return dict(zip(self.ids, range(len(self.ids)), strict=True))

    @cached_property
    def name_rank(self) -> np.ndarray:
        """Each partner's place in name order, equal names sharing one (a sort key)."""
        return name_ranks(self.names)

    @cached_property
    def effort(self) -> np.ndarray:
        """Every partner's effort in minutes (float64)."""
        return np.asarray(self.effort_minutes, dtype=float)

    @cached_property
    def starts(self) -> np.ndarray:
        """Where each partner's audiences begin (and, last, where the last ones end)."""
        return np.searchsorted(self.owner, np.arange(len(self.ids) + 1))

    @cached_property
    def audience(self) -> np.ndarray:
        """Every partner's total audience (int64)."""
        total = np.zeros(len(self.ids), dtype=np.int64)
        np.add.at(total, self.owner, self.size)
        return total

    def __len__(self) -> int:
        """How many partners."""
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> PartnerInput: ...

    @overload
    def __getitem__(self, index: slice) -> list[PartnerInput]: ...

    def __getitem__(self, index: int | slice) -> PartnerInput | list[PartnerInput]:
        """The partner at a position, as the model's input object (made now)."""
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = range(len(self.ids))[index]
        a, b = int(self.starts[i]), int(self.starts[i + 1])
        days = float(self.days[i])
        return PartnerInput(
            id=self.ids[i], name=self.names[i], strength=float(self.strength[i]),
            audiences=tuple(AudienceInput(self.platforms[p], s, self.topic_sets[t])
                            for p, s, t in zip(self.platform[a:b].tolist(),
                                               self.size[a:b].tolist(),
                                               self.topics[a:b].tolist(), strict=True)),
            asked=int(self.asked[i]), shared=int(self.shared[i]),
            days_since_last_ask=None if math.isnan(days) else days,
            effort_minutes=self.effort_minutes[i])

    def __iter__(self) -> Iterator[PartnerInput]:
        """Every partner's input object, in order (made now: slow for many)."""
        return (self[i] for i in range(len(self)))


_NOT_FROM_DAYS = frozenset({"position", "name_rank", "effort", "starts", "audience"})


def name_ranks(names: Sequence[str]) -> np.ndarray:
    """Each name's place in sorted order, equal names sharing one (as a sort key).

    The place of a name is how many names sort before it: worked out once per distinct
    name (a huge workspace's 50,000 partners have about 5,000).
    """
    place: dict[str, int] = {}
    before = 0
    for name, count in sorted(Counter(names).items()):
        place[name] = before
        before += count
    return np.fromiter(map(place.__getitem__, names), dtype=np.int64, count=len(names))


def days_since(today: date, days: Sequence[str | None]) -> np.ndarray:
    """Whole days from each ISO date to ``today`` (NaN for no date)."""
    known: dict[str | None, float] = {
        iso: float((today - date.fromisoformat(iso)).days) for iso in set(days) if iso}
    return np.fromiter(map(known.get, days, repeat(math.nan)), dtype=float, count=len(days))


def partner_reach(partners: Sequence[PartnerInput], post: PostInput, params: ModelParams
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Every partner's ``E_c`` and reach-weighted mean fit, as arrays in partner order.

    As ``leverage.audience_reach`` states for one partner: ``E_c = m_c + extra_platforms ·
    (Σ s_a − m_c)``, the fit the mean of the audiences' weighted by ``size · rate · g``.
    """
    from socialdesk.core.planner.leverage import _g

    partners = PartnerColumns.of(partners)
    n = len(partners)
    if not len(partners.owner):
        return np.zeros(n), np.full(n, 0.5)
    factor = np.asarray([params.rate(p) * _g(p, post, params) for p in partners.platforms],
                        dtype=float)
    fits = np.asarray([fit(AudienceInput("", 0, t), post) for t in partners.topic_sets],
                      dtype=float)
    seen_a = partners.size.astype(float) * factor[partners.platform]
    s_a = seen_a * fits[partners.topics]
    owner_a = partners.owner
    weight = np.bincount(owner_a, weights=seen_a, minlength=n)
    total = np.bincount(owner_a, weights=s_a, minlength=n)
    # Audiences come partner by partner: each partner's largest s_a over its run of rows.
    starts = np.flatnonzero(np.r_[True, owner_a[1:] != owner_a[:-1]])
    main = np.zeros(n)
    main[owner_a[starts]] = np.maximum.reduceat(s_a, starts)
    reach = main + params.extra_platforms * (total - main)
    mean_fit = np.divide(total, weight, out=np.full(n, 0.5), where=weight > 0)
    return reach, mean_fit


def share_likelihoods(partners: Sequence[PartnerInput],
                      params: ModelParams | None = None) -> np.ndarray:
    """Every partner's ``q_c``, as an array in partner order."""
    partners, params = PartnerColumns.of(partners), params or ModelParams()
    return likelihoods_of(partners.strength, partners.asked.astype(float),
                          partners.shared.astype(float), params)


def likelihoods_of(strength: np.ndarray, asked: np.ndarray, shared: np.ndarray,
                   params: ModelParams) -> np.ndarray:
    """``q_c`` from arrays of strengths, resolved asks and shares."""
    pi = np.clip(params.prior_a + params.prior_b * np.clip(strength, 0.0, 1.0), 0.01, 0.95)
    likelihoods: np.ndarray = (shared + 2 * pi) / (asked + 2)
    return likelihoods


def ask_probabilities(partners: Sequence[PartnerInput], params: ModelParams) -> np.ndarray:
    """Every partner's ``p_c = q_c · φ_c`` (calibrated when on), in partner order."""
    return calibrated_probabilities(raw_ask_probabilities(partners, params), params)


def raw_ask_probabilities(partners: Sequence[PartnerInput], params: ModelParams
                          ) -> np.ndarray:
    """Every partner's ``q_c · φ_c`` before the calibration, in partner order."""
    partners = PartnerColumns.of(partners)
    days = np.where(np.isnan(partners.days), math.inf, np.maximum(partners.days, 0.0))
    raw: np.ndarray = share_likelihoods(partners, params) * freshnesses(days, params)
    return raw


def freshnesses(days_since_last_ask: np.ndarray, params: ModelParams) -> np.ndarray:
    """Every ``φ_c`` from days since the last ask (``inf``: never asked)."""
    phi: np.ndarray = -np.expm1(-np.maximum(days_since_last_ask, 0.0) / params.fatigue_days)
    return phi


def calibrated_probabilities(raw: np.ndarray, params: ModelParams) -> np.ndarray:
    """``σ(α + β · logit(raw))`` of every p (0 and 1, and the identity, left as they are)."""
    alpha, beta = params.calibration_alpha, params.calibration_beta
    if (alpha, beta) == (0.0, 1.0):
        return raw
    inside = (raw > 0) & (raw < 1)
    r = np.where(inside, raw, 0.5)
    z = alpha + beta * (np.log(r) - np.log1p(-r))
    p: np.ndarray = np.where(inside, 0.5 * (1.0 + np.tanh(z / 2)), raw)  # σ(z), no overflow
    return p
