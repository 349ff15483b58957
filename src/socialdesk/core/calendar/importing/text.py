"""An event's SUMMARY and DESCRIPTION back into a post's title, body, channels and link.

SocialDesk's own export (``core.calendar.ics``) writes the DESCRIPTION as paragraphs
joined by a blank line: the exact title when it has line breaks (SUMMARY keeps one
line), the body, a trailer ``Channels: a, b`` / ``Link: URL``, then each channel's
own text as ``platform:`` and the text, then the hand-off paragraphs ``Media:`` (a file
with its alt text per line: ``path (alt text: …)`` or ``path (no alt text)``) and
``First comment:`` (the rest of the description). :func:`split_description` undoes that,
the hand-off paragraphs giving the post's media and first comment (``None`` when the
paragraph is not there: a file of an older SocialDesk leaves a post's own alone). For
other programs' files a trailing ``Link:`` paragraph is still taken as the link, and
HTML (Google Calendar writes links as ``<a href>``) becomes plain text.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from socialdesk.core.calendar import ics
from socialdesk.core.calendar.ics import one_line
from socialdesk.core.calendar.importing.media import Media, take_media
from socialdesk.core.calendar.importing.model import Channel

_PLATFORM = r"[A-Za-z0-9][A-Za-z0-9_.+-]*"  # a listed platform, or another by its name
_CHANNELS = re.compile(rf"Channels: ({_PLATFORM}(?:, {_PLATFORM})*)")
_LINK = re.compile(r"Link: (\S[^\n]*)")
_HTML = re.compile(r"<(?:a\s|br\s*/?>|p>|/p>|b>|i>|u>|div|span|ul>|li>|strong>|em>)", re.I)
_ANCHOR = re.compile(r"<a\s[^>]*href=[\"']([^\"']*)[\"'][^>]*>(.*?)</a>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
FIRST_COMMENT = f"\n\n{ics.FIRST_COMMENT}\n"
MEDIA = f"\n\n{ics.MEDIA}\n"
_ALT = ics.ALT_OPEN
_NO_ALT = ics.NO_ALT
UNTITLED = "Untitled"


@dataclass(frozen=True, slots=True)
class Described:
    """What a DESCRIPTION holds once SocialDesk's additions are taken apart."""

    title: str | None
    body: str
    channels: tuple[Channel, ...] | None
    link: str | None
    first_comment: str | None = None
    media: tuple[Media, ...] | None = None
    notes: tuple[str, ...] = ()  # media files left out, and why


