"""The leverage model, v1 (DESIGN.md): what asking each partner would add to a post's reach.

This module holds the first-degree model: each partner's audience reach ``E_c``, share
probability ``p_c``, the expected unique reach ``R(S)`` of a set of asks, and the
budgeted greedy choice of asks. The scalar functions state the formulas one value at a
time; ``partner_reach`` and ``ask_probabilities`` compute them for every partner at once
(numpy), which is what ranking uses. The second hop (links) is :mod:`cascade`. Nothing
here knows the database.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from socialdesk.core.settings import REACH_RATES

if TYPE_CHECKING:
    import numpy as np


# numpy is imported where it is used, so that opening the app does not wait for it.


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


class Link(NamedTuple):
    """A directed link: when ``source`` shares, ``target`` may share too (the second hop).

    A named tuple rather than a dataclass: a workspace may hold 100,000 of them.
    """

    source: str
    target: str
    weight: float = 0.5


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
    miss = 1.0
    for term in terms:
        miss *= 1.0 - term
    # U·x0 + U·(1 − x0)·(1 − Π): the same sum, without rounding noise in R(∅) = U·x0.
    return universe * (x0 + (1.0 - x0) * (1.0 - miss))


def partner_reach(
    partners: Sequence[PartnerInput], post: PostInput, params: ModelParams
) -> tuple[np.ndarray, np.ndarray]:
    """Every partner's ``E_c`` and reach-weighted mean fit, as arrays in partner order."""
    import numpy as np

    factor: dict[str, float] = {}
    owner: list[int] = []
    seen: list[float] = []
    fits: list[float] = []
    for i, partner in enumerate(partners):
        for a in partner.audiences:
            f = factor.get(a.platform)
            if f is None:
                f = factor[a.platform] = params.rate(a.platform) * _g(a.platform, post, params)
            owner.append(i)
            seen.append(a.size * f)
            fits.append(fit(a, post))
    n = len(partners)
    seen_a = np.asarray(seen, dtype=float)
    weight = np.bincount(owner, weights=seen_a, minlength=n) if owner else np.zeros(n)
    reach = np.bincount(owner, weights=seen_a * fits, minlength=n) if owner else np.zeros(n)
    mean_fit = np.divide(reach, weight, out=np.zeros(n), where=weight > 0)
    return reach, mean_fit


def share_likelihoods(partners: Sequence[PartnerInput]) -> np.ndarray:
    """Every partner's ``q_c``, as an array in partner order."""
    import numpy as np

    strength = np.clip([c.strength for c in partners], 0.0, 1.0)
    asked = np.asarray([c.asked for c in partners], dtype=float)
    shared = np.asarray([c.shared for c in partners], dtype=float)
    likelihoods: np.ndarray = (shared + 2 * (0.05 + 0.6 * strength)) / (asked + 2)
    return likelihoods


def ask_probabilities(partners: Sequence[PartnerInput], params: ModelParams) -> np.ndarray:
    """Every partner's ``p_c = q_c · φ_c``, as an array in partner order."""
    import numpy as np

    days = np.asarray(
        [math.inf if c.days_since_last_ask is None else max(0.0, c.days_since_last_ask)
         for c in partners], dtype=float)
    return share_likelihoods(partners) * -np.expm1(-days / params.fatigue_days)


@dataclass(frozen=True, slots=True)
class CascadeSummary:
    """The Monte Carlo estimate of a post's reach with a set of asks and the second hop."""

    mean: float
    p10: float
    p90: float
    runs: int
    mean_sharers: float


@dataclass(frozen=True, slots=True)
class Plan:
    """The model's answer for one post."""

    own_reach: float
    expected_reach: float
    effort_minutes: float
    chosen: tuple[PartnerEstimate, ...]
    ranked: tuple[PartnerEstimate, ...]
    cascade: CascadeSummary | None = None

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
    import numpy as np

    universe = params.universe
    x0 = min(1.0, own_reach(channels, post, params) / universe)
    alone = expected_reach(x0, (), universe)
    reach, mean_fit = partner_reach(partners, post, params)
    p = ask_probabilities(partners, params)
    term = p * np.minimum(1.0, reach / universe)
    # R({c}) − R(∅) = U (1 − x0) t_c
    added = universe * (1.0 - x0) * term
    estimates = [
        PartnerEstimate(
            id=c.id, name=c.name, p=float(p[i]), fit=float(mean_fit[i]),
            audience=sum(a.size for a in c.audiences), reach_if_shared=float(reach[i]),
            added_reach=float(added[i]), effort_minutes=c.effort_minutes,
        )
        for i, c in enumerate(partners)
    ]
    estimates.sort(key=lambda e: (-e.added_reach, e.effort_minutes, e.name))
    return alone, estimates, dict(zip((c.id for c in partners), term.tolist(), strict=True))


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


def marginal_reach(x0: float, terms: Mapping[str, float], chosen: Collection[str],
                   partner_id: str, universe: float) -> float:
    """What a partner adds given the chosen asks S.

    ``R(S) − R(S − {c})`` for a chosen partner, ``R(S ∪ {c}) − R(S)`` for any other.
    """
    others = [terms[c] for c in chosen if c != partner_id and c in terms]
    return (expected_reach(x0, [*others, terms[partner_id]], universe)
            - expected_reach(x0, others, universe))


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
    alone, ranked, terms = estimate(partners, channels, post, params)
    return plan_ranked(alone, ranked, terms, params.universe, budget_minutes, max_asks,
                       chosen_ids)


def plan_ranked(
    alone: float,
    ranked: Sequence[PartnerEstimate],
    terms: Mapping[str, float],
    universe: float,
    budget_minutes: float | None = 60,
    max_asks: int | None = None,
    chosen_ids: Collection[str] | None = None,
) -> Plan:
    """The plan from :func:`estimate`'s answer: the asks chosen (or given) and their reach."""
    if chosen_ids is None:
        chosen = choose_asks(ranked, terms, budget_minutes, max_asks)
    else:
        chosen = [e for e in ranked if e.id in chosen_ids]
    x0 = min(1.0, alone / universe)
    reach = expected_reach(x0, (terms[e.id] for e in chosen), universe)
    return Plan(
        own_reach=alone, expected_reach=reach,
        effort_minutes=sum(e.effort_minutes for e in chosen),
        chosen=tuple(chosen), ranked=tuple(ranked),
    )
