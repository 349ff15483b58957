"""The demo's asks, and what became of them: drawn from the planner's own forecasts.

Each ask is made as the planner makes one: it stores the p, ``E_c`` and ``x_0`` the
leverage model gives for that partner and post on the day of the ask (with the partner's
answers so far and the days since their last ask), and its outcome is drawn from that p.
A share's observed reach is drawn around the new reach the model expects of it,
``E_c (1 − x_0)``, log-normally. So the demo's track record is what a well-calibrated
model earns: skill above 0 and reliability on the diagonal, up to the luck of the draw.

Whether an ask is resolved never depends on its outcome (that would bias the record):
a tenth of the asks for past posts stay agreed and unconfirmed, and asks for coming posts
are either unanswered or agreed to, never declined yet: an early no would be resolved
while an early yes is not, and the record would hold too many zeros.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from socialdesk.core import demo_data as d
from socialdesk.core.planner import leverage
from socialdesk.core.planner.leverage import AudienceInput, ModelParams, PartnerInput, PostInput

ASK_MESSAGES = (
    "Hi {first}, our post “{title}” goes out on {day}. Would you share it with your "
    "followers? Happy to return the favour!",
    "Hello {first}! “{title}” goes up on {day} — a share from you would mean a lot.",
    "Hi {first}, could you mention “{title}” around {day}? We'll tag you.",
)
DECLINE_NOTES = ("Too busy this week.", "Doesn't fit their feed.", "Already promoting a sale.")
UNCONFIRMED = 0.1  # asks for past posts agreed to but never confirmed: unresolved
NO_REPLY = 0.5  # of the asks for past posts not shared, those never answered
ANSWERED_EARLY = 0.45  # asks for coming posts answered already (a yes: agreed)
REACH_SPREAD = 0.5  # standard deviation of ln(observed reach / expected reach)


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


class _History(NamedTuple):
    """A partner's asks so far: (day resolved, shared) and the day of the last ask."""

    resolved: list[tuple[date, bool]]
    last_asked: list[date]


class AskMaker:
    """Draws the asks of a demo workspace, oldest first, as rows of ``demo_data.COLUMNS``."""

    def __init__(self, rng: random.Random, today: date, params: ModelParams,
                 channels: Sequence[AudienceInput]) -> None:
        self.rng, self.today, self.params, self.channels = rng, today, params, channels
        self.x0: dict[int, float] = {}  # by post

    def rows(self, posts: Sequence[AskPost], partners: Sequence[AskPartner], n: int,
             upcoming: float) -> list[tuple[Any, ...]]:
        """``n`` asks for past posts and the next three weeks' (the share ``upcoming``, if any)."""
        today, horizon = self.today, self.today + timedelta(days=21)
        past = [p for p in posts if p.status == "published"]
        future = [p for p in posts if today <= p.day <= horizon
                  and p.status in ("scheduled", "draft")]
        n_future = round(n * upcoming) if future else 0
        asks = []
        for chosen, count in ((past, n - n_future), (future, n_future)):
            for post, partner in self.pairs(chosen, partners, count):
                asked = min(today, post.day - timedelta(days=2)) - \
                    timedelta(days=self.rng.randint(0, 10))
                asks.append((asked, post.id, partner.id, post, partner))
        asks.sort(key=lambda ask: ask[:3])
        history: dict[int, _History] = {}
        rows = []
        for asked, _, partner_id, post, partner in asks:
            seen = history.setdefault(partner_id, _History([], []))
            rows.append(self.ask(post, partner, asked, seen))
        return rows

    def pairs(self, posts: Sequence[AskPost], partners: Sequence[AskPartner], n: int
              ) -> list[tuple[AskPost, AskPartner]]:
        """``n`` distinct (post, partner) pairs; stronger partners are asked more often."""
        if n > len(posts) * len(partners):
            raise ValueError(f"cannot draw {n} distinct asks from {len(posts)} posts")
        cum_weights = list(itertools.accumulate(0.2 + p.strength for p in partners))
        seen: set[tuple[int, int]] = set()
        pairs: list[tuple[AskPost, AskPartner]] = []
        while len(pairs) < n:
            post = self.rng.choice(posts)
            partner = self.rng.choices(partners, cum_weights=cum_weights)[0]
            if (post.id, partner.id) not in seen:
                seen.add((post.id, partner.id))
                pairs.append((post, partner))
        return pairs

    def forecast(self, post: AskPost, partner: AskPartner, asked: date, seen: _History
                 ) -> tuple[float, float, float]:
        """p, ``E_c`` and ``x_0`` as the planner gives them on the day of the ask."""
        params = self.params
        x0 = self.x0.get(post.id)
        if x0 is None:
            own = leverage.own_reach(self.channels, post.target, params)
            x0 = self.x0[post.id] = min(1.0, own / params.universe)
        known = [shared for day, shared in seen.resolved if day <= asked]
        last = seen.last_asked[-1] if seen.last_asked else None
        p = leverage.ask_probability(PartnerInput(
            id=str(partner.id), name=partner.first, strength=partner.strength,
            audiences=partner.audiences, asked=len(known), shared=sum(known),
            days_since_last_ask=(asked - last).days if last else None), params)
        reach, _ = leverage.audience_reach(partner.audiences, post.target, params)
        return p, reach, x0

    def ask(self, post: AskPost, partner: AskPartner, asked: date, seen: _History
            ) -> tuple[Any, ...]:
        """One ask, its outcome drawn from the forecast; ``seen`` learns of it."""
        rng, today, day = self.rng, self.today, post.day
        p, reach, x0 = self.forecast(post, partner, asked, seen)
        shares = rng.random() < p
        if day >= today:  # a coming post: unanswered yet, or agreed to
            status = "agreed" if shares and rng.random() < ANSWERED_EARLY else "asked"
        elif rng.random() < UNCONFIRMED:
            status = "agreed"
        else:
            status = "shared" if shares else "no_reply" if rng.random() < NO_REPLY \
                else "declined"
        answered = min(today, asked + timedelta(days=rng.randint(0, 3))) \
            if status in ("agreed", "shared", "declined") else None
        closed = min(today, day + timedelta(days=1)) if status == "no_reply" else answered
        if status in ("shared", "declined", "no_reply"):
            seen.resolved.append((closed or asked, status == "shared"))
        seen.last_asked.append(asked)
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
