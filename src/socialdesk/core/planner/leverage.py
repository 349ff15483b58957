"""The leverage model, v2 (DESIGN.md): what asking each partner would add to a post's reach.

This module holds the first-degree model: each partner's reach if they share ``E_c`` (one
main platform per share), share probability ``p_c``, the expected unique reach ``R(S)`` of
a set of asks, each partner's marginal reach, and the budgeted greedy choice of asks.
``partner_reach`` and ``ask_probabilities`` compute them for every partner at once
(numpy), which is what ranking uses; :mod:`likelihood` states the formulas of ``p_c`` one
value at a time. The reshares along links are :mod:`cascade`. Nothing here knows the
database.
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

MAX_HOPS = 4  # the cascade's longest chain: asked partners' shares, then three reshares
MODEL_VERSION = 2  # stored with each ask's forecast (its track record)


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


def partner_reach(
    partners: Sequence[PartnerInput], post: PostInput, params: ModelParams
) -> tuple[np.ndarray, np.ndarray]:
    """Every partner's ``E_c`` and reach-weighted mean fit, as arrays in partner order."""
    import numpy as np

    factor: dict[str, float] = {}
    fit_of: dict[frozenset[str], float] = {}  # audiences share few topic sets
    owner: list[int] = []
    seen: list[float] = []
    fits: list[float] = []
    for i, partner in enumerate(partners):
        for a in partner.audiences:
            f = factor.get(a.platform)
            if f is None:
                f = factor[a.platform] = params.rate(a.platform) * _g(a.platform, post, params)
            t = fit_of.get(a.topics)
            if t is None:
                t = fit_of[a.topics] = fit(a, post)
            owner.append(i)
            seen.append(a.size * f)
            fits.append(t)
    n = len(partners)
    if not owner:
        return np.zeros(n), np.full(n, 0.5)
    seen_a = np.asarray(seen, dtype=float)
    s_a = seen_a * np.asarray(fits, dtype=float)
    owner_a = np.asarray(owner, dtype=np.int64)
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
    import numpy as np

    params = params or ModelParams()
    return likelihoods_of(np.asarray([c.strength for c in partners], dtype=float),
                          np.asarray([c.asked for c in partners], dtype=float),
                          np.asarray([c.shared for c in partners], dtype=float), params)


def likelihoods_of(strength: np.ndarray, asked: np.ndarray, shared: np.ndarray,
                   params: ModelParams) -> np.ndarray:
    """``q_c`` from arrays of strengths, resolved asks and shares."""
    import numpy as np

    pi = np.clip(params.prior_a + params.prior_b * np.clip(strength, 0.0, 1.0), 0.01, 0.95)
    likelihoods: np.ndarray = (shared + 2 * pi) / (asked + 2)
    return likelihoods


def ask_probabilities(partners: Sequence[PartnerInput], params: ModelParams) -> np.ndarray:
    """Every partner's ``p_c = q_c · φ_c`` (calibrated when on), in partner order."""
    return calibrated_probabilities(raw_ask_probabilities(partners, params), params)


def raw_ask_probabilities(partners: Sequence[PartnerInput], params: ModelParams
                          ) -> np.ndarray:
    """Every partner's ``q_c · φ_c`` before the calibration, in partner order."""
    import numpy as np

    days = np.asarray(
        [math.inf if c.days_since_last_ask is None else max(0.0, c.days_since_last_ask)
         for c in partners], dtype=float)
    raw: np.ndarray = share_likelihoods(partners, params) * freshnesses(days, params)
    return raw


def freshnesses(days_since_last_ask: np.ndarray, params: ModelParams) -> np.ndarray:
    """Every ``φ_c`` from days since the last ask (``inf``: never asked)."""
    import numpy as np

    phi: np.ndarray = -np.expm1(-np.maximum(days_since_last_ask, 0.0) / params.fatigue_days)
    return phi


