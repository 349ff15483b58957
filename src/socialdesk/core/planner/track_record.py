"""The planner's track record: its forecasts scored against what really happened.

DESIGN.md, "Track record and calibration". Over the resolved asks that store the p they
were planned with (y = 1 shared, 0 declined or no reply; an ask still waiting whose
tracked link brought visits counts as shared, *confirmed by visits*): the Brier score against a
reference that predicts the share rate seen so far, the log loss, the reliability bins
with 90% Wilson intervals and the reach bias. From the same outcomes, the recalibration
``σ(α + β · logit p)`` (penalised maximum likelihood, once 30 asks are resolved), fitted
on the model's own p before any calibration (which each ask stores too): the planner
applies α, β to that p, and a fit on already calibrated chances would correct the last
correction again at every refit. The scores are of the chances the planner gave. From the
published own posts, reach rates learned per platform and shrunk toward the default.
``socialdesk track-record``, the Reports view and the planner's parameters all read it here.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from socialdesk.core.settings import REACH_RATES, workspace_settings
from socialdesk.store import track_record as stored
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    import numpy as np

    # Forecasts or outcomes in the order the asks were resolved: a list or an array.
    Numbers = Sequence[float] | np.ndarray

MIN_RESOLVED = 30  # resolved asks before α, β are fitted
MIN_POSTS = 5  # published own posts on a platform before its rate is learned
PRIOR_POSTS = 5  # the default rate counts as this many posts
WILSON_Z = 1.6448536269514722  # 90% two-sided
CLIP = 0.001  # p is clipped to [0.001, 0.999] for the log loss and the fit
BINS = 10


@dataclass(frozen=True, slots=True)
class Bin:
    """Asks whose p falls in ``[p_low, p_high)`` (the last tenth includes 1)."""

    p_low: float
    p_high: float
    asks: int
    shared: int
    low: float  # 90% Wilson interval of the share rate
    high: float

    @property
    def rate(self) -> float:
        """The observed share rate."""
        return self.shared / self.asks


@dataclass(frozen=True, slots=True)
class ReachBias:
    """``ln(observed / (E_c (1 − x_0)))`` over shared asks with an observed reach."""

    asks: int
    mean_log: float | None
    sd_log: float | None


@dataclass(frozen=True, slots=True)
class Calibration:
    """The recalibration ``σ(α + β · logit p)``; α = 0, β = 1 until it is fitted."""

    alpha: float = 0.0
    beta: float = 1.0
    fitted: bool = False
    active: bool = False  # fitted and switched on in the settings: the planner uses it
    resolved: int = 0  # the evidence: resolved asks with a stored p


@dataclass(frozen=True, slots=True)
class LearnedRate:
    """One platform's reach rate learned from published own posts (None under 5 posts)."""

    posts: int
    rate: float | None
    default: float


@dataclass(frozen=True, slots=True)
class TrackRecord:
    """Every figure of the track record."""

    resolved: int
    brier: float | None
    brier_base: float | None
    skill: float | None
    log_loss: float | None
    bins: tuple[Bin, ...]
    reach_bias: ReachBias
    calibration: Calibration
    learned_rates: Mapping[str, LearnedRate] = field(default_factory=dict)
    learned_rates_active: bool = False
    confirmed_by_visits: int = 0  # of the resolved: waiting asks whose link brought visits

    def as_json(self) -> dict[str, Any]:
        """The ``socialdesk track-record --json`` object."""
        c = self.calibration
        return {
            "resolved": self.resolved, "confirmed_by_visits": self.confirmed_by_visits,
            "brier": self.brier, "brier_base": self.brier_base,
            "skill": self.skill, "log_loss": self.log_loss,
            "bins": [{"p_low": b.p_low, "p_high": b.p_high, "asks": b.asks,
                      "shared": b.shared, "rate": b.rate, "low": b.low, "high": b.high}
                     for b in self.bins],
            "reach_bias": {"asks": self.reach_bias.asks, "mean_log": self.reach_bias.mean_log,
                           "sd_log": self.reach_bias.sd_log},
            "calibration": {"alpha": c.alpha, "beta": c.beta, "fitted": c.fitted,
                            "active": c.active},
            "learned_rates": {platform: {"posts": r.posts, "rate": r.rate}
                              for platform, r in self.learned_rates.items()},
        }


# --- the scores ------------------------------------------------------------------------
# numpy, imported where it is used, so that opening the app does not wait for it; each
# score takes sequences (or arrays) in the order the asks were resolved.


def brier(p: Numbers, y: Numbers) -> float:
    """``mean (p − y)²``."""
    import numpy as np

    gap = np.asarray(p, dtype=float) - np.asarray(y, dtype=float)
    return float(np.mean(gap * gap))


