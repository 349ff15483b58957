"""How a post shows in each network's feed: the "… more" cut, the link card, the media.

The figures (folds, media per post, which networks make a link card) are those of
:data:`socialdesk.core.limits.LIMITS`; they are approximate, so the preview says "about".
The cut falls on the last space before the fold when there is one close to it, as feeds
cut between words.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from socialdesk.core.limits import LIMITS, graphemes, links

WORD_BACKTRACK = 20  # characters a cut moves back at most to fall between two words


@dataclass(frozen=True, slots=True)
class FeedPreview:
    """One network's view of a post's text."""

    platform: str
    shown: str  # what the feed shows before "… more" (the whole text when it fits)
    hidden: int  # characters behind "… more" (0: nothing is cut)
    fold: int | None  # the fold used (on a phone), None when the feed shows it all
    fold_desktop: int | None  # on a computer, when it differs
    card_link: str | None  # the link the network turns into a card, None: no card
    card_note: str  # why there is no card for a link, or ""
    media: int  # the post's media files
    media_limit: int | None  # how many the network takes (None: no figure)

    @property
    def cut(self) -> bool:
        """True when the feed hides part of the text behind "… more"."""
        return self.hidden > 0

    @property
    def media_over(self) -> int:
        """How many media files too many for the network (0 when they fit)."""
        return max(0, self.media - self.media_limit) if self.media_limit is not None else 0


def cut_at(text: str, fold: int) -> tuple[str, int]:
    """(what shows before "… more", how many characters it hides) for a fold of ``fold``.

    Counts code points of the NFC text, whole graphemes only (an emoji is never split).
    """
    text = unicodedata.normalize("NFC", text)
    if len(text) <= fold:
        return text, 0
    shown = ""
    for cluster in graphemes(text[:fold + 32]):  # a long text: only its start matters
        if len(shown) + len(cluster) > fold:
            break
        shown += cluster
    space = max(shown.rfind(" "), shown.rfind("\n"))
    if space >= 0 and len(shown) - space <= WORD_BACKTRACK and shown[:space].strip():
        shown = shown[:space]
    shown = shown.rstrip()
    return shown, len(text) - len(shown)


def feed_preview(platform: str, text: str, media: int = 0, link: str = "") -> FeedPreview:
    """How ``platform``'s feed shows ``text`` (as sent there) with ``media`` files.

    The card is made of the text's first link, else of the post's ``link`` (attached when
    the post goes out, as a scheduler does with the export's link column).
    """
    entry = LIMITS.get(platform)
    fold = entry.fold if entry else None
    shown, hidden = cut_at(text, fold) if fold is not None else (text, 0)
    found = links(text) or ([link.strip()] if link.strip() else [])
    card_link: str | None = None
    note = ""
    if found and entry is not None:
        if entry.link_card == "none":
            note = f"{entry.name} does not make links in the text clickable"
        elif entry.link_card == "card_without_media" and media:
            note = f"{entry.name} shows the media instead of a link card"
        else:
            card_link = found[0]
    elif found:
        card_link = found[0]
    return FeedPreview(
        platform=platform, shown=shown, hidden=hidden, fold=fold,
        fold_desktop=entry.fold_desktop if entry and entry.fold_desktop != fold else None,
        card_link=card_link, card_note=note, media=media,
        media_limit=entry.media if entry else None)