def calibrated_probabilities(raw: np.ndarray, params: ModelParams) -> np.ndarray:
    """``σ(α + β · logit(raw))`` of every p (0 and 1, and the identity, left as they are)."""
    import numpy as np

    alpha, beta = params.calibration_alpha, params.calibration_beta
    if (alpha, beta) == (0.0, 1.0):
        return raw
    inside = (raw > 0) & (raw < 1)
    r = np.where(inside, raw, 0.5)
    z = alpha + beta * (np.log(r) - np.log1p(-r))
    p: np.ndarray = np.where(inside, 0.5 * (1.0 + np.tanh(z / 2)), raw)  # σ(z), no overflow
    return p


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
    ranked: tuple[PartnerEstimate, ...]
    cascade: CascadeSummary | None = None
    marginal: Mapping[str, float] = field(default_factory=dict)  # by partner id

    @property
    def multiplier(self) -> float | None:
        """``R(S) / R(∅)``; None when the own channels reach nobody."""
        if self.own_reach <= 0:
            return None
        ratio = self.expected_reach / self.own_reach
        return ratio if math.isfinite(ratio) else None


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
    raw = raw_ask_probabilities(partners, params)
    p = calibrated_probabilities(raw, params)
    term = p * np.minimum(1.0, reach / universe)
    # R({c}) − R(∅) = U (1 − x0) t_c
    added = universe * (1.0 - x0) * term
    estimates = [
        PartnerEstimate(
            id=c.id, name=c.name, p=p_c, fit=fit_c,
            audience=sum(a.size for a in c.audiences), reach_if_shared=reach_c,
            added_reach=added_c, effort_minutes=c.effort_minutes, raw_p=raw_c,
        )
        for c, p_c, raw_c, fit_c, reach_c, added_c in zip(
            partners, p.tolist(), raw.tolist(), mean_fit.tolist(), reach.tolist(),
            added.tolist(), strict=True)
    ]
    estimates.sort(key=lambda e: (-e.added_reach, e.effort_minutes, e.name))
    return alone, estimates, dict(zip((c.id for c in partners), term.tolist(), strict=True))


def choose_asks(
    estimates: Sequence[PartnerEstimate],
    terms: Mapping[str, float],
    budget_minutes: float | None,
    max_asks: int | None = None,
    skip: Collection[str] = (),
) -> list[PartnerEstimate]:
    """The asks to make within the budget, and at most ``max_asks`` of them (never ``skip``).

    Budgeted greedy picks by marginal reach per effort minute, skipping partners who no
    longer fit in the budget and stopping at ``max_asks``; the result is compared with
    the best single affordable partner and the better kept, as the budgeted
    maximum-coverage guarantee requires. Without a budget the pick is by marginal reach
    alone (top-k greedy, which is optimal here). Both limits always hold.
    """
    limit = math.inf if max_asks is None else max_asks
    if limit <= 0:
        return []
    budget = math.inf if budget_minutes is None else budget_minutes
    affordable = [e for e in estimates
                  if e.effort_minutes <= budget and terms[e.id] > 0 and e.id not in skip]
    # Marginal gain of c given S is U·(1−x0)·Π_S(1−t)·t_c: the common factor does not
    # change the order, so greedy by gain (per minute) is a sort by t_c (/ effort).
    if budget_minutes is None:
        ordered = sorted(affordable, key=lambda e: (-terms[e.id], e.effort_minutes, e.name))
        return ordered[: int(min(limit, len(ordered)))]
    by_ratio = sorted(
        affordable, key=lambda e: (-terms[e.id] / max(e.effort_minutes, 1e-9),
                                   e.effort_minutes, e.name)
    )
    chosen: list[PartnerEstimate] = []
    spent = 0.0
    for e in by_ratio:
        if len(chosen) >= limit:
            break
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
    out = {pid: scale * term * whole for pid, term in terms.items()}
    for i, pid in enumerate(picked):
        out[pid] = float(scale * t[i] * before[i] * after[i])
    return out
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
    skip: Collection[str] = (),
) -> Plan:
    """The plan from :func:`estimate`'s answer: the asks chosen (or given) and their reach."""
    if chosen_ids is None:
        chosen = choose_asks(ranked, terms, budget_minutes, max_asks, skip)
    else:
        chosen = [e for e in ranked if e.id in chosen_ids]
    x0 = min(1.0, alone / universe)
    reach = expected_reach(x0, (terms[e.id] for e in chosen), universe)
    return Plan(
        own_reach=alone, expected_reach=reach,
        effort_minutes=sum(e.effort_minutes for e in chosen),
        chosen=tuple(chosen), ranked=tuple(ranked),
        marginal=marginal_reaches(x0, terms, [e.id for e in chosen], universe),
    )
