"""The planner's headline in words, the same on the command line and in the Planner view.

The cascade's likely range (p10–p90) and median come first; the mean and the chance that
nobody shares are one line away (DESIGN.md, choosing asks).
"""

from __future__ import annotations

from socialdesk.core.formatting import compact, percent
from socialdesk.core.planner.leverage import CascadeSummary


def likely_range(summary: CascadeSummary) -> str:
    """``3.1k–6.2k, median 4.4k``."""
    return (f"{compact(summary.p10)}–{compact(summary.p90)}, "
            f"median {compact(summary.median)}")


def mean_and_none(summary: CascadeSummary) -> str:
    """``mean 4.6k · 8% chance that nobody shares``."""
    return f"mean {compact(summary.mean)} · {percent(summary.p_none)} chance that nobody shares"


def multiplier_text(multiplier: float | None) -> str:
    """``×3.7``, or ``×—`` when the own channels reach nobody."""
    return "×—" if multiplier is None else f"×{multiplier:.1f}"
