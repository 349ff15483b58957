"""The figures the Reports view, the Today card and the campaign PDF show; no SQL here.

Reach figures count published posts only: a post's own reach is the ``reach`` typed in after
publishing, its reach through partners the ``observed_reach`` of the asks that were shared.
A later date of a repeating post marked published counts as a published post of its own,
with its own reach (asks belong to the post's own date). A share recorded while its post
is not published counts among the asks shared but adds no reach until the post is.
The *leverage ratio* is reach through partners ÷ own reach; *reach per hour* is reach
through partners ÷ the hours spent asking (every ask counts, shared or not).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True, slots=True)
class Leverage:
    """Results of the published posts dated ``first``–``last``: own reach against partners'."""

    first: str
    last: str
    posts: int = 0
    own_reach: int = 0
    partner_reach: int = 0
    asks: int = 0
    shared: int = 0
    effort_minutes: int = 0

    @property
    def ratio(self) -> float | None:
        """Reach through partners ÷ own reach (None without own reach)."""
        return _ratio(self.partner_reach, self.own_reach)

    @property
    def reach_per_hour(self) -> float | None:
        """Reach through partners per hour spent asking (None without effort)."""
        return _ratio(self.partner_reach * 60, self.effort_minutes)

    @property
    def empty(self) -> bool:
        """True when no post in the period has results to compare."""
        return not (self.own_reach or self.partner_reach)

    @staticmethod
    def combined(parts: Iterable[Leverage]) -> Leverage:
        """The sum of consecutive periods, from the first one's start to the last one's end."""
        parts = list(parts)
        if not parts:
            raise ValueError("nothing to combine")
        return Leverage(
            parts[0].first, parts[-1].last,
            sum(p.posts for p in parts), sum(p.own_reach for p in parts),
            sum(p.partner_reach for p in parts), sum(p.asks for p in parts),
            sum(p.shared for p in parts), sum(p.effort_minutes for p in parts),
        )


@dataclass(frozen=True, slots=True)
class PartnerAsks:
    """How one partner answered asks: counts by outcome, reach delivered, effort spent."""

    contact_id: int
    name: str
    organisation: str
    asked: int
    shared: int
    declined: int
    no_reply: int
    waiting: int
    reach: int  # observed reach of the shared asks
    effort_minutes: int
    last_asked_on: str | None
    visits: int = 0  # what their tracked links brought (imported clicks)

    @property
    def answered(self) -> int:
        """Resolved asks: shared, declined or unanswered (the model's n)."""
        return self.shared + self.declined + self.no_reply

    @property
    def success(self) -> float | None:
        """Shared ÷ resolved asks (None before any ask is resolved)."""
        return _ratio(self.shared, self.answered)

    @property
    def reach_per_hour(self) -> float | None:
        """Reach delivered per hour spent asking this partner."""
        return _ratio(self.reach * 60, self.effort_minutes)


@dataclass(frozen=True, slots=True)
class PostResult:
    """One post's results: own reach, asks and reach through partners, predicted and real.

    ``predicted`` and ``realised`` compare like with like: both sum over the post's asks
    that carry the planner's prediction and have an outcome (declined or unanswered asks
    realised 0; shared asks count only once their reach is typed in).
    """

    post_id: int
    title: str
    scheduled_on: str | None
    status: str
    campaign: str | None
    colour: str | None
    own_reach: int | None
    asks: int
    shared: int
    waiting: int
    partner_reach: int
    effort_minutes: int
    compared: int  # asks in the comparison
    predicted: float | None
    realised: int | None

    @property
    def accuracy(self) -> float | None:
        """Realised ÷ predicted reach through partners (1.0 = as predicted)."""
        if self.predicted is None or self.realised is None:
            return None
        return _ratio(self.realised, self.predicted)


@dataclass(frozen=True, slots=True)
class Calibration:
    """Predicted against realised reach through partners, summed over compared posts."""

    posts: int
    asks: int
    predicted: float
    realised: int

    @property
    def accuracy(self) -> float | None:
        """Realised ÷ predicted (None when nothing was predicted)."""
        return _ratio(self.realised, self.predicted)

    @staticmethod
    def of(results: Iterable[PostResult]) -> Calibration:
        """Sum the comparable posts among ``results``."""
        compared = [r for r in results if r.compared]
        return Calibration(len(compared), sum(r.compared for r in compared),
                           sum(r.predicted or 0.0 for r in compared),
                           sum(r.realised or 0 for r in compared))


