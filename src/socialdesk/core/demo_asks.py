"""The demo's asks, and what became of them: drawn from the planner's own forecasts.

The asks for a post are the ones the Planner suggests for it on the day of asking (the
budgeted greedy choice for its default hour), now and then with one more or one fewer,
as a person would. Each ask stores the p, ``E_c`` and ``x_0`` the leverage model gives for
that partner and post on that day (with the partner's answers so far and the days since
their last ask), and its outcome is drawn from that p. A share's observed reach is drawn
around the new reach the model expects of it, ``E_c (1 − x_0)``, log-normally. So the
demo's track record is what a well-calibrated model earns: skill above 0 and reliability
on the diagonal, up to the luck of the draw.

Whether an ask is resolved never depends on its outcome (that would bias the record):
asks for posts more than three weeks past are all resolved (people give up on an
unanswered ask), a share of those for the last three weeks' posts stay agreed and
unconfirmed, and asks for coming posts are either unanswered or agreed to, never declined
yet: an early no would be resolved while an early yes is not, and the record would hold
too many zeros.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from socialdesk.core import demo_data as d
from socialdesk.core.planner import leverage, partner_columns, ranking
from socialdesk.core.planner.leverage import (
    AudienceInput,
    ModelParams,
    PartnerEstimate,
    PostInput,
)

ASK_MESSAGES = (
    "Hi {first}, our post “{title}” goes out on {day}. Would you share it with your "
    "followers? Happy to return the favour!",
    "Hello {first}! “{title}” goes up on {day} — a share from you would mean a lot.",
    "Hi {first}, could you mention “{title}” around {day}? We'll tag you.",
)
DECLINE_NOTES = ("Too busy this week.", "Doesn't fit their feed.", "Already promoting a sale.")
BUDGET_MINUTES = 60  # the Planner's default time budget for a post's asks
ONE_MORE = 0.15  # posts asked for with one partner beyond the suggestion
ONE_FEWER = 0.15  # posts asked for without the suggestion's least valuable partner,
MINOR = 0.1  # if that one's share of the added reach is below this
STALE_DAYS = 21  # asks for posts further past than this are all resolved
UNCONFIRMED = 0.15  # asks for the last STALE_DAYS' posts agreed to but not confirmed yet
NO_REPLY = 0.5  # of the asks for past posts not shared, those never answered
ANSWERED_EARLY = 0.45  # asks for coming posts answered already (a yes: agreed)
REACH_SPREAD = 0.5  # standard deviation of ln(observed reach / expected reach)
CANDIDATES = 64  # partners the greedy choice looks at: the best by added reach per minute
REACH_CACHE_BYTES = 256 << 20  # the posts' E_c arrays kept for reuse (a huge demo has 50k partners)


class AskPartner(NamedTuple):
    """A partner as the planner reads it."""

    id: int
    first: str
    strength: float  # the stored strength, or the stage's default
    effort: int
    audiences: tuple[AudienceInput, ...]


class AskPost(NamedTuple):
    """A dated post as the planner reads it."""

    id: int
    day: date
    status: str
    title: str
    target: PostInput  # its topics and platforms


class AskMaker:
    """Draws the asks of a demo workspace, oldest first, as rows of ``demo_data.COLUMNS``.

    Every partner's answers so far live in arrays (a large demo has 5,000 partners), so
    that the Planner's figures for all of them on a day are a few array operations.
    """

    def __init__(self, rng: random.Random, today: date, params: ModelParams,
                 channels: Sequence[AudienceInput], partners: Sequence[AskPartner],
                 tell: Callable[[str], None] = lambda step: None) -> None:
        import numpy as np

        self.rng, self.today, self.params, self.channels = rng, today, params, channels
        self.tell = tell
        self.partners = partners
        self.strength = np.asarray([p.strength for p in partners], dtype=float)
        self.effort = np.asarray([p.effort for p in partners], dtype=float)
        self.asked = np.zeros(len(partners))  # resolved asks so far
        self.shared = np.zeros(len(partners))
        self.last_asked = np.full(len(partners), -np.inf)  # day ordinal of the last ask
        self.pending: list[tuple[int, int, bool]] = []  # (day resolved, partner, shared)
        self.table = ReachTable(partners, params)
        # E_c of all and x_0 by post target, the most recently used last.
        self.reach: OrderedDict[PostInput, tuple[np.ndarray, float]] = OrderedDict()
        self.reach_slots = max(1, REACH_CACHE_BYTES // (8 * max(1, len(partners))))

    def rows(self, posts: Sequence[AskPost], n: int, upcoming: float
             ) -> list[tuple[Any, ...]]:
        """About ``n`` asks for past posts and the next three weeks' (a share ``upcoming``).

        Past posts are taken in the order they were asked for (2–12 days ahead), each
        with a chance that keeps the count near ``n``; the coming ones are all asked for
        today, nearest first until their share is reached, so that each one's asks are
        the Planner's choice today. Each gets the Planner's suggestion of the day.
        """
        rng, today, horizon = self.rng, self.today, self.today + timedelta(days=21)
        groups = (
            [p for p in posts if p.status == "published"],
            [p for p in posts if today <= p.day <= horizon and p.status in ("scheduled", "draft")],
        )
        n_future = round(n * upcoming) if groups[1] else 0
        wanted = [n - n_future, n_future]
        queue = sorted(
            (today if group else post.day - timedelta(days=2 + rng.randint(0, 10)),
             post.id, group, post)
            for group, chosen in enumerate(groups) for post in chosen)
        left = Counter(group for _, _, group, _ in queue)
        made, per_post = [0, 0], [3.0]
        rows: list[tuple[Any, ...]] = []
        tenth = max(1, len(queue) // 10)
        for index, (asked, _, group, post) in enumerate(queue):
            if index and index % tenth == 0:
                self.tell(f"making asks: {index / len(queue):.0%} of the posts, "
                          f"{len(rows):,} asks")
            left[group] -= 1
            needed = wanted[group] - made[group]
            chance = 1.0 if group else needed / ((left[group] + 1) * sum(per_post) / len(per_post))
            if needed <= 0 or rng.random() >= chance:
                continue
            self.learn(asked)
            chosen, p, reach, x0 = self.choice(post, asked)
            for i in sorted(chosen, key=lambda i: self.partners[i].id):
                rows.append(self.ask(post, i, asked, float(p[i]), float(reach[i]), x0))
            made[group] += len(chosen)
            per_post.append(len(chosen))
        return rows

    def learn(self, day: date) -> None:
        """The answers resolved by ``day`` count from now on."""
        pending, until = self.pending, day.toordinal()
        while pending and pending[0][0] <= until:
            _, i, shared = heapq.heappop(pending)
            self.asked[i] += 1
            self.shared[i] += shared

    def choice(self, post: AskPost, asked: date) -> tuple[list[int], Any, Any, float]:
        """The partners asked for the post (by index), and every partner's p, E_c; x_0.

        The Planner's suggestion for the day (:func:`ranking.choose_asks` over the best
        candidates by added reach per minute), sometimes with one more or one fewer.
        """
        import numpy as np

        params = self.params
        reach, x0 = self.reach_of(post.target)
        raw = partner_columns.likelihoods_of(self.strength, self.asked, self.shared, params) * \
            partner_columns.freshnesses(asked.toordinal() - self.last_asked, params)
        p = partner_columns.calibrated_probabilities(raw, params)
        term = p * np.minimum(1.0, reach / params.universe)
        ratio = term / self.effort
        order = leading(ratio, CANDIDATES)
        top = {int(i) for i in order} | {int(np.argmax(term))}
        terms = {str(i): float(term[i]) for i in top}
        estimates = [PartnerEstimate(
            id=str(i), name=self.partners[i].first, p=float(p[i]), fit=0.5,
            audience=0, reach_if_shared=float(reach[i]),
            added_reach=params.universe * (1 - x0) * terms[str(i)],
            effort_minutes=float(self.effort[i])) for i in sorted(top)]
        chosen = [int(e.id) for e in ranking.choose_asks(estimates, terms, BUDGET_MINUTES)]
        draw = self.rng.random()
        if draw < ONE_MORE:
            if len(chosen) >= len(order):
                order = leading(ratio, len(chosen) + 1)
            # The best partner not chosen is among the first len(chosen) + 1; if it adds
            # nothing, neither does anyone after it.
            more = next((int(i) for i in order if int(i) not in chosen), None)
            more = more if more is not None and term[more] > 0 else None
            chosen += [] if more is None else [more]
        elif draw < ONE_MORE + ONE_FEWER and len(chosen) >= 2:
            least = min(chosen, key=lambda i: term[i])
            if term[least] < MINOR * sum(term[i] for i in chosen):
                chosen.remove(least)
        return chosen, p, reach, x0

    def reach_of(self, target: PostInput) -> tuple[Any, float]:
        """Every partner's ``E_c`` for a post of ``target``, and ``x_0`` (cached)."""
        cached = self.reach.get(target)
        if cached is None:
            own = leverage.own_reach(self.channels, target, self.params)
            cached = self.reach[target] = (self.table.reach(target),
                                           min(1.0, own / self.params.universe))
            if len(self.reach) > self.reach_slots:
                self.reach.popitem(last=False)
        else:
            self.reach.move_to_end(target)
        return cached

    def ask(self, post: AskPost, i: int, asked: date, p: float, reach: float, x0: float
            ) -> tuple[Any, ...]:
        """One ask of partner ``i``, its outcome drawn from the forecast, remembered."""
        rng, today, day, partner = self.rng, self.today, post.day, self.partners[i]
        shares = rng.random() < p
        if day >= today:  # a coming post: unanswered yet, or agreed to
            status = "agreed" if shares and rng.random() < ANSWERED_EARLY else "asked"
        elif (today - day).days <= STALE_DAYS and rng.random() < UNCONFIRMED:
            status = "agreed"
        else:
            status = "shared" if shares else "no_reply" if rng.random() < NO_REPLY \
                else "declined"
        answered = min(today, asked + timedelta(days=rng.randint(0, 3))) \
            if status in ("agreed", "shared", "declined") else None
        closed = min(today, day + timedelta(days=1)) if status == "no_reply" else answered
        if status in ("shared", "declined", "no_reply"):
            heapq.heappush(self.pending,
                           ((closed or asked).toordinal(), i, status == "shared"))
        self.last_asked[i] = asked.toordinal()
        universe = self.params.universe
        added = universe * (1 - x0) * p * min(1.0, reach / universe)
        observed = round(reach * (1 - x0) * rng.lognormvariate(0, REACH_SPREAD)) \
            if status == "shared" else None
        created = d.stamp(rng, asked)
        message = rng.choice(ASK_MESSAGES).format(
            first=partner.first, title=post.title, day=f"{day:%A} {day.day} {day:%B}")
        return (
            d.uid(rng), post.id, partner.id, status,
            asked.isoformat(), day.isoformat() if rng.random() < 0.9 else None,
            answered and answered.isoformat(), message, round(added, 1), observed,
            partner.effort, rng.choice(DECLINE_NOTES) if status == "declined" else "",
            created, d.stamp(rng, closed, late=True) if closed else created,
            p, reach, x0, leverage.MODEL_VERSION, p,  # no calibration: p is the model's own
        )


