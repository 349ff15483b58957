"""Each network's text limit, feed fold, media count and link card, and how it counts.

Networks count differently, so one ``len()`` would mislead:

- X counts every link as 23 characters whatever its length, an emoji (even a
  family of several joined emoji) as 2, and letters outside the Latin, Greek, Cyrillic,
  Hebrew, Arabic and Indic blocks (Chinese, Japanese, Korean…) as 2 (twitter-text v3).
- Mastodon counts code points, with every link as 23.
- Bluesky counts graphemes: what a reader sees as one character ("👍🏽", "é") is one.
- The others count code points of the NFC-normalised text.

Texts are never cut: :func:`check_text` says how far over the limit a text is.

Beyond the hard limit, a feed shows only the start of a long text before "… more" (the
*fold*, on a phone and on a computer), takes a number of media files per post, and may
turn a link into a card. These figures are approximate (networks change them without
notice and the fold moves with line breaks): ``docs/networks.md`` lists them with their
sources.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LINK_LENGTH = 23  # what X and Mastodon count for any link


@dataclass(frozen=True, slots=True)
class NetworkLimit:
    """A network's text limit and its way of counting."""

    platform: str
    name: str
    limit: int
    counting: str = "characters"  # "characters" (code points), "graphemes" or "x"
    link_length: int | None = None  # a link counts this much, whatever its length
    fold: int | None = None  # characters a phone's feed shows before "… more" (None: all)
    fold_desktop: int | None = None  # the same on a computer (None: as on a phone)
    media: int | None = None  # media files per post (None: no figure known)
    link_card: str = "card"  # "card", "card_without_media" (media take its place), "none"


# THE table of limits (characters per post), folds, media per post and link cards.
LIMITS: dict[str, NetworkLimit] = {
    entry.platform: entry for entry in (
        NetworkLimit("x", "X", 280, "x", LINK_LENGTH, media=4,
                     link_card="card_without_media"),
        NetworkLimit("bluesky", "Bluesky", 300, "graphemes", media=4,
                     link_card="card_without_media"),
        NetworkLimit("threads", "Threads", 500, fold=250, fold_desktop=500, media=20),
        NetworkLimit("mastodon", "Mastodon", 500, "characters", LINK_LENGTH, media=4,
                     link_card="card_without_media"),
        NetworkLimit("pinterest", "Pinterest", 500, media=1, link_card="none"),
        NetworkLimit("google_business", "Google Business", 1_500, media=1, link_card="none"),
        NetworkLimit("instagram", "Instagram", 2_200, fold=125, media=20, link_card="none"),
        NetworkLimit("tiktok", "TikTok", 2_200, fold=150, media=35, link_card="none"),
        NetworkLimit("linkedin", "LinkedIn", 3_000, fold=140, fold_desktop=210, media=20),
        NetworkLimit("facebook", "Facebook", 63_206, fold=125, fold_desktop=480),
    )
}

# Channels a post can target, in the order the editor offers them.
CHANNEL_PLATFORMS = (
    "instagram", "facebook", "x", "threads", "bluesky", "mastodon", "linkedin", "tiktok",
    "pinterest", "google_business", "youtube", "newsletter", "blog",
)
_NAMES = {"youtube": "YouTube", "newsletter": "Newsletter", "blog": "Blog", "other": "Other"}


def platform_name(platform: str) -> str:
    """How a platform is written for people: "X", "LinkedIn", "Google Business"."""
    entry = LIMITS.get(platform)
    if entry:
        return entry.name
    return _NAMES.get(platform, platform.replace("_", " ").title())


def limit_for(platform: str) -> int | None:
    """The platform's limit, or None when it has none (newsletter, blog, YouTube…)."""
    entry = LIMITS.get(platform)
    return entry.limit if entry else None


def media_limit(platform: str) -> int | None:
    """How many media files a post on ``platform`` may have, or None when no figure is known."""
    entry = LIMITS.get(platform)
    return entry.media if entry else None


# --- links ----------------------------------------------------------------------------

_TLDS = (
    "com|org|net|edu|gov|io|co|uk|de|fr|nl|be|es|it|eu|us|ca|au|nz|ie|ch|at|se|no|dk|fi|"
    "app|dev|info|me|ly|gl|social|shop|store|blog|news|online|site|xyz|art|tv|fm"
)
LINK_RE = re.compile(
    r"(?<![@\w.-])(?:"
    r"(?:https?://|www\.)[^\s<>\"]+"
    rf"|(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"]*)?"
    r")",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\"»…"


def _trim(url: str) -> str:
    """A link without the punctuation that ends the sentence around it."""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url


def link_spans(text: str) -> list[tuple[int, str]]:
    """Each link in ``text`` with where it starts (an index into ``text``)."""
    return [(match.start(), trimmed) for match in LINK_RE.finditer(text)
            if (trimmed := _trim(match.group()))]


def links(text: str) -> list[str]:
    """The links in ``text`` as networks recognise them (with or without https://)."""
    return [url for _, url in link_spans(text)]


def _split_links(text: str) -> tuple[str, int]:
    """``text`` with its links removed, and how many there were."""
    parts: list[str] = []
    last = 0
    spans = link_spans(text)
    for start, url in spans:
        parts.append(text[last:start])
        last = start + len(url)
    parts.append(text[last:])
    return "".join(parts), len(spans)


