"""How the reports word their figures: ratios, hours, and the exact values behind them."""

from __future__ import annotations

from datetime import date

from socialdesk.core.formatting import compact, exact
from socialdesk.qt.formatting import day_text
from socialdesk.store.report_models import Leverage


def ratio_text(ratio: float | None) -> str:
    """A leverage ratio rounded for reading: 2.3, 0.85, 14; "–" when undefined."""
    if ratio is None:
        return "–"
    if ratio == 0:
        return "0"
    if ratio < 0.01:
        return "<0.01"
    if ratio >= 9.95:
        return f"{ratio:.0f}"
    return f"{ratio:.1f}" if ratio >= 1 else f"{ratio:.2f}"


def hours_text(minutes: float) -> str:
    """Effort as hours: "45 min", "3.5 h", "120 h"."""
    if minutes < 60:
        return f"{minutes:.0f} min"
    hours = minutes / 60
    return f"{hours:.1f} h".replace(".0 h", " h") if hours < 100 else f"{hours:,.0f} h"


def ratio_tooltip(figures: Leverage, period: str) -> str:
    """What a leverage ratio means, with the exact reach behind it."""
    if figures.own_reach == 0:
        if figures.partner_reach:
            return (f"Partners reached {exact(figures.partner_reach)} people {period}, but no "
                    "own reach is typed in to compare with.")
        return (f"No results {period} yet: type in the reach of published posts, and record "
                "partners' shares on their asks.")
    assert figures.ratio is not None
    return (f"{figures.ratio:.2f}: partners reached {exact(figures.partner_reach)} people "
            f"{period} on top of the {exact(figures.own_reach)} your own posts reached "
            f"({figures.posts:,} published posts).")


def per_hour_tooltip(figures: Leverage, period: str) -> str:
    """What reach per hour of asking means, with the exact figures behind it."""
    if not figures.effort_minutes:
        return f"No asks for published posts {period}."
    per_hour = figures.reach_per_hour or 0.0
    return (f"{exact(round(per_hour))} people per hour: {exact(figures.partner_reach)} reached "
            f"through partners for {hours_text(figures.effort_minutes)} spent on "
            f"{figures.asks:,} asks ({figures.shared:,} shared) {period}.")


def per_hour_text(figures: Leverage) -> str:
    """Reach per hour of asking, rounded ("1.2k")."""
    per_hour = figures.reach_per_hour
    return "–" if per_hour is None else compact(per_hour)


def long_date(iso: str | None) -> str:
    """An ISO date as "24 Nov 2026" ("no date" when missing), in the user's language."""
    if not iso:
        return "no date"
    return day_text(iso, weekday=False, year=True)


def date_span(first: str | None, last: str | None) -> str:
    """Two ISO dates as "15 Nov – 23 Dec 2026" (or "no dates yet")."""
    if not first or not last:
        return "no dates yet"
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    start = day_text(first, weekday=False, year=a.year != b.year)
    return f"{start} – {long_date(last)}"
