"""What the demo workspace is made of: its sizes, its words, and the dice that pick them.

Names, places, partners, campaigns and post texts are fictional. E-mail addresses and
websites use the reserved ``.example`` domains, phone numbers the UK's ranges set aside
for drama (07700 900000–900999, 01632 960000–960999).
"""

from __future__ import annotations

import random
import re
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import NamedTuple

BAKERY = "Hearth & Crumb Bakery"
BAKERY_SLUG = "hearthandcrumb"
BAKERY_SITE = "https://hearthandcrumb.example"
TOWN = "Millbrook"
TIMEZONE = "Europe/London"

FIRST_NAMES = (
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Zoë", "Chloé", "Freya", "Grace", "Ruby",
    "Aoife", "Siobhán", "Małgorzata", "Agnieszka", "Anaïs", "Renée", "Ingrid", "Astrid",
    "Priya", "Aisha", "Fatima", "Ngozi", "Yuki", "Mei", "Lucía", "Inés", "Sofía", "Hannah",
    "Eleanor", "Maya", "Nadia", "Leila", "Emma", "Charlotte", "Beatriz", "Dorota",
    "Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Oscar", "Theo", "Finn",
    "José", "Łukasz", "Björn", "Søren", "François", "Jürgen", "Mateus", "Tomás", "Ciarán",
    "Oluwaseun", "Kwame", "Hiroshi", "Arjun", "Ravi", "Omar", "Yusuf", "Dmitri", "Mehmet",
    "Samuel", "Daniel", "Ethan", "Lewis", "Callum", "Rhys", "Dafydd", "Gareth",
)
LAST_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts",
    "Walker", "Wright", "Hughes", "Green", "Hall", "Wood", "Clarke", "Patel", "Khan", "Shah",
    "Ahmed", "Okafor", "Mensah", "Adeyemi", "Nguyen", "Chen", "Tanaka", "Kowalczyk",
    "Nowak", "Wiśniewska", "Müller", "Schäfer", "Jensen", "Lindqvist", "García", "Núñez",
    "Fernández", "Rodríguez", "Gonçalves", "Dubois", "Lefèvre", "Rossi", "Bianchi",
    "O'Brien", "O'Connor", "Ó Súilleabháin", "MacLeod", "Fraser", "Campbell", "Murphy",
    "Kelly", "Byrne", "Price", "Morgan", "Llewellyn", "Davies", "Cooper", "Baker", "Fletcher",
    "Miller", "Turner", "Harris", "Ward", "Brooks", "Fox", "Hart", "Bell", "Moss", "Reid",
)
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example", "post.example")

PLACES = (
    TOWN, "Riverside", "Old Town", "Hillcrest", "Oak Lane", "Mill Street", "Station Road",
    "Valley", "Northgate", "Willow", "Kingsbridge", "Church Street", "Harbour", "Meadow",
)
ORG_NOUNS = {
    "partner": ("Café", "Deli", "Brewery", "Yoga Studio", "Florist", "Bookshop", "Cheese Shop",
                "Coffee Roasters", "Wine Bar", "Butcher's", "Greengrocer", "Gym", "Hotel"),
    "community": ("Library", "Primary School PTA", "Community Garden", "Running Club",
                  "Choir", "Food Bank", "Scouts", "Allotment Society", "Rotary Club",
                  "Residents' Association", "Chamber of Commerce", "Farmers' Market"),
    "press": ("Gazette", "Radio", "Life Magazine", "Evening Post", "Community News"),
    "blogger": ("Eats", "Food Diary", "Kitchen Notes", "Crumbs Blog", "Foodie Walks"),
    "customer": ("Hotel", "Golf Club", "Care Home", "Office Canteen", "Café", "Tea Room"),
    "other": ("Council", "Estate Agents", "Print Shop", "Accountants"),
}