class ReachTable:
    """Every partner's ``E_c`` for a post, as :func:`leverage.partner_reach` computes it.

    The audiences are read into arrays once; a post then costs a few array operations
    (what a platform and a topic set give depends only on the post), and the figures
    are the same, bit for bit.
    """

    def __init__(self, partners: Sequence[AskPartner], params: ModelParams) -> None:
        import numpy as np

        self.params, self.n = params, len(partners)
        platforms: dict[str, int] = {}
        topic_sets: dict[frozenset[str], int] = {}
        owner, size, platform, topics = [], [], [], []
        for i, partner in enumerate(partners):
            for a in partner.audiences:
                owner.append(i)
                size.append(a.size)
                platform.append(platforms.setdefault(a.platform, len(platforms)))
                topics.append(topic_sets.setdefault(a.topics, len(topic_sets)))
        self.platforms, self.topic_sets = list(platforms), list(topic_sets)
        self.owner = np.asarray(owner, dtype=np.int64)
        self.size = np.asarray(size, dtype=float)
        self.platform = np.asarray(platform, dtype=np.int64)
        self.topics = np.asarray(topics, dtype=np.int64)
        # Audiences come partner by partner: where each partner's run of rows starts.
        self.starts = np.flatnonzero(np.r_[True, self.owner[1:] != self.owner[:-1]]) \
            if owner else self.owner

    def reach(self, post: PostInput) -> Any:
        """``E_c`` of every partner for ``post``, in partner order."""
        import numpy as np

        params = self.params
        if not len(self.owner):
            return np.zeros(self.n)
        # rate × g of a platform: the reach of a one-follower channel on it.
        factor = np.asarray([leverage.own_reach([AudienceInput(p, 1)], post, params)
                             for p in self.platforms], dtype=float)
        fits = np.asarray([leverage.fit(AudienceInput("", 0, t), post)
                           for t in self.topic_sets], dtype=float)
        s_a = (self.size * factor[self.platform]) * fits[self.topics]
        total = np.bincount(self.owner, weights=s_a, minlength=self.n)
        main = np.zeros(self.n)
        main[self.owner[self.starts]] = np.maximum.reduceat(s_a, self.starts)
        return main + params.extra_platforms * (total - main)


def leading(values: Any, k: int) -> Any:
    """The first ``k`` of ``np.argsort(-values, kind="stable")``, without sorting them all."""
    import numpy as np

    if len(values) <= k:
        return np.argsort(-values, kind="stable")
    negated = -values
    kth = np.partition(negated, k - 1)[k - 1]
    near = np.flatnonzero(negated <= kth)  # every tie of the k-th too, in index order
    return near[np.argsort(negated[near], kind="stable")][:k]