def base_rates(y: Numbers) -> list[float]:
    """For each outcome, the share rate of those before it (0.5 for the first)."""
    import numpy as np

    shared = np.cumsum(np.asarray(y, dtype=float))
    before = np.arange(len(shared), dtype=float)
    rates = np.full(len(shared), 0.5)
    rates[1:] = shared[:-1] / before[1:]
    return list(rates.tolist())


def log_loss(p: Numbers, y: Numbers) -> float:
    """``−mean(y ln p + (1 − y) ln(1 − p))`` with p clipped to [0.001, 0.999]."""
    import numpy as np

    q = np.clip(np.asarray(p, dtype=float), CLIP, 1 - CLIP)
    t = np.asarray(y, dtype=float)
    return float(-np.mean(np.where(t > 0, np.log(q), np.log1p(-q))))


def wilson(shared: int, asks: int, z: float = WILSON_Z) -> tuple[float, float]:
    """The Wilson score interval of ``shared / asks`` (90% by default)."""
    if asks <= 0:
        return 0.0, 1.0
    z2 = z * z
    centre = (shared + z2 / 2) / (asks + z2)
    half = z / (asks + z2) * math.sqrt(shared * (asks - shared) / asks + z2 / 4)
    return max(0.0, centre - half), min(1.0, centre + half)


def reliability(p: Numbers, y: Numbers) -> tuple[Bin, ...]:
    """The asks binned by p into tenths (empty bins left out), each with its Wilson interval."""
    import numpy as np

    tenth = np.clip(np.floor(np.asarray(p, dtype=float) * BINS), 0, BINS - 1).astype(int)
    asks = np.bincount(tenth, minlength=BINS).tolist()
    shared = np.bincount(tenth, weights=np.asarray(y, dtype=float), minlength=BINS).tolist()
    bins = []
    for k in range(BINS):
        if asks[k]:
            low, high = wilson(round(shared[k]), asks[k])
            bins.append(Bin(k / BINS, (k + 1) / BINS, asks[k], round(shared[k]),
                            low=low, high=high))
    return tuple(bins)


def reach_bias(observed: Iterable[tuple[float, float, float]]) -> ReachBias:
    """Mean and SD (n − 1) of ``ln(observed / (E_c (1 − x_0)))``.

    ``observed``: (observed reach, E_c, x_0) of shared asks. A reach of 0 (or an expected
    one of 0) has no log ratio and is left out, and so is one that is not a finite number
    (a workspace from elsewhere can hold an infinite REAL where a count belongs).
    """
    logs = [math.log(o) - math.log(e) - math.log1p(-x0) for o, e, x0 in observed
            if 0 < o < math.inf and 0 < e < math.inf and 0 <= x0 < 1]
    n = len(logs)
    if not n:
        return ReachBias(0, None, None)
    mean = math.fsum(logs) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in logs) / (n - 1)) if n > 1 else None
    return ReachBias(n, mean, sd)


def fit_calibration(p: Numbers, y: Numbers, between: Callable[[], object] | None = None
                    ) -> tuple[float, float]:
    """α, β maximising the outcomes' likelihood under ``σ(α + β logit p)`` less the penalty.

    The penalty ``(α² + (β − 1)²) / 2`` pulls toward no change; the objective is strictly
    concave, so Newton's method (with step halving) finds its one maximum. p is clipped to
    [0.001, 0.999] so that its logit is finite. ``between`` is called after each step
    (a few milliseconds each for 300,000 asks).
    """
    import numpy as np

    x = np.asarray(p, dtype=float).clip(CLIP, 1 - CLIP)
    x = np.log(x) - np.log1p(-x)
    t = np.asarray(y, dtype=float)

    def objective(a: float, b: float) -> float:
        z = a + b * x
        # y log σ(z) + (1 − y) log(1 − σ(z)) = y z − log(1 + e^z)
        return float(np.sum(t * z - np.logaddexp(0.0, z))) - (a * a + (b - 1) ** 2) / 2

    a, b = 0.0, 1.0
    current = objective(a, b)
    for _ in range(100):
        s = 0.5 * (1.0 + np.tanh((a + b * x) / 2))  # σ(z) without overflow
        r, w = t - s, s * (1 - s)
        grad = np.array([r.sum() - a, (r * x).sum() - (b - 1)])
        hess = np.array([[w.sum() + 1, (w * x).sum()], [(w * x).sum(), (w * x * x).sum() + 1]])
        step = np.linalg.solve(hess, grad)
        scale = 1.0
        while scale > 1e-8:
            na, nb = a + scale * step[0], b + scale * step[1]
            value = objective(na, nb)
            if value >= current:
                break
            scale /= 2
        else:
            break
        done = abs(na - a) + abs(nb - b) < 1e-10
        a, b, current = float(na), float(nb), value
        if done:
            break
        if between is not None:
            between()
    return a, b