KIND_WEIGHTS_REGULAR = {
    "customer": 57, "fan": 20, "staff": 2, "other": 8, "press": 3, "blogger": 4,
    "community": 6, "partner": 6,
}
KIND_WEIGHTS_PARTNER = {"partner": 35, "blogger": 20, "community": 20, "fan": 15, "press": 10}
STAGE_WEIGHTS_REGULAR = {"aware": 50, "engaged": 30, "ally": 14, "champion": 6}
STAGE_WEIGHTS_PARTNER = {"aware": 10, "engaged": 30, "ally": 40, "champion": 20}
STRENGTH_RANGE = {
    "aware": (0.05, 0.3), "engaged": (0.3, 0.5), "ally": (0.5, 0.75), "champion": (0.75, 0.95),
}

TAGS = (
    "wholesale", "vip", "market", "gluten-free", "vegan", "regular", "newsletter",
    "volunteer", "supplier", "event host", "birthday cakes", "local",
)
TOPICS = (
    "bread", "pastry", "coffee", "local food", "events", "family", "wellness", "music",
    "community", "sustainability", "weddings", "gluten-free", "recipes", "arts",
)
PLATFORMS = (
    "instagram", "facebook", "tiktok", "x", "linkedin", "threads", "mastodon", "bluesky",
    "youtube", "pinterest", "newsletter", "blog",
)
PROFILE_URL = {
    "instagram": "https://instagram.com/{h}", "facebook": "https://facebook.com/{h}",
    "tiktok": "https://tiktok.com/@{h}", "x": "https://x.com/{h}",
    "linkedin": "https://linkedin.com/company/{h}", "threads": "https://threads.net/@{h}",
    "mastodon": "https://mastodon.social/@{h}", "bluesky": "https://bsky.app/profile/{h}.bsky.social",
    "youtube": "https://youtube.com/@{h}", "pinterest": "https://pinterest.com/{h}",
    "newsletter": "https://{h}.example/newsletter", "blog": "https://{h}.example/blog",
}


class Partner(NamedTuple):
    """One hand-written partner of the small demo."""

    organisation: str
    kind: str
    topics: tuple[str, ...]
    platforms: tuple[str, ...]
    typical_size: int


PARTNERS = (
    Partner("Corner Café", "partner", ("coffee", "local food"), ("instagram", "facebook"), 2400),
    Partner(f"{TOWN} Farmers' Market", "community", ("local food", "events", "sustainability"),
            ("facebook", "instagram", "newsletter"), 6500),
    Partner("Three Rivers Brewing Co.", "partner", ("events", "music", "local food"),
            ("instagram", "facebook", "tiktok"), 5200),
    Partner("Stillwater Yoga Studio", "partner", ("wellness", "community"),
            ("instagram", "newsletter"), 1300),
    Partner("The Crumb Chronicles", "blogger", ("bread", "recipes"),
            ("blog", "instagram", "pinterest", "youtube"), 14000),
    Partner("Flour & Field", "blogger", ("bread", "pastry", "sustainability"),
            ("instagram", "tiktok", "pinterest"), 9000),
    Partner(f"{TOWN} Public Library", "community", ("family", "community", "events", "arts"),
            ("facebook", "newsletter", "x"), 3100),
    Partner("St Anne's Primary PTA", "community", ("family", "events"), ("facebook",), 650),
    Partner(f"Radio {TOWN} 97.3", "press", ("music", "community", "events"),
            ("facebook", "x", "instagram", "youtube"), 42000),
    Partner(f"The {TOWN} Gazette", "press", ("community", "local food", "events"),
            ("facebook", "x", "newsletter", "threads"), 28000),
    Partner("Green Door Florist", "partner", ("weddings", "events"),
            ("instagram", "pinterest"), 1900),
    Partner("Blossom & Vow Weddings", "partner", ("weddings",),
            ("instagram", "pinterest", "tiktok"), 7400),
    Partner("Hilltop Community Garden", "community", ("sustainability", "local food"),
            ("facebook", "mastodon"), 480),
    Partner("Riverside Running Club", "community", ("wellness", "community"),
            ("facebook", "instagram"), 900),
    Partner("Little Acorns Nursery", "partner", ("family",), ("facebook",), 700),
    Partner(f"{TOWN} Jazz Collective", "community", ("music", "events", "arts"),
            ("instagram", "facebook", "youtube", "bluesky"), 2200),
    Partner("Oak Lane Deli", "partner", ("local food",), ("instagram",), 1100),
    Partner(f"{TOWN} Food Bank", "community", ("community", "sustainability"),
            ("facebook", "linkedin", "x"), 1600),
    Partner("Taste of the Valley", "blogger", ("local food", "events", "coffee"),
            ("blog", "instagram", "threads", "newsletter"), 11000),
    Partner("", "fan", ("bread", "family"), ("instagram", "tiktok"), 3300),
    Partner("The Gluten-Free Kitchen", "blogger", ("gluten-free", "wellness", "recipes"),
            ("blog", "pinterest", "instagram", "newsletter"), 18000),
    Partner("Bean There Roasters", "partner", ("coffee", "sustainability"),
            ("instagram", "tiktok", "bluesky"), 3800),
    Partner("Wild Thyme Restaurant", "partner", ("local food", "weddings"),
            ("instagram", "facebook"), 2700),
    Partner("Valley Life Magazine", "press", ("local food", "family", "arts"),
            ("instagram", "facebook", "linkedin", "newsletter"), 12000),
    Partner(f"{TOWN} Chamber of Commerce", "community", ("community", "events"),
            ("linkedin", "newsletter", "facebook"), 2100),
    Partner("Maple Street Bookshop", "partner", ("arts", "family", "community"),
            ("instagram", "mastodon", "threads"), 1500),
    Partner("Fern & Fig Wellness", "partner", ("wellness", "gluten-free"),
            ("instagram", "tiktok", "youtube"), 4100),
    Partner("", "fan", ("bread", "pastry", "coffee"), ("tiktok", "instagram", "threads"), 5600),
    Partner(f"{TOWN} Parents' Network", "community", ("family", "community"),
            ("facebook",), 3900),
    Partner("", "fan", ("music", "events"), ("x", "bluesky", "mastodon"), 850),
)

