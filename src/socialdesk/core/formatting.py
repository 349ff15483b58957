"""Numbers and dates as a user reads them: 12.4k, 38%, "Tue 24 Nov"."""

from __future__ import annotations

import math
from datetime import date


def compact(value: float | None) -> str:
    """A count rounded for comparison at a glance: 950, 12.4k, 3.1M."""
    if value is None or not math.isfinite(value):
        return "–"
    number = float(value)
    sign = "-" if number < 0 else ""
    number = abs(number)
    if round(number) < 1000:
        return f"{sign}{number:.0f}"
    for limit, suffix in ((1e3, "k"), (1e6, "M"), (1e9, "B")):
        scaled = number / limit
        text = f"{scaled:.1f}" if scaled < 99.95 else f"{scaled:.0f}"
        if float(text) < 1000 or suffix == "B":
            return sign + text.removesuffix(".0") + suffix
    raise AssertionError("unreachable")


def percent(value: float | None) -> str:
    """A share as a whole percentage (0.384 → "38%"); below 1% with one decimal."""
    if value is None or not math.isfinite(value):
        return "–"
    shown = value * 100
    return f"{shown:.1f}%" if 0 < shown < 1 else f"{shown:.0f}%"


def exact(value: float | None) -> str:
    """The exact value for a tooltip, with thousands separators."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def short_date(iso: str | None, today: date | None = None) -> str:
    """An ISO date as "Tue 24 Nov", with the year when it is not the current one."""
    if not iso:
        return "No date"
    day = date.fromisoformat(iso)
    current = (today or date.today()).year
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == current else f"{text} {day.year}"


def plural(count: int, word: str) -> str:
    """``3 posts``, ``1 post``, ``2 entries``."""
    if count == 1:
        return f"{count:,} {word}"
    many = word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    return f"{count:,} {many}"
