"""The leverage model, v2 (DESIGN.md): what asking each partner would add to a post's reach.

This module holds the first-degree model: each partner's reach if they share ``E_c`` (one
main platform per share), share probability ``p_c``, the expected unique reach ``R(S)`` of
a set of asks, each partner's marginal reach, and the budgeted greedy choice of asks.
Ranking computes them for every partner at once on arrays (:mod:`.partner_columns`,
:mod:`.ranking`); :func:`audience_reach` and :mod:`likelihood` state the formulas one
partner at a time. The reshares along links are :mod:`cascade`. Nothing here knows the
database.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from socialdesk.core.settings import REACH_RATES

if TYPE_CHECKING:
    pass


# numpy is imported where it is used, so that opening the app does not wait for it.

MAX_HOPS = 4  # the cascade's longest chain: asked partners' shares, then three reshares
MODEL_VERSION = 2  # stored with each ask's forecast (its track record)
FATIGUE_WINDOW_DAYS = 30  # asks counted for the warning before asking someone too often


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
    """The workspace's leverage settings (DESIGN.md's defaults)."""

    universe: float = 100_000
    cross_platform: float = 0.5
    reshare: float = 0.15
    fatigue_days: float = 14
    reach_rates: Mapping[str, float] = field(default_factory=lambda: dict(REACH_RATES))
    extra_platforms: float = 0.2  # what a share adds beyond the partner's main platform
    max_hops: int = 2  # the asked partners' shares, then max_hops − 1 levels of reshares
    prior_a: float = 0.05  # π_c = clip(a + b · strength, 0.01, 0.95)
    prior_b: float = 0.6
    calibration_alpha: float = 0.0  # p_c = σ(α + β · logit(raw p_c)); (0, 1) leaves p as is
    calibration_beta: float = 1.0

    def __post_init__(self) -> None:
        """Platform names are compared in lower case."""
        object.__setattr__(self, "reach_rates",
                           {k.lower(): v for k, v in self.reach_rates.items()})

    def rate(self, platform: str) -> float:
        """Share of an audience on ``platform`` that sees an ordinary post."""
        rates = self.reach_rates
        return rates.get(platform.lower(), rates.get("other", REACH_RATES["other"]))


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
    raw_p: float | None = None  # p before the calibration (None: p itself)

    @property
    def model_p(self) -> float:
        """The model's own p, before any calibration: what the calibration is fitted on."""
        return self.p if self.raw_p is None else self.raw_p


def _g(platform: str, post: PostInput, params: ModelParams) -> float:
    """1 on a platform the post targets (or when it targets all), else ``cross_platform``."""
    if not post.platforms or platform.lower() in {p.lower() for p in post.platforms}:
        return 1.0
    return params.cross_platform


def fit(audience: AudienceInput, post: PostInput) -> float:
    """How well an audience's topics match the post's (0.2–1, or 0.5 when unknown)."""
    if not post.topics or not audience.topics:
        return 0.5
    return 0.2 + 0.8 * len(post.topics & audience.topics) / len(post.topics)


def audience_reach(
    audiences: Iterable[AudienceInput], post: PostInput, params: ModelParams
) -> tuple[float, float]:
    """``E_c`` and the partner's reported fit.

    ``E_c = m_c + extra_platforms · (Σ s_a − m_c)`` with ``m_c = max s_a``: a share goes
    out mainly where the post does best for the partner. The fit is the mean of the
    audiences' fit weighted by ``size · rate · g`` (0.5 when those weights are 0).
    """
    total = weight = weighted_fit = main = 0.0
    for a in audiences:
        seen = a.size * params.rate(a.platform) * _g(a.platform, post, params)
        s_a = seen * fit(a, post)
        weight += seen
        weighted_fit += s_a
        total += s_a
        main = max(main, s_a)
    reach = main + params.extra_platforms * (total - main)
    return reach, (weighted_fit / weight if weight else 0.5)


def own_reach(channels: Iterable[AudienceInput], post: PostInput, params: ModelParams) -> float:
    """``O``: the business's own channels' reach for the post (fit 1)."""
    return sum(c.size * params.rate(c.platform) * _g(c.platform, post, params) for c in channels)


def expected_reach(x0: float, terms: Iterable[float], universe: float) -> float:
    """``R(S) = U (1 − (1 − x0) Π (1 − p_c x_c))`` for the chosen partners' ``p_c x_c``.

    Written ``U (x0 − (1 − x0) expm1(Σ log1p(−p_c x_c)))``: the same sum, exact for
    R(∅) = U·x0 and without losing small terms when U is huge.
    """
    log_miss = math.fsum(math.log1p(-t) if t < 1.0 else -math.inf for t in terms)
    return universe * (x0 - (1.0 - x0) * math.expm1(log_miss))


@dataclass(frozen=True, slots=True)
class CascadeSummary:
    """The Monte Carlo estimate of a post's reach with a set of asks and the reshares."""

    mean: float
    median: float
    p10: float
    p90: float
    p_none: float  # share of runs in which no partner shares
    runs: int
    mean_sharers: float


@dataclass(frozen=True, slots=True)
class Plan:
    """The model's answer for one post."""

    own_reach: float
    expected_reach: float
    effort_minutes: float
    chosen: tuple[PartnerEstimate, ...]
    ranked: Sequence[PartnerEstimate]  # best added reach first (made when looked at)
    cascade: CascadeSummary | None = None
    marginal: Mapping[str, float] = field(default_factory=dict)  # by partner id

    @property
    def multiplier(self) -> float | None:
        """``R(S) / R(∅)``; None when the own channels reach nobody."""
        if self.own_reach <= 0:
            return None
        ratio = self.expected_reach / self.own_reach
        return ratio if math.isfinite(ratio) else None


def marginal_reach(x0: float, terms: Mapping[str, float], chosen: Collection[str],
                   partner_id: str, universe: float) -> float:
    """What a partner adds given the chosen asks S.

    ``R(S) − R(S − {c})`` for a chosen partner, ``R(S ∪ {c}) − R(S)`` for any other.
    """
    others = [terms[c] for c in chosen if c != partner_id and c in terms]
    return (expected_reach(x0, [*others, terms[partner_id]], universe)
            - expected_reach(x0, others, universe))


def marginal_reaches(x0: float, terms: Mapping[str, float], chosen: Collection[str],
                     universe: float) -> dict[str, float]:
    """:func:`marginal_reach` of every partner in ``terms`` at once.

    Both cases are ``U (1 − x0) t_c Π_{S∖{c}} (1 − t)``: the product over the chosen set
    without c (prefix and suffix products for the chosen, the whole product for others).
    """
    import numpy as np

    picked = [c for c in dict.fromkeys(chosen) if c in terms]
    t = np.asarray([terms[c] for c in picked], dtype=float)
    keep = 1.0 - t
    before = np.cumprod(np.r_[1.0, keep[:-1]]) if len(t) else t
    after = np.cumprod(np.r_[1.0, keep[::-1][:-1]])[::-1] if len(t) else t
    scale = universe * (1.0 - x0)
    whole = float(np.prod(keep))
    out = dict(zip(terms, (np.fromiter(terms.values(), dtype=float, count=len(terms))
                          * scale * whole).tolist(), strict=True))
    for i, pid in enumerate(picked):
        out[pid] = float(scale * t[i] * before[i] * after[i])
    return out