OWN_CHANNELS = (  # platform, followers (before jitter), active
    ("instagram", 1800, 1), ("facebook", 1200, 1), ("newsletter", 600, 1), ("tiktok", 350, 1),
)


class CampaignTemplate(NamedTuple):
    """A recurring campaign of the bakery's year."""

    name: str
    goal: str
    month: int
    day: int
    days: int
    products: tuple[str, ...]
    topics: tuple[str, ...]


CAMPAIGNS = (
    CampaignTemplate("New Year Wellness Loaves", "Sell 300 seeded and rye loaves in January.",
                     1, 5, 24, ("seeded rye", "spelt loaf", "oat & honey loaf"),
                     ("wellness", "bread")),
    CampaignTemplate("Valentine's Bakes", "Take 80 pre-orders for heart-shaped cakes.",
                     2, 3, 12, ("red velvet hearts", "raspberry tarts"), ("pastry", "events")),
    CampaignTemplate("Easter Hot Cross Buns", "Sell out the hot cross buns every day of Holy Week.",
                     3, 22, 20, ("hot cross buns", "simnel cake"), ("pastry", "family")),
    CampaignTemplate("Spring Market Season", "Bring 200 new customers to our market stall.",
                     4, 18, 30, ("focaccia", "wild garlic bread"), ("local food", "events")),
    CampaignTemplate("Wedding Fair Season", "Book 12 wedding-cake tastings.",
                     5, 23, 24, ("wedding cakes", "macarons"), ("weddings", "events")),
    CampaignTemplate("Summer Picnic Bakes", "Double weekend sales of picnic boxes.",
                     6, 20, 35, ("picnic boxes", "sausage rolls", "lemon drizzle"),
                     ("family", "local food")),
    CampaignTemplate("Back to School Lunchboxes", "Sign up 50 families for lunchbox bread.",
                     8, 25, 21, ("mini rolls", "flapjacks"), ("family",)),
    CampaignTemplate("Harvest Loaf Festival", "Raise £500 for the food bank with harvest loaves.",
                     9, 19, 10, ("harvest wheatsheaf", "apple cake"),
                     ("community", "local food")),
    CampaignTemplate("Autumn Sourdough Week", "Fill every seat of the three sourdough classes.",
                     10, 6, 14, ("sourdough", "pumpkin loaf", "apple turnovers"),
                     ("bread", "events", "recipes")),
    CampaignTemplate("Holiday Pre-orders", "Take 400 pre-orders for stollen, mince pies and cakes.",
                     11, 15, 39, ("stollen", "mince pies", "Christmas cake"),
                     ("pastry", "events", "family")),
)
COLOURS = ("#e45756", "#4c78a8", "#54a24b", "#f58518", "#b279a2", "#72b7b2", "#eeca3b",
           "#9d755d", "#ff9da6", "#bab0ac")
