"""A share kit: for one ask, the text a partner posts on each of their networks.

For each network the partner has an audience on (the biggest expected audience first) the
kit holds the text — the post's variant for that network, else its text — with the
partner's tracked link in it, fitted to the network's limit as the network counts it, and
a one-click share link where the network has one (DESIGN.md, "Closing the loop").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from socialdesk.core.limits import count_characters, limit_for, platform_name
from socialdesk.core.settings import REACH_RATES
from socialdesk.core.share.links import tracked_link

ELLIPSIS = "…"
# Share intents: the page a network opens with the text (or the link) ready to post.
TEXT_INTENTS = {
    "x": "https://x.com/intent/post?text={}",
    "bluesky": "https://bsky.app/intent/compose?text={}",
    "threads": "https://www.threads.net/intent/post?text={}",
    "mastodon": "https://{instance}/share?text={}",
}
LINK_INTENTS = {
    "linkedin": "https://www.linkedin.com/sharing/share-offsite/?url={}",
    "facebook": "https://www.facebook.com/sharer/sharer.php?u={}",
}
_HANDLE_INSTANCE = re.compile(r"^@?[^@\s]+@([a-z0-9.-]+\.[a-z]{2,})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class KitAudience:
    """One of the partner's audiences: where they could post."""

    platform: str
    handle: str = ""
    url: str = ""
    size: int = 0


@dataclass(frozen=True, slots=True)
class KitInput:
    """What a kit is made from (read by :func:`socialdesk.store.share.kit_input`)."""

    ask_id: int
    partner: str
    slug: str
    audiences: tuple[KitAudience, ...]
    post_id: int
    title: str
    body: str
    link: str
    variants: Mapping[str, str]
    campaign: str | None = None
    scheduled_on: str | None = None


@dataclass(frozen=True, slots=True)
class KitNetwork:
    """The kit for one network: the text, its length as counted there, the share link."""

    network: str
    name: str
    text: str
    length: int
    limit: int | None
    intent_url: str | None
    handle: str = ""


@dataclass(frozen=True, slots=True)
class ShareKit:
    """A whole kit: the partner, the tracked link (None without a post link), the networks."""

    ask_id: int
    partner: str
    title: str
    link: str | None
    networks: tuple[KitNetwork, ...]
    scheduled_on: str | None = None

    def as_json(self) -> dict[str, object]:
        """The ``socialdesk share-kit --json`` shape."""
        return {
            "ask": self.ask_id, "partner": self.partner, "link": self.link,
            "networks": [{"network": n.network, "text": n.text, "length": n.length,
                          "limit": n.limit, "intent_url": n.intent_url}
                         for n in self.networks],
        }


def mastodon_instance(handle: str, url: str = "") -> str | None:
    """The server of a Mastodon account, from ``@name@server`` or its profile URL."""
    match = _HANDLE_INSTANCE.match(handle.strip())
    if match:
        return match.group(1).lower()
    host = urlsplit(url.strip()).hostname if "://" in url else None
    return host.lower() if host else None


def _cut(text: str, fits: int, platform: str) -> str:
    """The longest start of ``text`` (at a word where possible) that counts ≤ ``fits``."""
    low, high = 0, len(text)
    while low < high:  # the longest prefix whose count with an ellipsis fits
        middle = (low + high + 1) // 2
        if count_characters(platform, text[:middle].rstrip() + ELLIPSIS) <= fits:
            low = middle
        else:
            high = middle - 1
    cut = text[:low]
    space = cut.rfind(" ")
    if low < len(text) and space > low // 2:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS if cut.strip() else ""


def fit_text(platform: str, text: str, link: str | None, own_link: str = "") -> str:
    """``text`` with ``link`` in it (replacing the post's own link), within the limit.

    The link stays whole; the words before it are shortened with an ellipsis when the
    whole does not fit the network's limit.
    """
    text = text.strip()
    if link and own_link and own_link in text:
        text = text.replace(own_link, "").strip()
    joined = f"{text}\n\n{link}" if link and text else (link or text)
    limit = limit_for(platform)
    if limit is None or count_characters(platform, joined) <= limit:
        return joined
    room = limit - (count_characters(platform, f"\n\n{link}") if link else 0)
    short = _cut(text, room, platform)
    return f"{short}\n\n{link}" if link and short else (link or short)


def intent_url(platform: str, text: str, link: str | None,
               audience: KitAudience | None = None) -> str | None:
    """The one-click share link for ``platform``, or None where there is none."""
    if platform in LINK_INTENTS:
        return LINK_INTENTS[platform].format(quote(link, safe="")) if link else None
    if platform not in TEXT_INTENTS:
        return None
    if platform == "mastodon":
        instance = audience and mastodon_instance(audience.handle, audience.url)
        if not instance:
            return None
        return TEXT_INTENTS[platform].format(quote(text, safe=""), instance=instance)
    return TEXT_INTENTS[platform].format(quote(text, safe=""))


def _order(audiences: Sequence[KitAudience]) -> list[KitAudience]:
    """One audience per network, the one a share reaches most people on first."""
    best: dict[str, KitAudience] = {}
    for audience in audiences:
        platform = audience.platform.lower()
        if platform not in best or audience.size > best[platform].size:
            best[platform] = audience
    rate = REACH_RATES.get
    return sorted(best.values(), key=lambda a: (-a.size * rate(a.platform.lower(),
                                                               rate("other", 0.05)),
                                                a.platform.lower()))


def build_kit(data: KitInput) -> ShareKit:
    """The share kit of one ask."""
    link = (tracked_link(data.link, data.slug, data.post_id, data.campaign)
            if data.link.strip() else None)
    networks = []
    for audience in _order(data.audiences):
        platform = audience.platform.lower()
        source = data.variants.get(platform) or data.body or data.title
        text = fit_text(platform, source, link, data.link.strip())
        networks.append(KitNetwork(
            network=platform, name=platform_name(platform), text=text,
            length=count_characters(platform, text), limit=limit_for(platform),
            intent_url=intent_url(platform, text, link, audience), handle=audience.handle))
    return ShareKit(data.ask_id, data.partner, data.title, link, tuple(networks),
                    data.scheduled_on)


NO_LINK_NOTE = ("This post has no link, so the visits it brings cannot be counted; "
                "add one to the post to track them.")


def kit_text(kit: ShareKit) -> str:
    """The kit as plain text, for the ask message or the clipboard."""
    lines = [f"Ready to share: “{kit.title}”"]
    lines.append(f"Link: {kit.link}" if kit.link else NO_LINK_NOTE)
    for network in kit.networks:
        limit = f" ({network.length} of {network.limit} characters)" if network.limit else ""
        lines += ["", f"— {network.name}{limit}"]
        if network.intent_url:
            lines.append(f"One click: {network.intent_url}")
        lines.append(network.text)
    if not kit.networks:
        lines += ["", "Text to share:", fit_text("other", kit.title, kit.link)]
    return "\n".join(lines)