def html_to_text(text: str) -> str:
    """Plain text for a DESCRIPTION that holds HTML (links keep their address)."""
    if not _HTML.search(text):
        return text

    def anchor(match: re.Match[str]) -> str:
        href, label = match.group(1), _TAG.sub("", match.group(2)).strip()
        return href if not label or label == href else f"{label} ({href})"

    text = _ANCHOR.sub(anchor, text)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"</p>|</div>|</li>", "\n", text, flags=re.I)
    text = html.unescape(_TAG.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _title_prefix(description: str, summary: str) -> str | None:
    """The exact multi-line title the exporter put before the body, if it is there."""
    size = len(summary)
    head = description[:size]
    if (
        size
        and "\n" in head
        and one_line(head) == summary
        and (len(description) == size or description[size : size + 2] == "\n\n")
    ):
        return head
    return None


def _trailer(block: str) -> tuple[tuple[str, ...], str | None] | None:
    """``(platforms, link)`` of a ``Channels:``/``Link:`` paragraph, or ``None``."""
    lines = block.split("\n")
    channels: tuple[str, ...] = ()
    link = None
    if lines and (match := _CHANNELS.fullmatch(lines[0])):
        channels = tuple(match.group(1).split(", "))
        lines = lines[1:]
    if lines and (match := _LINK.fullmatch(lines[0])):
        link = match.group(1)
        lines = lines[1:]
    if lines or (not channels and link is None):
        return None
    return channels, link


def _variants(rest: str, platforms: tuple[str, ...]) -> dict[str, str] | None:
    """Each channel's own text from the ``platform:`` paragraphs after the trailer."""
    found: dict[str, str] = {}
    for index, platform in enumerate(platforms):
        header = f"\n\n{platform}:\n"
        if not rest.startswith(header):
            continue
        ends = [
            position
            for later in platforms[index + 1 :]
            if (position := rest.find(f"\n\n{later}:\n", len(header))) > 0
        ]
        end = min(ends) if ends else len(rest)
        found[platform] = rest[len(header) : end]
        rest = rest[end:]
    return found if not rest else None


def _media_line(line: str) -> Media | None:
    """``(path, alt text)`` of a line of the ``Media:`` paragraph, or ``None``."""
    at = line.find(_ALT)
    if at > 0 and line.endswith(")"):
        return line[:at], line[at + len(_ALT) : -1]
    if line.endswith(_NO_ALT) and len(line) > len(_NO_ALT):
        return line[: -len(_NO_ALT)], ""
    return None


def _lines(text: str) -> Iterator[str]:
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


@dataclass(frozen=True, slots=True)
class _Handoff:
    text: str
    first_comment: str | None = None
    media: tuple[Media, ...] | None = None
    notes: tuple[str, ...] = ()


def _handoff(text: str) -> _Handoff:
    """The export's trailing ``Media:`` and ``First comment:`` paragraphs taken off ``text``."""
    text = "\n\n" + text  # a paragraph at the start follows a blank line too
    comment = None
    if (at := text.rfind(FIRST_COMMENT)) >= 0:
        text, comment = text[:at], text[at + len(FIRST_COMMENT) :]
    at = text.rfind(MEDIA)
    if at < 0 or not all(_media_line(line) for line in _lines(text[at + len(MEDIA) :])):
        return _Handoff(text[2:], comment)
    entries = (_media_line(line) or ("", "") for line in _lines(text[at + len(MEDIA) :]))
    media, notes = take_media(entries)
    return _Handoff(text[2:at], comment, media, tuple(notes))


def split_description(
    description: str, summary: str, url: str, *, ours: bool
) -> Described:
    """Take a DESCRIPTION apart into title, body, channels, link, first comment and media.

    ``ours``: the file was written by SocialDesk, so a ``Link:`` trailer without a URL
    property is the body's own text, not an export trailer.
    """
    text = description.replace("\r\n", "\n").replace("\r", "\n")
    handoff = _handoff(text) if ours else _Handoff(text)
    described = _split(handoff.text, summary, url, ours=ours)
    return dataclasses.replace(described, first_comment=handoff.first_comment,
                               media=handoff.media, notes=handoff.notes)


def _split(text: str, summary: str, url: str, *, ours: bool) -> Described:
    """Title, body, channels and link of a DESCRIPTION without its hand-off paragraphs."""
    title = _title_prefix(text, summary)
    if title is not None:
        text = text[len(title) + 2 :]
    starts = [0] if text.startswith(("Channels: ", "Link: ")) else []
    starts += [
        match.start() + 2 for match in re.finditer(r"\n\n(?=Channels: |Link: )", text)
    ]
    for start in starts:
        end = text.find("\n\n", start)
        end = len(text) if end < 0 else end
        parsed = _trailer(text[start:end])
        if parsed is None:
            continue
        platforms, link = parsed
        if link is not None and ((url and link != url) or (ours and not url)):
            continue
        variants = _variants(text[end:], platforms)
        if variants is None:
            continue
        body = text[: max(start - 2, 0)]
        channels = tuple((p, variants.get(p)) for p in platforms)
        return Described(title, body, channels if channels or ours else None, link)
    if not ours:
        text = html_to_text(text)
    return Described(title, text, () if ours else None, None)


def fallback_title(body: str, kind: str) -> str:
    """A title for an event without SUMMARY: its first line of text, or "Untitled"."""
    for line in body.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 80 else line[:79].rstrip() + "…"
    return f"{UNTITLED} {kind}"
