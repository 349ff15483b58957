"""Tracked links: the post's link with UTM parameters that name the partner and the post.

``utm_source`` is the partner's slug, ``utm_medium`` is ``partner``, ``utm_campaign`` the
campaign's slug (``socialdesk`` without one) and ``utm_content`` ``post-<id>``, so that any
web analytics tool (Plausible, Matomo, GA4, Umami) breaks visits down by partner and post.

Built on :mod:`urllib.parse`, not by a URL library: what must hold is that everything of
the user's link but its old ``utm_*`` parameters stays byte for byte (parameter order,
encoding, fragment), which re-serialising parsers do not promise.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from urllib.parse import quote, unquote, urlsplit, urlunsplit

MEDIUM = "partner"
NO_CAMPAIGN = "socialdesk"
SLUG_LENGTH = 40
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(name: str, fallback: str = "partner") -> str:
    """``name`` as lower-case ASCII words joined by hyphens ("Café Noir" → "cafe-noir")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_name.lower()).strip("-")[:SLUG_LENGTH].strip("-")
    return slug or fallback


def unique_slug(name: str, taken: Collection[str]) -> str:
    """:func:`slugify` of ``name``, with ``-2``, ``-3`` … added until it is not in ``taken``."""
    base = slugify(name)
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _ascii_host(netloc: str) -> str:
    """The netloc with an international host name in its ASCII (punycode) form."""
    userinfo, at, hostport = netloc.rpartition("@")
    host, colon, port = hostport.partition(":") if not hostport.startswith("[") else (
        hostport, "", "")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        host = quote(host, safe="")
    return f"{userinfo}{at}{host}{colon}{port}"


def tracked_link(url: str, source: str, post_id: int, campaign: str | None = None) -> str:
    """``url`` with this partner's and post's UTM parameters (earlier ``utm_*`` replaced).

    ``source`` is the partner's slug and ``campaign`` the campaign's name or slug. A link
    written without a scheme ("www.example.com/menu") gets ``https://``; spaces and other
    characters a URL may not hold are percent-encoded; the rest is kept as written.
    """
    url = url.strip()
    if not url:
        raise ValueError("a post without a link has no tracked link")
    if "://" not in url.split("?", 1)[0]:
        url = "https://" + url
    scheme, netloc, path, query, fragment = urlsplit(url)
    kept = [pair for pair in query.split("&")
            if pair and not unquote(pair.split("=", 1)[0]).lower().startswith("utm_")]
    ours = {"utm_source": slugify(source), "utm_medium": MEDIUM,
            "utm_campaign": slugify(campaign, NO_CAMPAIGN) if campaign else NO_CAMPAIGN,
            "utm_content": f"post-{post_id}"}
    kept += [f"{key}={quote(value, safe='')}" for key, value in ours.items()]
    safe = "/%:@!$&'()*+,;=-._~"
    return urlunsplit((scheme.lower(), _ascii_host(netloc), quote(path or "/", safe=safe),
                       "&".join(quote(pair, safe=safe + "?") for pair in kept),
                       quote(fragment, safe=safe + "?#")))
