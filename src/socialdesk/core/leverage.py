"""The leverage model, v1 (DESIGN.md): what asking each partner would add to a post's reach.

This module holds the first-degree model: each partner's audience reach ``E_c``, share
probability ``p_c``, the expected unique reach ``R(S)`` of a set of asks, and the
budgeted greedy choice of asks. It is pure Python and knows nothing of the database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from socialdesk.core.settings import REACH_RATES


@dataclass(frozen=True, slots=True)
class AudienceInput:
    """One audience of a partner (or one own channel when ``topics`` is irrelevant)."""

    platform: str
    size: int
    topics: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PartnerInput:
    """What the model needs to know about one partner."""

    id: str
    name: str
    strength: float
    audiences: tuple[AudienceInput, ...]
    asked: int = 0
    shared: int = 0
    days_since_last_ask: float | None = None
    effort_minutes: float = 10


@dataclass(frozen=True, slots=True)
class ModelParams:
    """The workspace's leverage settings."""

    universe: float = 100_000
    cross_platform: float = 0.5
    reshare: float = 0.3
    fatigue_days: float = 14
    reach_rates: Mapping[str, float] = field(default_factory=lambda: dict(REACH_RATES))

    def rate(self, platform: str) -> float:
        """Share of an audience on ``platform`` that sees an ordinary post."""
        rates = self.reach_rates
        return rates.get(platform, rates.get("other", REACH_RATES["other"]))


@dataclass(frozen=True, slots=True)
class PostInput:
    """The post being planned: its topics and target platforms (empty: all)."""

    topics: frozenset[str] = frozenset()
    platforms: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PartnerEstimate:
    """One partner's figures for one post."""

    id: str
    name: str
    p: float
    fit: float
    audience: int
    reach_if_shared: float
    added_reach: float
    effort_minutes: float


def _g(platform: str, post: PostInput, params: ModelParams) -> float:
    return 1.0 if not post.platforms or platform in post.platforms else params.cross_platform


def fit(audience: AudienceInput, post: PostInput) -> float:
    """How well an audience's topics match the post's (0.2–1, or 0.5 when unknown)."""
    if not post.topics or not audience.topics:
        return 0.5
    return 0.2 + 0.8 * len(post.topics & audience.topics) / len(post.topics)


def audience_reach(
    audiences: Iterable[AudienceInput], post: PostInput, params: ModelParams
) -> tuple[float, float]:
    """``E_c`` and the reach-weighted mean fit of a partner's audiences."""
    reach = weight = 0.0
    for a in audiences:
        seen = a.size * params.rate(a.platform) * _g(a.platform, post, params)
        weight += seen
        reach += seen * fit(a, post)
    return reach, (reach / weight if weight else 0.0)


def own_reach(channels: Iterable[AudienceInput], post: PostInput, params: ModelParams) -> float:
    """``O``: the business's own channels' reach for the post (fit 1)."""
    return sum(c.size * params.rate(c.platform) * _g(c.platform, post, params) for c in channels)


def prior(strength: float) -> float:
    """``π_c``: share likelihood before any ask, from tie strength in [0, 1]."""
    return 0.05 + 0.6 * min(1.0, max(0.0, strength))


def posterior(strength: float, asked: int, shared: int) -> float:
    """``q_c = (k + 2π_c) / (n + 2)``: the prior updated by k shares in n resolved asks."""
    return (shared + 2 * prior(strength)) / (asked + 2)


def share_likelihood(partner: PartnerInput) -> float:
    """``q_c`` of a partner."""
    return posterior(partner.strength, partner.asked, partner.shared)


def freshness(days_since_last_ask: float | None, fatigue_days: float = 14) -> float:
    """``φ_c``: 1 when never asked, lower when asked recently."""
    if days_since_last_ask is None:
        return 1.0
    return 1.0 - math.exp(-max(0.0, days_since_last_ask) / fatigue_days)


def ask_probability(partner: PartnerInput, params: ModelParams) -> float:
    """``p_c = q_c · φ_c``: the chance the partner shares if asked now."""
    return share_likelihood(partner) * freshness(partner.days_since_last_ask, params.fatigue_days)


def expected_reach(x0: float, terms: Iterable[float], universe: float) -> float:
    """``R(S) = U (1 − (1 − x0) Π (1 − p_c x_c))`` for the chosen partners' ``p_c x_c``."""
    miss = 1.0 - x0
    for term in terms:
        miss *= 1.0 - term
    return universe * (1.0 - miss)


