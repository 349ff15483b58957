"""The editor's "In the feed" preview: each chosen channel's text as its feed shows it.

One card per channel: the text up to where the feed cuts it ("… more"), a placeholder for
the link card the network makes of a link, and the media count against what the network
takes (:mod:`socialdesk.core.calendar.feed_preview`). Cards are labels whose rich text is
set again on every change: cheap enough to follow typing.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from socialdesk.core.calendar.feed_preview import FeedPreview, feed_preview
from socialdesk.core.limits import platform_name
from socialdesk.qt.calendar.channel_texts import warning_colour

MORE = "… more"


def muted_colour(widget: QWidget) -> str:
    """Half way between the palette's text and its background: secondary text, light or dark."""
    text = widget.palette().color(QPalette.ColorRole.WindowText)
    back = widget.palette().color(QPalette.ColorRole.Window)
    return QColor((text.red() + back.red()) // 2, (text.green() + back.green()) // 2,
                  (text.blue() + back.blue()) // 2).name()


def _html_text(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _fold_note(preview: FeedPreview) -> str:
    if preview.fold is None:
        return "shows the whole text"
    note = f"cuts after about {preview.fold:,} characters on a phone"
    if preview.fold_desktop is not None:
        note += f", {preview.fold_desktop:,} on a computer"
    return note


class FeedPreviewPanel(QWidget):
    """A card per chosen channel: the text as the feed cuts it, the link card, the media."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: dict[str, QLabel] = {}
        self.previews: dict[str, FeedPreview] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self.empty = QLabel("Choose a channel to see how its feed shows the post.")
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._layout.addWidget(self.empty)

    def show_post(self, texts: Sequence[tuple[str, str]], media: int, link: str = "") -> None:
        """Preview ``texts`` ((platform, text as sent there)) with ``media`` files.

        ``link``: the post's link, which makes the card where the text has none.
        """
        chosen = [platform for platform, _ in texts]
        for platform in list(self.cards):
            if platform not in chosen:
                self.cards.pop(platform).deleteLater()
                self.previews.pop(platform, None)
        for position, (platform, text) in enumerate(texts):
            card = self.cards.get(platform)
            if card is None:
                card = self.cards[platform] = self._card()
            self._layout.insertWidget(position + 1, card)
            preview = self.previews[platform] = feed_preview(platform, text, media, link)
            card.setText(self._html(preview))
        self.empty.setVisible(not texts)

    def _card(self) -> QLabel:
        card = QLabel()
        card.setWordWrap(True)
        card.setTextFormat(Qt.TextFormat.RichText)
        card.setFrameShape(QFrame.Shape.StyledPanel)
        # The pane's width, whatever the text: a long link must not widen the editor.
        card.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        card.setContentsMargins(6, 4, 6, 4)
        card.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return card

    def _html(self, preview: FeedPreview) -> str:
        muted = muted_colour(self)
        red = warning_colour(self)
        parts = [f"<b>{escape(platform_name(preview.platform))}</b> "
                 f"<span style='color:{muted}'>· {escape(_fold_note(preview))}</span>"]
        body = _html_text(preview.shown) if preview.shown.strip() else \
            f"<i style='color:{muted}'>No text</i>"
        if preview.cut:
            body += (f" <b style='color:{muted}'>{MORE}</b> <span style='color:{muted}'>"
                     f"({preview.hidden:,} characters hidden)</span>")
        parts.append(body)
        if preview.card_link:
            parts.append(
                f"<table border='1' cellpadding='4' cellspacing='0' width='100%' "
                f"style='border-color:{muted}'><tr><td><span style='color:{muted}'>Link card"
                f"</span><br><b>{escape(preview.card_link)}</b><br><span style='color:{muted}'>"
                "the page's picture and title</span></td></tr></table>")
        elif preview.card_note:
            parts.append(f"<span style='color:{muted}'>{escape(preview.card_note)}</span>")
        if preview.media or preview.media_over:
            most = (f" of {preview.media_limit:,} allowed" if preview.media_limit is not None
                    else "")
            media = f"Media: {preview.media:,}{most}"
            if preview.media_over:
                media = (f"<b style='color:{red}'>{media} — {preview.media_over:,} too many"
                         "</b>")
            parts.append(media)
        return "<br>".join(parts)
