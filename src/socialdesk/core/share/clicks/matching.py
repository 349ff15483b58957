"""Which ask a row of visits belongs to.

Its ``utm_source`` names the partner, its ``utm_content`` (``post-12``) the post.
A row that names a post goes to the partner's ask for that post. A row without one (most
exports break visits down by source only) goes to the partner's latest ask asked on or
before the row's last day: the link most recently handed out. A source that is no
partner's slug, a medium other than ``partner``, or a partner without such an ask leaves
the row unmatched; unmatched rows are listed by source, never stored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from socialdesk.core.contacts.importing.model import Problems
from socialdesk.core.import_results import Problem
from socialdesk.core.share.clicks.model import ClicksData, VisitRow
from socialdesk.core.share.links import MEDIUM
from socialdesk.store.clicks import TrackedAsk

_POST = re.compile(r"^post-(\d+)$", re.IGNORECASE)

Period = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Matched:
    """Visits per (ask, first day, last day), and what matched no ask.

    ``days`` are the first and the last day the rows carry (None: no row has one).
    """

    visits: dict[tuple[int, str, str], int]
    rows: int
    unmatched: dict[str, int]
    problems: tuple[Problem, ...]
    days: tuple[str, str] | None = None


def match(data: ClicksData, asks: list[TrackedAsk], period: Period | None) -> Matched:
    """Attribute every row of ``data`` to an ask; undated rows cover ``period``.

    The rows are summed as they are read (none is kept); the first
    :data:`~socialdesk.core.contacts.importing.model.MAX_PROBLEMS` problems are listed,
    then how many more there are.
    """
    by_slug: dict[str, list[TrackedAsk]] = defaultdict(list)
    for ask in asks:  # oldest first
        by_slug[ask.slug.lower()].append(ask)
    visits: dict[tuple[int, str, str], int] = defaultdict(int)
    unmatched: dict[str, int] = defaultdict(int)
    problems = Problems()
    matched = 0
    days: tuple[str, str] | None = None
    for row in data.rows:
        if row.day:
            days = (min(days[0], row.day), max(days[1], row.day)) if days else (row.day,
                                                                                 row.day)
        first, last = (row.day, row.day) if row.day else period or ("", "")
        chosen = _ask_for(row, by_slug, last, problems)
        if chosen is None:
            unmatched[row.label] += row.visits
            continue
        matched += 1
        visits[(chosen.ask_id, first, last)] += row.visits
    return Matched(dict(visits), matched, dict(unmatched), problems.listed(), days)


def _ask_for(row: VisitRow, by_slug: dict[str, list[TrackedAsk]], last: str,
             problems: Problems) -> TrackedAsk | None:
    if row.medium and row.medium.lower() != MEDIUM:
        return None
    candidates = by_slug.get(row.source.strip().lower())
    if not candidates:
        return None
    post = _POST.match(row.content.strip())
    if post:
        for_post = [ask for ask in candidates if ask.post_id == int(post.group(1))]
        if not for_post:
            problems.extend([Problem(row.line, f"{candidates[0].partner} was never asked to "
                                     f"share post {post.group(1)}; these visits are listed "
                                     "as unmatched.")])
            return None
        candidates = for_post
    before = [ask for ask in candidates if ask.asked_on <= last]
    if before:
        return before[-1]
    if post:
        return candidates[0]
    problems.extend([Problem(row.line, f"{candidates[0].partner} had not been asked to "
                             f"share a post with a link by {last}; these visits are listed "
                             "as unmatched.")])
    return None
