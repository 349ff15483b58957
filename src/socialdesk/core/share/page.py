"""A share kit as one self-contained HTML page a partner opens on a phone or a desktop.

Everything is inline: the CSS, the post's first image (scaled down and embedded as a
``data:`` URL) and a Content-Security-Policy that forbids loading anything else or
running scripts — the page works offline, as an e-mail attachment, and tells nobody that
it was opened. Light and dark follow the reader's system (``prefers-color-scheme``).
"""

from __future__ import annotations

import base64
import io
from datetime import date
from html import escape
from pathlib import Path

from socialdesk.core.share.kit import NO_LINK_NOTE, ShareKit

IMAGE_WIDTH = 1080  # px: sharp on a phone, a few hundred kB at most
MAX_IMAGE_BYTES = 50 * 1024 * 1024  # a bigger "image" is not read at all
MAX_PIXELS = 60_000_000  # Pillow's guard against decompression bombs, made stricter

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
CSS = """
:root { color-scheme: light dark; --bg: #f6f5f2; --card: #fff; --text: #1d1d1f;
  --muted: #5f6368; --accent: #1a5fb4; --accent-text: #fff; --border: #dcdad5; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #1b1b1d; --card: #26262a; --text: #ececf1; --muted: #a6a6ad;
    --accent: #78aeed; --accent-text: #0b1f33; --border: #3a3a40; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 40rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
h1 { font-size: 1.35rem; line-height: 1.3; margin: 0 0 .25rem; }
.lede { color: var(--muted); margin: 0 0 1rem; }
img { display: block; width: 100%; height: auto; border-radius: .75rem; margin: 0 0 1rem; }
.link { background: var(--card); border: 1px solid var(--border); border-radius: .75rem;
  padding: .75rem 1rem; margin: 0 0 1rem; overflow-wrap: anywhere; }
section { background: var(--card); border: 1px solid var(--border); border-radius: .75rem;
  padding: 1rem; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 0 0 .5rem; display: flex; justify-content: space-between;
  gap: .5rem; flex-wrap: wrap; }
h2 small { color: var(--muted); font-weight: normal; font-size: .85rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; user-select: all;
  -webkit-user-select: all; background: var(--bg); border-radius: .5rem; padding: .75rem;
  margin: 0 0 .75rem; font: inherit; }
a.share { display: inline-block; background: var(--accent); color: var(--accent-text);
  text-decoration: none; font-weight: 600; padding: .6rem 1.1rem; border-radius: 999px; }
.hint { color: var(--muted); font-size: .9rem; margin: 0; }
"""


def embedded_image(path: Path | None) -> str | None:
    """The image at ``path`` scaled to :data:`IMAGE_WIDTH` as a ``data:`` URL (None if unusable)."""
    if path is None:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        if path.stat().st_size > MAX_IMAGE_BYTES:
            return None
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        with Image.open(path) as image:
            image.thumbnail((IMAGE_WIDTH, IMAGE_WIDTH * 2))
            keeps_alpha = image.mode in ("RGBA", "LA", "P")
            out = io.BytesIO()
            if keeps_alpha:
                image.save(out, "PNG", optimize=True)
            else:
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        return None
    kind = "png" if keeps_alpha else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(out.getvalue()).decode('ascii')}"


def _day(iso: str) -> str:
    """"Saturday 12 December" for ``2026-12-12`` (the text as given when it is no date)."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day:%A} {day.day} {day:%B}"


def kit_page(kit: ShareKit, image: Path | None = None, sender: str = "") -> str:
    """The kit as a complete HTML document."""
    parts = [
        "<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>Share: {escape(kit.title)}</title>", f"<style>{CSS}</style>", "</head>",
        "<body><main>", f"<h1>{escape(kit.title)}</h1>",
    ]
    by = f" from {escape(sender)}" if sender else ""
    when = f" It goes out on {escape(_day(kit.scheduled_on))}." if kit.scheduled_on else ""
    parts.append(f'<p class="lede">Hi {escape(kit.partner)}! Thank you for sharing this '
                 f"post{by}.{when} Tap a button, or copy the text.</p>")
    picture = embedded_image(image)
    if picture:
        parts.append(f'<img src="{picture}" alt="The post\'s picture">')
    if kit.link:
        parts.append(f'<p class="link">Your link: {escape(kit.link)}</p>')
    else:
        parts.append(f'<p class="hint">{escape(NO_LINK_NOTE)}</p>')
    for network in kit.networks:
        counted = (f"<small>{network.length} of {network.limit} characters</small>"
                   if network.limit else "")
        parts += [f'<section id="{escape(network.network)}">',
                  f"<h2>{escape(network.name)}{counted}</h2>",
                  f'<p class="text">{escape(network.text)}</p>']
        if network.intent_url:
            parts.append(f'<a class="share" href="{escape(network.intent_url)}" '
                         f'rel="noopener noreferrer">Share on {escape(network.name)}</a>')
        else:
            parts.append('<p class="hint">Copy the text above and post it there.</p>')
        parts.append("</section>")
    parts += ["</main></body>", "</html>", ""]
    return "\n".join(parts)