PRODUCTS = (
    "sourdough", "country rye", "cinnamon buns", "croissants", "focaccia", "babka",
    "seeded loaf", "gluten-free brownies", "pain au chocolat", "bagels", "baguettes",
    "cardamom knots", "carrot cake", "almond croissants", "sausage rolls", "flapjacks",
)
POST_TITLES = (  # (template, topics)
    ("Fresh {p} out of the oven", ("bread",)),
    ("Behind the scenes: shaping the {p}", ("bread", "recipes")),
    ("Back this weekend: {p}!", ("pastry",)),
    ("Meet the baker: {name}", ("community",)),
    ("Find our {p} at the farmers' market", ("local food", "events")),
    ("How we make our {p}", ("recipes", "bread")),
    ("Pre-order your {p} now", ("events",)),
    ("Coffee and {p}: the perfect pair", ("coffee", "pastry")),
    ("Our flour comes from just down the road", ("local food", "sustainability")),
    ("Gluten-free {p}, finally!", ("gluten-free", "wellness")),
    ("Live music and {p} on Saturday", ("music", "events")),
    ("Zero waste: what happens to yesterday's bread", ("sustainability", "community")),
    ("Wedding cake tasting day", ("weddings", "events")),
    ("Kids' baking club: {p}", ("family", "events")),
    ("Thank you, {org}!", ("community",)),
)
POST_BODIES = (
    "Fresh {p} from 7am. Come early, the first batch goes fast!",
    "We've been working on our {p} for weeks. Tell us what you think.",
    "Slow fermentation, local flour and a lot of patience: that's our {p}.",
    "Pop in for {p} and a chat — we love seeing you.",
    "This one's for everyone who asked about our {p}. Here's how it's done.",
)
HASHTAGS = "#{town} #realbread #shoplocal #{slug}"
TIMES = ("07:30", "08:00", "09:15", "11:00", "12:30", "16:00", "17:30", "19:00")
SKIP_NOTES = ("Sold out before we could post.", "Oven repair day.", "Clashed with market news.")
INTERACTION_NOTES = {
    "note": ("Prefers messages to calls.", "Interested in a collaboration in spring."),
    "met": ("Chatted at the farmers' market.", "Met at the {org} open evening."),
    "call": ("Called about a wholesale order of {p}.", "Phoned to plan a joint event."),
    "email": ("Sent the wholesale price list.", "Emailed a thank-you for the shout-out."),
    "message": ("DM about our {p}.", "Asked about opening hours over the holidays."),
    "gave": ("Gave a box of {p} for their raffle.", "Dropped off samples of {p}."),
    "received": ("Received a lovely review.", "They sent photos of our {p} at their event."),
    "shared": ("Shared our post about {p}.", "Reposted our story to their followers."),
}
NOTES_BY_KIND = {
    "customer": ("Buys {p} every Saturday.", "Ordered a birthday cake last year.",
                 "Allergic to nuts.", "Always asks about new {p}."),
    "fan": ("Posts photos of our {p} a lot.", "Came to every sourdough class."),
    "partner": ("Cross-promotion works well with them.", "Stocks our {p}."),
    "community": ("Runs the monthly events calendar.", "Good for volunteer days."),
    "press": ("Likes a local-business angle.", "Deadline is Thursday noon."),
    "blogger": ("Reviews honestly; send samples.", "Big on recipes and process videos."),
    "staff": ("Opens on weekdays.", "Our decorating expert."),
    "other": ("Landlord's agent.", "Does our printing."),
}


