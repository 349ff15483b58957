"""How much of everything each demo size gets (small, large, huge), and scaled-down sizes."""

from __future__ import annotations

from typing import NamedTuple

from socialdesk.core.demo_data import PARTNERS


class Plan(NamedTuple):
    """How much of everything one demo size gets."""

    contacts: int
    partners: int
    audiences: int
    links: int
    posts: int
    ideas: int  # undated ideas among the posts
    asks: int  # about this many: each post asked for gets the Planner's suggestion
    upcoming: float  # the share of the asks that are for coming posts
    interactions: int
    past_days: int  # dated posts lie from past_days before today
    future_days: int  # to future_days after it
    campaigns: int  # at most this many campaigns, the nearest to today


PLANS = {
    # Nine months of history, about four posts a week: some 200 resolved asks, enough for
    # a steady track record and calibration.
    "small": Plan(150, len(PARTNERS), sum(len(p.platforms) for p in PARTNERS),
                  45, 180, 6, 240, 0.05, 200, 270, 42, 3),
    "large": Plan(100_000, 5_000, 15_000, 10_000, 20_000, 600, 30_000, 0.05, 130_000,
                  365, 365, 20),
    # Ten times the large one, with a denser network: the scale the app must still feel
    # small at (benchmarks only; it takes minutes to write).
    "huge": Plan(1_000_000, 50_000, 150_000, 500_000, 200_000, 6_000, 300_000, 0.05,
                 1_300_000, 365, 365, 20),
}


def scaled(plan: Plan, scale: float) -> Plan:
    """``plan`` with every count multiplied by ``scale`` (its dates as they are)."""
    if scale == 1:
        return plan

    def times(n: int, least: int = 1) -> int:
        return max(least, round(n * scale))

    partners, ideas = times(plan.partners, 2), times(plan.ideas, 0)
    return plan._replace(
        contacts=max(partners, times(plan.contacts)), partners=partners,
        audiences=max(partners, times(plan.audiences)), links=times(plan.links),
        posts=max(ideas + 1, times(plan.posts)), ideas=ideas, asks=times(plan.asks),
        interactions=times(plan.interactions))