@dataclass(frozen=True, slots=True)
class Plan:
    """The model's answer for one post."""

    own_reach: float
    expected_reach: float
    effort_minutes: float
    chosen: tuple[PartnerEstimate, ...]
    ranked: tuple[PartnerEstimate, ...]

    @property
    def multiplier(self) -> float:
        """``R(S) / R(∅)``."""
        return self.expected_reach / self.own_reach if self.own_reach else 1.0


def estimate(
    partners: Sequence[PartnerInput],
    channels: Sequence[AudienceInput],
    post: PostInput,
    params: ModelParams,
) -> tuple[float, list[PartnerEstimate], dict[str, float]]:
    """``R(∅)``, every partner's estimate (best added reach first) and each ``p_c x_c``."""
    universe = params.universe
    x0 = min(1.0, own_reach(channels, post, params) / universe)
    alone = expected_reach(x0, (), universe)
    estimates, terms = [], {}
    for partner in partners:
        reach, mean_fit = audience_reach(partner.audiences, post, params)
        p = ask_probability(partner, params)
        terms[partner.id] = p * min(1.0, reach / universe)
        estimates.append(
            PartnerEstimate(
                id=partner.id, name=partner.name, p=p, fit=mean_fit,
                audience=sum(a.size for a in partner.audiences), reach_if_shared=reach,
                added_reach=expected_reach(x0, (terms[partner.id],), universe) - alone,
                effort_minutes=partner.effort_minutes,
            )
        )
    estimates.sort(key=lambda e: (-e.added_reach, e.effort_minutes, e.name))
    return alone, estimates, terms


def choose_asks(
    estimates: Sequence[PartnerEstimate],
    terms: Mapping[str, float],
    budget_minutes: float | None,
    max_asks: int | None = None,
) -> list[PartnerEstimate]:
    """The asks to make: top-k greedy with ``max_asks``, else budgeted greedy.

    Budgeted greedy picks by marginal reach per effort minute within the budget, then
    compares the result with the best single affordable partner and keeps the better,
    as the budgeted maximum-coverage guarantee requires.
    """
    if max_asks is not None:
        # The objective's gain for a partner is proportional to its own term, so
        # top-k greedy is a sort by term.
        ordered = sorted(estimates, key=lambda e: (-terms[e.id], e.effort_minutes, e.name))
        return [e for e in ordered[:max_asks] if terms[e.id] > 0]
    budget = math.inf if budget_minutes is None else budget_minutes
    affordable = [e for e in estimates if e.effort_minutes <= budget and terms[e.id] > 0]
    # Marginal gain of c given S is U·(1−x0)·Π_S(1−t)·t_c: the common factor does not
    # change the order, so greedy by gain per minute is a sort by t_c / effort.
    by_ratio = sorted(
        affordable, key=lambda e: (-terms[e.id] / max(e.effort_minutes, 1e-9), e.name)
    )
    chosen, spent = [], 0.0
    for e in by_ratio:
        if spent + e.effort_minutes <= budget:
            chosen.append(e)
            spent += e.effort_minutes
    best_single = max(affordable, key=lambda e: terms[e.id], default=None)
    if best_single is not None and _miss(chosen, terms) > 1.0 - terms[best_single.id]:
        return [best_single]
    return chosen


def _miss(chosen: Iterable[PartnerEstimate], terms: Mapping[str, float]) -> float:
    return math.prod(1.0 - terms[e.id] for e in chosen)


def plan(
    partners: Sequence[PartnerInput],
    channels: Sequence[AudienceInput],
    post: PostInput,
    params: ModelParams,
    budget_minutes: float | None = 60,
    max_asks: int | None = None,
) -> Plan:
    """Rank every partner for the post and choose the asks (first-degree model)."""
    alone, ranked, terms = estimate(partners, channels, post, params)
    chosen = choose_asks(ranked, terms, budget_minutes, max_asks)
    x0 = min(1.0, alone / params.universe)
    reach = expected_reach(x0, (terms[e.id] for e in chosen), params.universe)
    return Plan(
        own_reach=alone, expected_reach=reach,
        effort_minutes=sum(e.effort_minutes for e in chosen),
        chosen=tuple(chosen), ranked=tuple(ranked),
    )