# The columns the demo fills, table by table, in an order that respects foreign keys.
COLUMNS: dict[str, tuple[str, ...]] = {
    # E-mails and tags go in before their contacts (foreign keys deferred): see
    # store.bulk.loading, which indexes the contacts for search at the end.
    "contact_details": ("contact_id", "kind", "value", "label", "position"),
    "contact_tags": ("contact_id", "tag_id"),
    "contacts": ("id", "uid", "name", "organisation", "kind", "stage", "strength",
                 "effort_minutes", "notes", "follow_up_on", "created_at", "updated_at"),
    "audiences": ("id", "contact_id", "platform", "handle", "url", "size", "engagement_rate",
                  "last_checked_on"),
    "audience_topics": ("audience_id", "topic_id"),
    "contact_links": ("from_id", "to_id", "kind", "weight", "directed", "note"),
    "interactions": ("contact_id", "happened_on", "kind", "note"),
    "channels": ("platform", "handle", "url", "followers", "active"),
    "campaigns": ("id", "name", "goal", "starts_on", "ends_on", "colour", "uid"),
    "posts": ("id", "uid", "title", "body", "status", "campaign_id", "scheduled_on",
              "scheduled_time", "timezone", "link", "notes", "repeat_rule", "repeat_until",
              "evergreen_weeks", "published_url", "reach", "clicks", "engagements", "sequence",
              "created_at", "updated_at"),
    "post_occurrences": ("post_id", "occurs_on", "status", "published_url", "reach", "clicks",
                         "engagements", "updated_at"),
    "post_channels": ("post_id", "platform", "body"),
    "post_topics": ("post_id", "topic_id"),
    "asks": ("uid", "post_id", "contact_id", "status", "asked_on", "due_on", "answered_on",
             "message", "predicted_reach", "observed_reach", "effort_minutes", "note",
             "created_at", "updated_at", "planned_p", "planned_reach", "planned_x0",
             "model_version", "planned_raw_p"),
}
# Post statuses by date: past, the next two weeks, later.
POST_STATUSES_BY_DATE = (
    {"published": 92, "skipped": 8},
    {"scheduled": 75, "draft": 25},
    {"draft": 55, "scheduled": 25, "idea": 20},
)
INTERACTION_WEIGHTS = {"note": 20, "met": 15, "call": 10, "email": 20, "message": 15,
                       "gave": 7, "received": 6, "shared": 7}
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "'": ""})


