"""Posts that cannot go out as they are: no channel chosen, or a text over a network's limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from socialdesk.core.limits import channel_texts, check_text, platform_name, post_problems
from socialdesk.store import posts
from socialdesk.store.models import PostRow
from socialdesk.store.workspace import Workspace

DONE = ("published", "skipped")


@dataclass(frozen=True, slots=True)
class PostProblem:
    """A post with what needs fixing before it goes out."""

    row: PostRow
    problems: tuple[str, ...]  # one sentence each, with the counts
    summary: str = ""  # all of them, short: "Too long for X (+56), Bluesky (+36)"


def posts_needing_attention(ws: Workspace, first: date, last: date) -> list[PostProblem]:
    """Posts from ``first`` to ``last``, not yet published or skipped, that need fixing."""
    found = []
    for item in posts.post_texts_between(ws, first.isoformat(), last.isoformat()):
        if item.row.status in DONE:
            continue
        problems = post_problems(item.body, item.channels, item.link)
        if problems:
            found.append(PostProblem(item.row, tuple(problems),
                                     _short(item.body, item.channels, item.link)))
    return found


def _short(body: str, channels: tuple[tuple[str, str | None], ...], link: str) -> str:
    if not channels:
        return "No channel chosen"
    over = [(p, check_text(p, text).excess) for p, text in channel_texts(body, channels, link)]
    return "Too long for " + ", ".join(f"{platform_name(p)} (+{n:,})" for p, n in over if n)