@dataclass(frozen=True, slots=True)
class CampaignRow:
    """A campaign's line in the Reports view's campaign table."""

    campaign_id: int | None  # None: the posts without a campaign
    name: str
    colour: str
    goal: str
    starts_on: str | None
    ends_on: str | None
    posts: int
    published: int
    own_reach: int  # published posts
    partner_reach: int  # shares of published posts, asked and unasked
    asks: int
    answered: int
    shared: int
    visits: int = 0  # what the tracked links of the asks for its posts brought

    @property
    def ratio(self) -> float | None:
        """Reach through partners ÷ own reach."""
        return _ratio(self.partner_reach, self.own_reach)

    @property
    def success(self) -> float | None:
        """Shared ÷ answered asks."""
        return _ratio(self.shared, self.answered)


@dataclass(frozen=True, slots=True)
class CampaignFacts:
    """A campaign's name, goal and dates, and the span of its dated posts."""

    id: int
    name: str
    goal: str
    starts_on: str | None
    ends_on: str | None
    colour: str
    first_post_on: str | None
    last_post_on: str | None

    @property
    def first(self) -> str | None:
        """Where the campaign's report starts: its start date, else its first post."""
        return min(filter(None, (self.starts_on, self.first_post_on)), default=None)

    @property
    def last(self) -> str | None:
        """Where the campaign's report ends: its end date, else its last post."""
        return max(filter(None, (self.ends_on, self.last_post_on)), default=None)


@dataclass(frozen=True, slots=True)
class CampaignReport:
    """Everything the campaign report shows: facts, weekly results, partners, posts."""

    facts: CampaignFacts
    totals: Leverage  # the campaign's published posts, whole span
    weeks: tuple[Leverage, ...]
    partners: tuple[PartnerAsks, ...]  # best first (reach, then shares)
    posts: tuple[PostResult, ...]  # by date
    visits: int = 0  # what the tracked links of the asks for its posts brought

    @property
    def published(self) -> int:
        """Published posts."""
        return sum(p.status == "published" for p in self.posts)

    @property
    def asks(self) -> int:
        """Every ask for the campaign's posts, open or answered."""
        return sum(p.asks for p in self.posts)

    @property
    def waiting(self) -> int:
        """Asks still waiting: asked or agreed, no outcome yet."""
        return sum(p.waiting for p in self.posts)

    @property
    def shared(self) -> int:
        """Asks that were shared."""
        return sum(p.shared for p in self.posts)

    @property
    def success(self) -> float | None:
        """Shared ÷ answered asks."""
        return _ratio(self.shared, self.asks - self.waiting)


@dataclass(frozen=True, slots=True)
class AskHourGroup:
    """Asks for posts with a link with one ask date, recorded in one quarter hour (UTC).

    With the visits they brought.
    """

    asked_on: str  # the ask's date (the workspace's own calendar)
    utc_quarter: str  # when they were recorded: "YYYY-MM-DDTHH:MM" (MM 00, 15, 30, 45), UTC
    asks: int
    visits: int


@dataclass(frozen=True, slots=True)
class AskingHour:
    """Asks made at one hour of the day (the workspace's time zone) and the visits they brought.

    Counts the asks for posts with a link, the only ones a tracked link can bring visits
    from, whose hour is known (see :mod:`socialdesk.core.share.asking_hours`).
    """

    hour: int  # 0–23
    asks: int = 0
    visits: int = 0

    @property
    def visits_per_ask(self) -> float | None:
        """Visits ÷ asks (None without asks)."""
        return _ratio(self.visits, self.asks)


@dataclass(frozen=True, slots=True)
class ReachGrid:
    """Published posts and their reach by weekday (0 = Monday) × hour (0–23) they went out.

    Worked out by :mod:`socialdesk.core.calendar.best_times` (which ranks the cells).
    """

    posts: tuple[tuple[int, ...], ...] = ((0,) * 24,) * 7
    reach: tuple[tuple[int, ...], ...] = ((0,) * 24,) * 7

    @property
    def total(self) -> int:
        """The posts counted (with a reach and a known hour)."""
        return sum(map(sum, self.posts))

    def average(self, weekday: int, hour: int) -> float | None:
        """A cell's average reach (None without posts)."""
        count = self.posts[weekday][hour]
        return self.reach[weekday][hour] / count if count else None


@dataclass(frozen=True, slots=True)
class ReportsOverview:
    """What the Reports view shows before a campaign is picked."""

    day: str  # the "today" the figures were read for
    weeks: tuple[Leverage, ...]  # the last 12 weeks, oldest first
    partners: tuple[PartnerAsks, ...]
    predictions: tuple[PostResult, ...]  # posts with compared asks, by date
    campaigns: tuple[CampaignRow, ...]
    hours: tuple[AskingHour, ...] = ()  # the 24 hours of the day asks were made at
    reach_grid: ReachGrid = ReachGrid()  # own reach by weekday and hour posts went out

    @property
    def totals(self) -> Leverage:
        """The 12 weeks together."""
        return Leverage.combined(self.weeks)
