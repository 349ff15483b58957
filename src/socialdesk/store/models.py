"""Plain dataclasses the store hands out; no SQL and no Qt here."""

from __future__ import annotations

from dataclasses import dataclass, field

# Default tie strength per relationship stage, used when a contact has none of its own.
STAGE_STRENGTH = {"aware": 0.1, "engaged": 0.3, "ally": 0.6, "champion": 0.85}


@dataclass(frozen=True, slots=True)
class Detail:
    """An e-mail address, phone number or web address of a contact."""

    kind: str
    value: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Contact:
    """A person or organisation, with everything the detail pane shows."""

    id: int
    name: str
    organisation: str = ""
    kind: str = "customer"
    stage: str = "aware"
    strength: float | None = None
    effort_minutes: int = 10
    notes: str = ""
    follow_up_on: str | None = None
    structured_name: str = ""  # vCard N: family;given;additional;prefixes;suffixes, escaped
    org_units: str = ""  # the units after the organisation's name in a vCard ORG, escaped
    details: tuple[Detail, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def effective_strength(self) -> float:
        """The tie strength: the contact's own, or the default for its stage."""
        return self.strength if self.strength is not None else STAGE_STRENGTH[self.stage]

    def values(self, kind: str) -> tuple[str, ...]:
        """The contact's details of one kind (``email``, ``phone``, ``url``)."""
        return tuple(d.value for d in self.details if d.kind == kind)


@dataclass(frozen=True, slots=True)
class ContactRow:
    """One line of the contacts table."""

    id: int
    name: str
    organisation: str
    kind: str
    stage: str
    email: str
    tags: str
    follow_up_on: str | None
    audience: int


@dataclass(frozen=True, slots=True)
class PartnerRow:
    """A contact with at least one audience, summarised for the partners table."""

    id: int
    name: str
    organisation: str
    kind: str
    stage: str
    strength: float
    audience: int
    platforms: dict[str, int]
    topics: tuple[str, ...]
    asks_resolved: int
    asks_shared: int
    last_asked_on: str | None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Audience:
    """A partner's audience on one platform."""

    id: int
    contact_id: int
    platform: str
    size: int
    handle: str = ""
    engagement_rate: float | None = None
    last_checked_on: str | None = None
    topics: tuple[str, ...] = ()
    url: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """A relationship between two contacts, seen from one of them (``contact_id``)."""

    id: int
    from_id: int
    to_id: int
    kind: str = "knows"
    weight: float = 0.5
    directed: bool = False
    note: str = ""
    other_name: str = ""  # the contact at the other end, for display

    def other(self, contact_id: int) -> int:
        """The id of the contact at the other end from ``contact_id``."""
        return self.to_id if self.from_id == contact_id else self.from_id


@dataclass(frozen=True, slots=True)
class Interaction:
    """One entry of a relationship's history."""

    id: int
    contact_id: int
    happened_on: str
    kind: str = "note"
    note: str = ""


@dataclass(frozen=True, slots=True)
class Reciprocity:
    """What a contact did for us (shares) against what we gave them."""

    shared_interactions: int
    shared_asks: int
    gave: int

    @property
    def received(self) -> int:
        """Every share we know of: logged ``shared`` interactions and shared asks."""
        return self.shared_interactions + self.shared_asks

    @property
    def balance(self) -> int:
        """Positive when they have done more for us than we for them."""
        return self.received - self.gave


@dataclass(frozen=True, slots=True)
class Channel:
    """One of the business's own accounts."""

    id: int
    platform: str
    handle: str
    followers: int
    url: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class Campaign:
    """A campaign: a set of posts with one goal."""

    id: int
    name: str
    goal: str = ""
    starts_on: str | None = None
    ends_on: str | None = None
    colour: str = "#4c78a8"


@dataclass(frozen=True, slots=True)
class PostRow:
    """A post as the calendar and lists show it."""

    id: int
    title: str
    status: str
    scheduled_on: str | None
    scheduled_time: str | None
    campaign: str | None
    colour: str | None
    platforms: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    reach: int | None = None
    campaign_id: int | None = None
    timezone: str | None = None
    repeats: bool = False  # has a repeat rule or an evergreen interval
    occurrence: bool = False  # a repeat of the post on a later date, not its own date


@dataclass(frozen=True, slots=True)
class AskRow:
    """An ask to a partner to share a post."""

    id: int
    contact_id: int
    contact_name: str
    post_id: int | None
    post_title: str | None
    status: str
    asked_on: str
    due_on: str | None
    observed_reach: int | None = None
    answered_on: str | None = None
    message: str = ""
    predicted_reach: float | None = None
    effort_minutes: int | None = None
    note: str = ""
    post_status: str | None = None  # the status of the post asked about

    @property
    def counts_in_reports(self) -> bool:
        """True when the reach of this ask's share counts in reports: its post is published.

        A share recorded before the post is published teaches the planner at once, but its
        reach stays out of the reports' figures until the post is published.
        """
        return self.post_id is None or self.post_status == "published"


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A contact whose follow-up date has come."""

    contact_id: int
    name: str
    organisation: str
    follow_up_on: str


@dataclass(frozen=True, slots=True)
class WeekReach:
    """Reach of published posts in one week, own and through partners."""

    week_start: str
    posts: int
    own_reach: int
    partner_reach: int


@dataclass(frozen=True, slots=True)
class Counts:
    """How much a workspace holds."""

    contacts: int = 0
    partners: int = 0
    posts: int = 0
    campaigns: int = 0
    asks: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True for a workspace with no contacts and no posts."""
        return self.contacts == 0 and self.posts == 0


@dataclass(frozen=True, slots=True)
class PostDraft:
    """Everything about a post a user edits: what the post editor saves in one go."""

    title: str
    body: str = ""
    status: str = "idea"
    campaign_id: int | None = None
    scheduled_on: str | None = None
    scheduled_time: str | None = None
    timezone: str | None = None
    link: str = ""
    notes: str = ""
    location: str = ""  # where it happens (an event's iCalendar LOCATION)
    first_comment: str = ""  # posted under the post right after it (hashtags, a link)
    repeat_rule: str | None = None
    repeat_until: str | None = None
    evergreen_weeks: int | None = None
    published_url: str = ""
    reach: int | None = None
    clicks: int | None = None
    engagements: int | None = None
    channels: tuple[tuple[str, str | None], ...] = ()  # (platform, own text or None)
    topics: tuple[str, ...] = ()
    media: tuple[str, ...] = ()  # paths relative to the workspace's media folder
    media_alt: tuple[str, ...] = ()  # each media file's description (alt text), in order


@dataclass(frozen=True, slots=True)
class OccurrenceDraft:
    """What a user marks on one later date of a repeating post: its status and results."""

    status: str
    published_url: str = ""
    reach: int | None = None
    clicks: int | None = None
    engagements: int | None = None


@dataclass(frozen=True, slots=True)
class PostDetail:
    """A stored post: its identity and bookkeeping, and what the user edits.

    ``series_id`` and ``recurrence_id``: the imported repeating event the post is a date
    of, and which date (``post_series``; ``None`` for any other post).
    """

    id: int
    uid: str
    sequence: int
    created_at: str
    updated_at: str
    draft: PostDraft
    series_id: int | None = None
    recurrence_id: str | None = None
