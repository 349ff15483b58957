"""Sample workspaces: a small, believable bakery to explore, or a large one to test speed.

``socialdesk demo PATH`` calls :func:`create_demo`. The content depends only on the size,
the seed and ``today``: the same three give the same workspace, row for row. Every row
is generated in memory first, then written table by table in one transaction.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal, NamedTuple

from socialdesk.core import clock
from socialdesk.core import demo_data as d
from socialdesk.core.calendar.recurrence import occurrences
from socialdesk.core.demo_asks import AskMaker, AskPartner, AskPost
from socialdesk.core.demo_plans import PLANS, Plan, scaled
from socialdesk.core.planner.leverage import AudienceInput, ModelParams, PostInput
from socialdesk.core.planner.planning import model_params
from socialdesk.store import bulk
from socialdesk.store.models import STAGE_STRENGTH
from socialdesk.store.workspace import Workspace

DemoSize = Literal["small", "large", "huge"]
Progress = Callable[[str], None]  # told what is being made or written, as it starts
# The generated content's version: raised whenever the same size, seed and today give
# other rows (benchmarks keep generated workspaces under a name with it).
DEMO_VERSION = 4
Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class DemoCounts:
    """How many rows of each kind a demo workspace was given."""

    contacts: int
    partners: int  # contacts with at least one audience
    audiences: int
    links: int
    campaigns: int
    posts: int
    asks: int
    interactions: int
    channels: int


def populate_demo(
    ws: Workspace, size: DemoSize = "small", seed: int = 1, today: date | None = None,
    *, scale: float = 1, progress: Progress | None = None,
) -> DemoCounts:
    """Fill the open, empty workspace ``ws`` with a sample bakery, in one transaction.

    ``today`` (default: the app's today) anchors every date, so that the calendar and
    the follow-ups look current. ``scale`` multiplies every count of the size (tests
    make a small "huge" demo that way); ``progress`` is told each step as it starts.
    Raises :class:`ValueError` for an unknown size or a workspace that already has
    contacts or posts; nothing is written then.
    """
    today = today or clock.today()
    if size not in PLANS:
        raise ValueError(f"unknown demo size {size!r}: choose one of {', '.join(PLANS)}")
    tell = _Steps(progress)
    with ws.transaction():
        if bulk.count_rows(ws, "contacts") or bulk.count_rows(ws, "posts"):
            raise ValueError(
                f"{ws.path} already has contacts or posts; the demo only fills an empty "
                "workspace (create a new one with 'socialdesk demo NEW_FILE')."
            )
        ids = {table: bulk.next_id(ws, table)
               for table in ("contacts", "audiences", "campaigns", "posts")}
        demo = _Demo(random.Random(seed), today, scaled(PLANS[size], scale), ids,
                     bulk.upsert_names(ws, "tags", d.TAGS),
                     bulk.upsert_names(ws, "topics", d.TOPICS), model_params(ws), tell)
        demo.generate()
        with bulk.loading(ws):
            for table, columns in d.COLUMNS.items():
                tell(f"writing {len(demo.rows[table]):,} {table.replace('_', ' ')}")
                bulk.insert_rows(ws, table, columns, demo.rows[table])
            tell("indexing the contacts for search")
        tell("committing")
    tell("done")
    return demo.counts()


class _Steps:
    """Passes each step to a :data:`Progress` with the seconds since the first."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress, self.start = progress, time.monotonic()

    def __call__(self, step: str) -> None:
        if self.progress:
            self.progress(f"{time.monotonic() - self.start:6.1f} s  {step}")


def create_demo(
    path: Path | str, size: DemoSize = "small", seed: int = 1, today: date | None = None,
    *, scale: float = 1, progress: Progress | None = None,
) -> DemoCounts:
    """Create a new demo workspace at ``path``, which must not exist yet.

    The arguments after ``path`` are :func:`populate_demo`'s. Raises
    :class:`FileExistsError` (and touches nothing) if it does. If writing fails or is
    interrupted, the half-made file and its ``-wal``/``-shm`` companions are removed,
    so either a complete workspace exists afterwards or none.
    """
    path = Path(path).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.open("xb").close()  # claims the name atomically: never overwrite a file
    except FileExistsError:
        raise FileExistsError(
            f"{path} already exists; a demo workspace is only written to a new file. "
            "Choose another name or remove the file first."
        ) from None
    try:
        with Workspace.open(path, create=True) as ws:
            return populate_demo(ws, size, seed, today, scale=scale, progress=progress)
    except BaseException:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        raise


class _Partner(NamedTuple):
    id: int
    first: str
    organisation: str
    strength: float
    effort: int
    spec: d.Partner


class _Repeating(NamedTuple):
    id: int
    day: date
    rule: str | None
    until: str | None
    weeks: int | None
    platforms: list[str]
    link: bool


class _Campaign(NamedTuple):
    id: int
    start: date
    end: date
    template: d.CampaignTemplate


class _Demo:
    """Generates every row in memory; :func:`populate_demo` writes them."""

    def __init__(self, rng: random.Random, today: date, plan: Plan, ids: dict[str, int],
                 tag_ids: dict[str, int], topic_ids: dict[str, int],
                 params: ModelParams, tell: Progress) -> None:
        self.rng, self.today, self.plan, self.ids, self.params = rng, today, plan, ids, params
        self.tell = tell
        # Contacts' UIDs come from a generator of their own: the other rows stay as they were.
        self.uid_rng = random.Random(rng.random())
        self.tag_ids, self.topic_ids = tag_ids, topic_ids
        self.rows: dict[str, list[Row]] = {table: [] for table in d.COLUMNS}
        self.partners: list[_Partner] = []
        self.audience_inputs: dict[int, list[AudienceInput]] = {}  # by partner, for the asks
        self.own_channels: list[AudienceInput] = []
        self.campaigns: list[_Campaign] = []
        self.posts: list[AskPost] = []  # dated posts, for the asks
        self.published_series: list[_Repeating] = []  # for their past dates' results
        # The small demo, read by someone learning the app, gives each person a name of
        # their own and each campaign posts (see _name, _fill_campaigns). The larger ones,
        # benchmarks' input, stay as they are.
        self.teaching = plan.partners == len(d.PARTNERS)
        self.names: set[str] = set()

    def generate(self) -> None:
        """Make the rows of every table (the order of these calls is part of the output)."""
        for name, step in (
                ("contacts", self.contacts), ("audiences", self.audiences),
                ("links", self.links), ("interactions", self.interactions),
                ("channels", self.channels), ("campaigns", self.campaign_rows),
                ("posts", self.post_rows), ("asks", self.ask_rows),
                ("repeating posts' past dates", self.repeat_rows)):
            self.tell(f"making {name}")
            step()

    def counts(self) -> DemoCounts:
        """What was generated."""
        n = {table: len(rows) for table, rows in self.rows.items()}
        return DemoCounts(n["contacts"], len(self.partners), n["audiences"],
                          n["contact_links"], n["campaigns"], n["posts"], n["asks"],
                          n["interactions"], n["channels"])

    def days_ago(self, low: int, high: int) -> date:
        """A day between ``low`` and ``high`` days before today."""
        return self.today - timedelta(days=self.rng.randint(low, high))

    # -- people -------------------------------------------------------------------

    def contacts(self) -> None:
        """Contacts of every kind and stage; the partners sit at random places among them."""
        plan, rng = self.plan, self.rng
        partner_at = set(rng.sample(range(plan.contacts), plan.partners))
        specs = iter(d.PARTNERS if plan.partners == len(d.PARTNERS)
                     else d.random_partners(rng, plan.partners))
        regular = plan.contacts - plan.partners
        kinds = iter(d.quota(rng, regular, d.KIND_WEIGHTS_REGULAR))
        stages = iter(d.quota(rng, regular, d.STAGE_WEIGHTS_REGULAR))
        partner_stages = iter(d.quota(rng, plan.partners, d.STAGE_WEIGHTS_PARTNER))
        for index in range(plan.contacts):
            if index in partner_at:
                spec = next(specs)
                self.contact(index, spec.kind, next(partner_stages), spec.organisation, spec)
            else:
                kind = next(kinds)
                self.contact(index, kind, next(stages), d.organisation(rng, kind), None)

    def contact(self, index: int, kind: str, stage: str, organisation: str,
                spec: d.Partner | None) -> None:
        """One contact with its details and tags, and its partner record if it has one."""
        rng, contact_id = self.rng, self.ids["contacts"] + index
        first, last = self._name(index, rng.choice(d.FIRST_NAMES), rng.choice(d.LAST_NAMES))
        strength = round(rng.uniform(*d.STRENGTH_RANGE[stage]), 2) \
            if rng.random() < (0.85 if spec else 0.4) else None
        effort = rng.choice((5, 10, 10, 15, 20, 30)) if spec else 10
        notes = rng.choice(d.NOTES_BY_KIND[kind]).format(p=rng.choice(d.PRODUCTS)) \
            if rng.random() < 0.45 else ""
        follow_up = (self.today + timedelta(days=rng.randint(-21, 13))).isoformat() \
            if rng.random() < (0.35 if spec else 0.12) else None
        created = self.days_ago(20, 1100)
        updated = created + timedelta(days=rng.randint(1, (self.today - created).days))
        self.rows["contacts"].append((
            contact_id, f"urn:uuid:{d.uid(self.uid_rng)}", f"{first} {last}", organisation,
            kind, stage, strength, effort, notes, follow_up, d.stamp(rng, created),
            d.stamp(rng, updated),
        ))
        for detail in d.contact_details(rng, first, last, organisation, kind):
            self.rows["contact_details"].append((contact_id, *detail))
        for tag in rng.sample(d.TAGS, rng.choices((0, 1, 2, 3), (45, 35, 15, 5))[0]):
            self.rows["contact_tags"].append((contact_id, self.tag_ids[tag]))
        if spec:  # the planner reads a missing strength as the stage's
            if strength is None:
                strength = STAGE_STRENGTH[stage]
            self.partners.append(
                _Partner(contact_id, first, organisation, strength, effort, spec))

    def _name(self, index: int, first: str, last: str) -> tuple[str, str]:
        """``first last``, or in the small demo another surname if someone has that name.

        The other surnames come from a generator of their own: every other row stays.
        """
        if self.teaching:
            other = random.Random(f"name {index}")
            while f"{first} {last}" in self.names:
                last = other.choice(d.LAST_NAMES)
            self.names.add(f"{first} {last}")
        return first, last

    def audiences(self) -> None:
        """Each partner's audiences on its platforms, with sizes, engagement and topics."""
        rng, rows = self.rng, self.rows
        caps = [len(p.spec.platforms) for p in self.partners]
        counts = d.allocate(rng, self.plan.audiences, caps)
        for partner, count in zip(self.partners, counts, strict=True):
            spec, inputs = partner.spec, self.audience_inputs.setdefault(partner.id, [])
            handle = d.slug(spec.organisation or f"{partner.first}{partner.id}")
            for rank, platform in enumerate(spec.platforms[:count]):
                audience_id = self.ids["audiences"] + len(rows["audiences"])
                size = max(80, int(spec.typical_size * rng.lognormvariate(0, 0.3) / (1 + rank)))
                rate = rng.uniform(0.25, 0.55) if platform == "newsletter" else \
                    rng.uniform(0.01, 0.08)
                rows["audiences"].append((
                    audience_id, partner.id, platform,
                    "" if platform in ("newsletter", "blog") else handle,
                    d.PROFILE_URL[platform].format(h=handle), size,
                    round(rate, 3) if rng.random() < 0.9 else None,
                    self.days_ago(0, 180).isoformat() if rng.random() < 0.85 else None,
                ))
                topics = [] if rng.random() < 0.05 else \
                    rng.sample(spec.topics, rng.randint(1, len(spec.topics)))
                if rng.random() < 0.15:
                    topics.append(rng.choice(d.TOPICS))
                for topic in dict.fromkeys(topics):
                    rows["audience_topics"].append((audience_id, self.topic_ids[topic]))
                inputs.append(AudienceInput(platform, size, frozenset(topics)))

    def links(self) -> None:
        """Who knows, works with or belongs to whom: between partners only, one per pair.

        As sparse as a small business's network: a few links per partner (plan.links).
        """
        rng, wanted = self.rng, self.plan.links
        seen: set[tuple[int, int]] = set()
        for _ in range(wanted * 50):
            if len(seen) == wanted:
                return
            a, b = rng.sample(self.partners, 2)
            kind = rng.choices(("knows", "works_with", "member_of"), (60, 30, 10))[0]
            if kind == "member_of" and b.spec.kind != "community":
                kind = "knows"
            directed = kind == "member_of"
            low, high = sorted((a.id, b.id))  # one link per pair, either way round
            if (low, high) in seen:
                continue
            seen.add((low, high))
            note = f"Met through {b.organisation}." \
                if b.organisation and rng.random() < 0.2 else ""
            ends = (a.id, b.id) if directed else (low, high)  # undirected: smaller id first
            self.rows["contact_links"].append(
                (*ends, kind, round(rng.uniform(0.2, 0.9), 2), int(directed), note))
        raise RuntimeError(f"could not draw {wanted} distinct links between partners")

    def interactions(self) -> None:
        """Notes, meetings, calls, messages and gifts over the last year."""
        rng, first = self.rng, self.ids["contacts"]
        orgs = [p.organisation for p in self.partners if p.organisation]
        for kind in d.quota(rng, self.plan.interactions, d.INTERACTION_WEIGHTS):
            with_partner = kind in ("shared", "gave") or rng.random() < 0.4
            contact_id = rng.choice(self.partners).id if with_partner else \
                first + rng.randrange(self.plan.contacts)
            note = rng.choice(d.INTERACTION_NOTES[kind]).format(
                p=rng.choice(d.PRODUCTS), org=rng.choice(orgs))
            self.rows["interactions"].append(
                (contact_id, self.days_ago(0, 364).isoformat(), kind, note))

    # -- the calendar -------------------------------------------------------------

    def channels(self) -> None:
        """The bakery's own accounts."""
        for platform, followers, active in d.OWN_CHANNELS:
            count = int(followers * self.rng.uniform(0.9, 1.1))
            self.rows["channels"].append((
                platform, "" if platform == "newsletter" else d.BAKERY_SLUG,
                d.PROFILE_URL[platform].format(h=d.BAKERY_SLUG), count, active,
            ))
            if active:
                self.own_channels.append(AudienceInput(platform, count))

    def campaign_rows(self) -> None:
        """The campaigns of the bakery's year nearest today."""
        for index, (start, end, template) in enumerate(
                d.campaigns_near(self.today, self.plan.campaigns)):
            campaign = _Campaign(self.ids["campaigns"] + index, start, end, template)
            self.campaigns.append(campaign)
            self.rows["campaigns"].append((
                campaign.id, template.name, template.goal, start.isoformat(), end.isoformat(),
                d.COLOURS[index % len(d.COLOURS)],
                d.uid(random.Random(f"{template.name} {start}")),  # seeded: no trigger's
            ))

    def campaign_for(self, day: date | None) -> _Campaign | None:
        """Most posts in a campaign's dates belong to it; some undated ideas do too."""
        rng = self.rng
        if day is None:
            return rng.choice(self.campaigns) if rng.random() < 0.3 else None
        running = [c for c in self.campaigns if c.start <= day <= c.end]
        return running[0] if running and rng.random() < 0.7 else None

    def post_rows(self) -> None:
        """Dated posts from ``past_days`` ago to ``future_days`` ahead; a few undated ideas."""
        plan, today, past = self.plan, self.today, self.plan.past_days
        per_day = d.spread(self.rng, plan.posts - plan.ideas, past + plan.future_days + 1)
        slots = [(today + timedelta(days=i - past), seq)
                 for i, n in enumerate(per_day) for seq in range(n)]
        groups: tuple[list[int], list[int], list[int]] = ([], [], [])  # past, soon, later
        for index, (day, _) in enumerate(slots):
            groups[0 if day < today else 1 if day <= today + timedelta(14) else 2].append(index)
        statuses = [""] * len(slots)
        for indexes, weights in zip(groups, d.POST_STATUSES_BY_DATE, strict=True):
            for index, status in zip(indexes, d.quota(self.rng, len(indexes), weights),
                                     strict=True):
                statuses[index] = status
        for (day, seq), status in zip(slots, statuses, strict=True):
            self.post(day, seq, status)
        for _ in range(plan.ideas):
            self.post(None, 0, "idea")
        if self.teaching:
            self._fill_campaigns()

    def _fill_campaigns(self, fewest: int = 2) -> None:
        """Give a campaign without posts (it starts as the calendar ends) a few of its own.

        Posts in its dates that have no campaign join it, then undated ideas: at least
        ``fewest`` when there are enough. Nothing random is drawn: every other row stays.
        """
        posts = self.rows["posts"]
        for campaign in self.campaigns:
            if any(row[5] == campaign.id for row in posts):
                continue
            start, end = campaign.start.isoformat(), campaign.end.isoformat()
            dated = [i for i, row in enumerate(posts)
                     if row[5] is None and row[6] and start <= row[6] <= end]
            ideas = [i for i, row in enumerate(posts) if row[5] is None and row[6] is None]
            for i in (dated + ideas)[:max(fewest, len(dated))]:
                # Its topics stay: the asks' forecasts were made with them.
                posts[i] = (*posts[i][:5], campaign.id, *posts[i][6:])

    def post(self, day: date | None, seq: int, status: str) -> None:
        """One post (``day`` None: an undated idea) with its channels and topics."""
        rng, post_id = self.rng, self.ids["posts"] + len(self.rows["posts"])
        campaign = self.campaign_for(day)
        template, topics = rng.choice(d.POST_TITLES)
        product = rng.choice(campaign.template.products if campaign else d.PRODUCTS)
        org = rng.choice(self.partners).organisation or "our fans"
        title = template.format(p=product, P=product.capitalize(), org=org,
                                name=rng.choice(d.FIRST_NAMES))
        body = rng.choice(d.POST_BODIES).format(p=product)
        time = rng.choice(d.TIMES) if day and rng.random() < 0.85 else None
        link = f"{d.BAKERY_SITE}/{d.slug(product)}" if rng.random() < 0.3 else ""
        repeat = rng.choices((None, "weekly", "monthly"), (96, 3, 1))[0] \
            if day and status != "skipped" else None
        until = (day + timedelta(weeks=8)).isoformat() if day and repeat else None
        evergreen = rng.choice((8, 12, 26)) if status == "published" and rng.random() < 0.05 \
            else None
        platforms = rng.sample([c[0] for c in d.OWN_CHANNELS],
                               rng.choices((1, 2, 3), (4, 4, 2))[0])
        created = min(day or self.today, self.today) - timedelta(days=rng.randint(1, 21))
        updated = created + timedelta(days=rng.randint(1, (self.today - created).days))
        self.rows["posts"].append((
            post_id, d.uid(rng), title, body, status,
            campaign and campaign.id, day and day.isoformat(), time, time and d.TIMEZONE,
            link, rng.choice(d.SKIP_NOTES) if status == "skipped" else "", repeat, until,
            evergreen, *self.results(status, platforms, bool(link), day), 0,
            d.stamp(rng, created), d.stamp(rng, updated, late=True),
        ))
        all_topics = dict.fromkeys([*topics, *(campaign.template.topics if campaign else ())])
        if day:
            self.posts.append(AskPost(post_id, day, status, title,
                                      PostInput(frozenset(all_topics), frozenset(platforms))))
        if day and status == "published" and (repeat or evergreen):
            self.published_series.append(
                _Repeating(post_id, day, repeat, until, evergreen, platforms, bool(link)))
        for platform in platforms:
            self.rows["post_channels"].append(
                (post_id, platform, d.channel_text(rng, platform, body, product)))
        for topic in all_topics:
            self.rows["post_topics"].append((post_id, self.topic_ids[topic]))

    def results(self, status: str, platforms: list[str], link: bool, day: date | None
                ) -> tuple[str, int | None, int | None, int | None]:
        """published_url, reach, clicks, engagements: typed in for most published posts."""
        if status != "published" or day is None:
            return "", None, None, None
        rng, code = self.rng, f"{self.rng.getrandbits(40):010x}"
        url = f"{d.BAKERY_SITE}/newsletter/{day.isoformat()}" if platforms[0] == "newsletter" \
            else d.PROFILE_URL[platforms[0]].format(h=d.BAKERY_SLUG) + f"/posts/{code}"
        if rng.random() < 0.06:
            return url, None, None, None
        followers = {c[0]: c[1] for c in d.OWN_CHANNELS}
        own = sum(followers[p] * (0.35 if p == "newsletter" else 0.1) for p in platforms)
        reach = int(own * rng.lognormvariate(0.2, 0.45))
        clicks = int(reach * rng.uniform(0.01, 0.04 if link else 0.008))
        return url, reach, clicks, int(reach * rng.uniform(0.03, 0.12))

    def repeat_rows(self) -> None:
        """The past dates of published repeating posts: most published with results."""
        yesterday = self.today - timedelta(days=1)
        for series in self.published_series:
            until = date.fromisoformat(series.until) if series.until else None
            for day in occurrences(series.day, series.day + timedelta(days=1), yesterday,
                                   repeat_rule=series.rule, repeat_until=until,
                                   evergreen_weeks=series.weeks):
                status = "skipped" if self.rng.random() < 0.1 else "published"
                self.rows["post_occurrences"].append((
                    series.id, day.isoformat(), status,
                    *self.results(status, series.platforms, series.link, day),
                    d.stamp(self.rng, day, late=True)))

    def ask_rows(self) -> None:
        """The Planner's suggested asks, with their forecasts, outcomes drawn from them."""
        partners = [AskPartner(p.id, p.first, p.strength, p.effort,
                               tuple(self.audience_inputs[p.id])) for p in self.partners]
        maker = AskMaker(self.rng, self.today, self.params, self.own_channels, partners,
                         self.tell)
        self.rows["asks"] = maker.rows(self.posts, self.plan.asks, self.plan.upcoming)