# --- graphemes ------------------------------------------------------------------------

_ZWJ = 0x200D


def _extends(code: int, char: str) -> bool:
    """True for a code point that belongs to the character before it."""
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or 0xFE00 <= code <= 0xFE0F  # variation selectors (text or emoji style)
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tag characters (flags of regions)
        or code == 0x20E3  # keycap
    )


def _regional(code: int) -> bool:
    return 0x1F1E6 <= code <= 0x1F1FF


def graphemes(text: str) -> list[str]:
    """``text`` split into what a reader sees as characters (an approximation of UAX #29).

    Joins combining marks, variation selectors, skin tones, keycaps, zero-width-joined
    emoji sequences and flag pairs to the character they belong to.
    """
    clusters: list[str] = []
    join_next = False
    for char in text:
        code = ord(char)
        if clusters and (join_next or code == _ZWJ or _extends(code, char)):
            clusters[-1] += char
            join_next = code == _ZWJ
            continue
        last = clusters[-1] if clusters else ""
        if (_regional(code) and len(last) == 1 and _regional(ord(last))):
            clusters[-1] += char  # a flag: two regional indicators
            continue
        clusters.append(char)
        join_next = False
    return clusters


def _is_emoji(cluster: str) -> bool:
    code = ord(cluster[0])
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or 0x2B00 <= code <= 0x2BFF
        or 0x2300 <= code <= 0x23FF
        or any(ord(c) == 0xFE0F or ord(c) == 0x20E3 for c in cluster[1:])
    )


def _x_weight(code: int) -> int:
    """X's weight of a code point: 1 for the ranges twitter-text lists, else 2."""
    return 1 if (
        code <= 4351 or 8192 <= code <= 8205 or 8208 <= code <= 8223 or 8242 <= code <= 8247
    ) else 2


def _x_count(text: str) -> int:
    total = 0
    for cluster in graphemes(text):
        if _is_emoji(cluster):
            total += 2
        else:
            total += sum(_x_weight(ord(c)) for c in cluster)
    return total


# --- counting -------------------------------------------------------------------------


def count_characters(platform: str, text: str) -> int:
    """How many characters ``text`` counts for on ``platform`` (see the module notes)."""
    text = unicodedata.normalize("NFC", text)
    entry = LIMITS.get(platform)
    counted_links = 0
    if entry and entry.link_length is not None:
        text, found = _split_links(text)
        counted_links = found * entry.link_length
    if entry and entry.counting == "x":
        return _x_count(text) + counted_links
    if entry and entry.counting == "graphemes":
        return len(graphemes(text)) + counted_links
    return len(text) + counted_links


@dataclass(frozen=True, slots=True)
class TextCheck:
    """A text measured against one network's limit."""

    platform: str
    count: int
    limit: int | None

    @property
    def over(self) -> bool:
        """True when the text is longer than the network allows."""
        return self.limit is not None and self.count > self.limit

    @property
    def excess(self) -> int:
        """How many characters too many (0 when it fits)."""
        return max(0, self.count - self.limit) if self.limit is not None else 0

    def describe(self) -> str:
        """E.g. "312 / 280 — 32 too many", "120 / 280", "1,204 characters"."""
        if self.limit is None:
            return f"{self.count:,} characters"
        text = f"{self.count:,} / {self.limit:,}"
        return f"{text} — {self.excess:,} too many" if self.over else text


def check_text(platform: str, text: str) -> TextCheck:
    """Measure ``text`` against ``platform``'s limit."""
    return TextCheck(platform, count_characters(platform, text), limit_for(platform))


PUBLISHED_NETWORKS = ("mastodon", "bluesky")  # where SocialDesk sends posts itself


def with_link(text: str, link: str) -> str:
    """``text`` with the post's ``link`` after it on a line of its own, unless it has it.

    The text has it when it holds the address, with or without its ``https://`` and
    final slash, in any letter case.
    """
    link = link.strip()
    if not link or link.split("://", 1)[-1].rstrip("/").lower() in text.lower():
        return text
    return f"{text.rstrip()}\n\n{link}" if text.strip() else link


def channel_texts(body: str, channels: Iterable[tuple[str, str | None]], link: str = ""
                  ) -> list[tuple[str, str]]:
    """(platform, the text that goes there): a channel's own variant, or the post's body.

    On the networks SocialDesk publishes to (:data:`PUBLISHED_NETWORKS`), the post's
    ``link`` goes after a text that lacks it (:func:`with_link`), as it is sent.
    """
    return [(platform, with_link(text, link) if platform in PUBLISHED_NETWORKS else text)
            for platform, text in ((p, v if v else body) for p, v in channels)]


def post_problems(body: str, channels: Sequence[tuple[str, str | None]], link: str = ""
                  ) -> list[str]:
    """What keeps a post from going out as it is: no channel, or a text over a limit."""
    if not channels:
        return ["No channel chosen"]
    problems = []
    for platform, text in channel_texts(body, channels, link):
        result = check_text(platform, text)
        if result.over:
            problems.append(f"Too long for {platform_name(platform)}: {result.describe()}")
    return problems