def slug(text: str) -> str:
    """``"Ó Súilleabháin"`` → ``"osuilleabhain"``: lower-case ASCII letters and digits."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore")
    return "".join(re.findall(r"[a-z0-9]+", folded.decode().lower()))


def organisation(rng: random.Random, kind: str) -> str:
    """An organisation for a contact of ``kind`` ('' for most private people)."""
    if kind == "staff":
        return BAKERY
    if kind == "fan" or (kind == "customer" and rng.random() > 0.12) or \
            (kind == "other" and rng.random() > 0.4):
        return ""
    place, noun = rng.choice(PLACES), rng.choice(ORG_NOUNS[kind])
    return f"The {place} {noun}" if kind == "press" else f"{place} {noun}"


def quota(rng: random.Random, n: int, weights: Mapping[str, float]) -> list[str]:
    """``n`` labels in proportion to ``weights``, in random order.

    Unlike independent draws, every label occurs at least once when ``n`` allows, so
    even a small demo shows every kind, stage and status.
    """
    keys, total = list(weights), sum(weights.values())
    counts = [int(n * weights[k] / total) for k in keys]
    if n >= len(keys):
        counts = [max(1, c) for c in counts]
    while sum(counts) > n:
        counts[counts.index(max(counts))] -= 1
    for i in rng.choices(range(len(keys)), [weights[k] for k in keys], k=n - sum(counts)):
        counts[i] += 1
    labels = [k for k, c in zip(keys, counts, strict=True) for _ in range(c)]
    rng.shuffle(labels)
    return labels


def spread(rng: random.Random, total: int, days: int) -> list[int]:
    """Posts per day: even on average, with some empty days and some busy ones."""
    counts = [total // days] * days
    for i in rng.sample(range(days), total % days):
        counts[i] += 1
    for _ in range(days // 5):
        i, j = rng.randrange(days), rng.randrange(days)
        if counts[i]:
            counts[i] -= 1
            counts[j] += 1
    return counts


def allocate(rng: random.Random, total: int, caps: Sequence[int]) -> list[int]:
    """Split ``total`` over ``len(caps)`` owners, each getting between 1 and its cap."""
    if not len(caps) <= total <= sum(caps):
        raise ValueError(f"cannot split {total} over {len(caps)} owners of capacity {sum(caps)}")
    counts, remaining = [1] * len(caps), total - len(caps)
    while remaining:
        i = rng.randrange(len(caps))
        if counts[i] < caps[i]:
            counts[i] += 1
            remaining -= 1
    return counts


def stamp(rng: random.Random, day: date, *, late: bool = False) -> str:
    """A UTC timestamp on ``day``, in the morning (or the afternoon if ``late``)."""
    second = rng.randrange(13 * 3600, 20 * 3600) if late else rng.randrange(7 * 3600, 13 * 3600)
    return f"{day.isoformat()}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}Z"


def uid(rng: random.Random) -> str:
    """A seeded, random-looking UUID (version 4 layout)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def random_partners(rng: random.Random, n: int) -> list[Partner]:
    """``n`` made-up partners with organisations, topics, platforms and a typical size."""
    return [
        Partner(organisation(rng, kind), kind, tuple(rng.sample(TOPICS, rng.randint(1, 3))),
                tuple(rng.sample(PLATFORMS, 6)), int(rng.lognormvariate(7.3, 1.0)) + 100)
        for kind in quota(rng, n, KIND_WEIGHTS_PARTNER)
    ]


def contact_details(rng: random.Random, first: str, last: str, organisation: str,
                    kind: str) -> list[tuple[str, str, str, int]]:
    """(kind, value, label, position) of e-mail addresses, phones and websites."""
    org = BAKERY_SLUG if kind == "staff" else slug(organisation)
    found: dict[str, list[tuple[str, str]]] = {"email": [], "phone": [], "url": []}
    if rng.random() < 0.85:
        address = f"{slug(first)}.{slug(last)}@{rng.choice(EMAIL_DOMAINS)}"
        found["email"].append((address, "home" if org else ""))
    if org and rng.random() < 0.5:
        found["email"].append((f"{slug(first)}@{org}.example", "work"))
    if rng.random() < 0.5:
        found["phone"].append((f"+44 7700 900{rng.randrange(1000):03d}", "mobile"))
    if org and rng.random() < 0.2:
        found["phone"].append((f"+44 1632 960{rng.randrange(1000):03d}", "work"))
    if org and kind != "staff" and rng.random() < 0.7:
        found["url"].append((f"https://{org}.example", "website"))
    return [(detail_kind, value, label, position) for detail_kind, items in found.items()
            for position, (value, label) in enumerate(items)]


def channel_text(rng: random.Random, platform: str, body: str, product: str) -> str | None:
    """A channel's own text for a quarter of the posts (None: the post's body as it is)."""
    if rng.random() > 0.25:
        return None
    if platform in ("instagram", "tiktok"):
        return f"{body}\n\n" + HASHTAGS.format(town=slug(TOWN), slug=slug(product))
    return f"This week at {BAKERY}: {body}"


def campaigns_near(today: date, limit: int) -> list[tuple[date, date, CampaignTemplate]]:
    """The ``limit`` campaign dates of the bakery's year nearest ``today``, by start date."""
    found = []
    for template in CAMPAIGNS:
        for year in range(today.year - 2, today.year + 3):
            start = date(year, template.month, template.day)
            end = start + timedelta(days=template.days - 1)
            found.append((max(start - today, today - end, timedelta(0)), start, end, template))
    found.sort(key=lambda item: item[:2])
    return sorted((item[1:] for item in found[:limit]), key=lambda item: item[0])
