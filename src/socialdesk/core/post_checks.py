"""Posts that cannot go out as they are: no channel chosen, or a text over a network's limit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from socialdesk.core.limits import post_problems
from socialdesk.store import posts
from socialdesk.store.models import PostRow
from socialdesk.store.workspace import Workspace

DONE = ("published", "skipped")


@dataclass(frozen=True, slots=True)
class PostProblem:
    """A post with what needs fixing before it goes out."""

    row: PostRow
    problems: tuple[str, ...]

    @property
    def summary(self) -> str:
        """The problems in one line."""
        return "; ".join(self.problems)


def posts_needing_attention(ws: Workspace, first: date, last: date) -> list[PostProblem]:
    """Posts from ``first`` to ``last``, not yet published or skipped, that need fixing."""
    found = []
    for item in posts.post_texts_between(ws, first.isoformat(), last.isoformat()):
        if item.row.status in DONE:
            continue
        problems = post_problems(item.body, item.channels)
        if problems:
            found.append(PostProblem(item.row, tuple(problems)))
    return found
