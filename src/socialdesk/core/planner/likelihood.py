"""The leverage model's share probability ``p_c`` one value at a time (DESIGN.md, v2).

A partner's share likelihood ``q_c`` (the prior from their strength, updated by their
shares in resolved asks), the freshness ``φ_c`` of asking again, and ``p_c = q_c · φ_c``,
calibrated when on. These state the formulas for one partner; ranking computes them for
every partner at once with the array versions in :mod:`leverage` (``ask_probabilities``).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from socialdesk.core.formatting import percent
from socialdesk.core.planner.leverage import ModelParams, PartnerInput


def prior(strength: float, a: float = 0.05, b: float = 0.6) -> float:
    """``π_c = clip(a + b · strength, 0.01, 0.95)``: share likelihood before any ask."""
    return min(0.95, max(0.01, a + b * min(1.0, max(0.0, strength))))


def posterior(strength: float, asked: int, shared: int, a: float = 0.05,
              b: float = 0.6) -> float:
    """``q_c = (k + 2π_c) / (n + 2)``: the prior updated by k shares in n resolved asks."""
    return (shared + 2 * prior(strength, a, b)) / (asked + 2)


def share_likelihood(partner: PartnerInput, params: ModelParams | None = None) -> float:
    """``q_c`` of a partner."""
    params = params or ModelParams()
    return posterior(partner.strength, partner.asked, partner.shared, params.prior_a,
                     params.prior_b)


def calibrated(raw: float, params: ModelParams) -> float:
    """``σ(α + β · logit(raw))``; 0 and 1 (and the identity α = 0, β = 1) left as they are."""
    alpha, beta = params.calibration_alpha, params.calibration_beta
    if (alpha, beta) == (0.0, 1.0) or raw <= 0.0 or raw >= 1.0:
        return raw
    z = alpha + beta * (math.log(raw) - math.log1p(-raw))
    return 0.5 * (1.0 + math.tanh(z / 2))  # σ(z), without overflow


def freshness(days_since_last_ask: float | None, fatigue_days: float = 14) -> float:
    """``φ_c``: 1 when never asked, lower when asked recently."""
    if days_since_last_ask is None:
        return 1.0
    return 1.0 - math.exp(-max(0.0, days_since_last_ask) / fatigue_days)


def ask_probability(partner: PartnerInput, params: ModelParams) -> float:
    """``p_c = q_c · φ_c`` (calibrated when on): the chance the partner shares if asked now."""
    raw = share_likelihood(partner, params) * freshness(partner.days_since_last_ask,
                                                        params.fatigue_days)
    return calibrated(raw, params)


SHARE_CHANCE = "Share chance"
"""The one name of ``p_c`` wherever it is shown: the Partners and Planner tables, the CLI."""


class ShareChance(NamedTuple):
    """``p_c`` and how to show it; ordered by ``p``."""

    p: float  # the chance the partner shares if asked now
    text: str  # "17%", or "17% (tired)" where a recent ask lowered it


def share_chance(strength: float, asked: int, shared: int, days_since_last_ask: int | None,
                 params: ModelParams) -> ShareChance:
    """A partner's ``p_c`` (as :func:`ask_probability`), with the tiredness shown next to it.

    Where asking them lately lowers the chance they share (the freshness ``φ_c``) enough
    to change the percentage, the text says so: the likelihood alone would be higher.
    """
    q = posterior(strength, asked, shared, params.prior_a, params.prior_b)
    p = calibrated(q * freshness(days_since_last_ask, params.fatigue_days), params)
    return ShareChance(p, chance_text(p, calibrated(q, params), days_since_last_ask))


def chance_text(p: float, rested: float, days_since_last_ask: int | None) -> str:
    """``p`` as a percentage, marked "(tired)" where it is lower than ``rested``.

    Short, to fit a table column beside the partner's name; the cell's tooltip and the
    "Last asked" column say when they were asked.
    """
    text = percent(p)
    if days_since_last_ask is None or percent(rested) == text:
        return text
    return f"{text} (tired)"