def learned_rates(samples: Iterable[tuple[str, float, float]],
                  defaults: Mapping[str, float] = REACH_RATES) -> dict[str, LearnedRate]:
    """Per platform: ``(n · median(reach / followers) + 5 · default) / (n + 5)`` from n ≥ 5 posts.

    ``samples``: (platform, reach, followers) of published own posts. Platforms with fewer
    posts are listed with their count and no rate. A rate is at most 1.
    """
    import statistics

    ratios: dict[str, list[float]] = defaultdict(list)
    for platform, reach, followers in samples:
        if 0 < followers < math.inf and 0 <= reach < math.inf:  # counts, as stored or not
            ratios[platform.lower()].append(reach / followers)
    found = {}
    for platform in sorted(ratios):
        values = ratios[platform]
        n = len(values)
        default = defaults.get(platform, defaults.get("other", REACH_RATES["other"]))
        rate = None
        if n >= MIN_POSTS:
            rate = min(1.0, (n * statistics.median(values) + PRIOR_POSTS * default)
                       / (n + PRIOR_POSTS))
        found[platform] = LearnedRate(n, rate, default)
    return found


# --- from a workspace -------------------------------------------------------------------


def calibration(ws: Workspace, settings: Mapping[str, Any] | None = None,
                forecasts: Sequence[stored.ResolvedForecast] | None = None,
                between: Callable[[], object] | None = None) -> Calibration:
    """The workspace's recalibration: fitted from 30 resolved asks on, active when switched on.

    ``between``: as :func:`stored_fit`'s.
    """
    settings = settings if settings is not None else workspace_settings(ws)
    if forecasts is None:
        resolved, fitted = stored_fit(ws, between)
    else:
        resolved = len(forecasts)
        fitted = None if resolved < MIN_RESOLVED else fit_calibration(
            [r[6] for r in forecasts], [r[1] for r in forecasts])
    if fitted is None:
        return Calibration(resolved=resolved)
    alpha, beta = fitted
    return Calibration(alpha, beta, fitted=True, active=bool(settings["calibration_on"]),
                       resolved=resolved)


def stored_fit(ws: Workspace, between: Callable[[], object] | None = None
               ) -> tuple[int, tuple[float, float] | None]:
    """The stored outcomes' count and (α, β) fitted on them (None under ``MIN_RESOLVED``).

    Kept between runs while the asks it is fitted on are unchanged (``input_cache``):
    300,000 asks take a few tenths of a second to read and fit. ``between`` is called
    between parts of the read (a read on a worker stops there when its view was left).
    """
    from socialdesk.core.planner import input_cache

    def fit(outcomes: np.ndarray) -> tuple[int, tuple[float, float] | None]:
        if len(outcomes) < MIN_RESOLVED:
            return len(outcomes), None
        return len(outcomes), fit_calibration(outcomes["raw_p"], outcomes["shared"], between)

    return input_cache.calibration_fit(ws, fit, between)


def workspace_learned_rates(ws: Workspace) -> dict[str, LearnedRate]:
    """The reach rates learned from the workspace's published own posts."""
    return learned_rates(stored.own_post_reach(ws))


TABLE_PART = 10_000  # resolved asks converted to numbers at once (a few milliseconds)


def track_record(ws: Workspace, between: Callable[[], object] = lambda: None) -> TrackRecord:
    """Score the workspace's resolved forecasts; the calibration and learned rates with them.

    ``between`` is called between the steps (a read on a worker stops there when its view
    was left: the steps take seconds together on a huge workspace).
    """
    import numpy as np

    settings = workspace_settings(ws)
    rows = stored.resolved_forecasts(ws)
    between()
    n = len(rows)
    # Columns p, y, E_c, x_0, observed reach, confirmed by visits, the model's own p;
    # None reads as NaN. Converted TABLE_PART rows at a time: one conversion holds the
    # interpreter lock from start to end (the GUI thread waits that long).
    table = np.empty((n, 7))
    for start in range(0, n, TABLE_PART):
        table[start:start + TABLE_PART] = np.array(rows[start:start + TABLE_PART],
                                                   dtype=float)
        between()
    p, y, reach, x0, observed, confirmed, _ = table.T
    score = brier(p, y) if n else None
    base = brier(base_rates(y), y) if n else None
    skill = (1 - score / base) if score is not None and base else None
    with_reach = (y > 0) & ~np.isnan(observed) & ~np.isnan(reach) & ~np.isnan(x0)
    bias = reach_bias(zip(observed[with_reach].tolist(), reach[with_reach].tolist(),
                          x0[with_reach].tolist(), strict=True))
    between()
    fitted = calibration(ws, settings, rows)
    between()
    return TrackRecord(
        resolved=n, brier=score, brier_base=base, skill=skill,
        log_loss=log_loss(p, y) if n else None, bins=reliability(p, y), reach_bias=bias,
        calibration=fitted,
        learned_rates=workspace_learned_rates(ws),
        learned_rates_active=bool(settings["learned_rates_on"]),
        confirmed_by_visits=int(confirmed.sum()),
    )
