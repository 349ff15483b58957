"""A post's text and target channels: the main text, a tab per channel, live counters.

Each chosen channel gets a tab for its own version of the text (empty: the main text
goes out as it is). Every text is counted the way its network counts it
(:mod:`socialdesk.core.limits`); one over the limit is shown in red with how many
characters too many — never cut.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html import escape

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.limits import (
    CHANNEL_PLATFORMS,
    LIMITS,
    LINK_LENGTH,
    PUBLISHED_NETWORKS,
    TextCheck,
    check_text,
    platform_name,
    with_link,
)
from socialdesk.qt.icons import brand_icon, readable_brand_icon


def warning_colour(widget: QWidget) -> str:
    """A red that reads well on the widget's palette, light or dark."""
    base = widget.palette().color(QPalette.ColorRole.Base)
    return "#ff7b72" if base.lightness() < 128 else "#c62828"


def _toggle_icon(platform: str, background: QColor) -> QIcon:
    """The network's mark in its colour when chosen, in grey when not."""
    icon = QIcon()
    icon.addPixmap(readable_brand_icon(platform, 20, background).pixmap(20, 20),
                   QIcon.Mode.Normal, QIcon.State.On)
    icon.addPixmap(brand_icon(platform, 20, "#a8a8a8").pixmap(20, 20), QIcon.Mode.Normal,
                   QIcon.State.Off)
    return icon


def icon_warmers(palette: QPalette) -> list[Callable[[], object]]:
    """One call per channel mark the editor draws, to draw them ahead (on idle).

    The marks are cached once drawn, so the editor then opens without drawing any.
    """
    button = palette.color(QPalette.ColorRole.Button)
    window = palette.color(QPalette.ColorRole.Window)
    calls: list[Callable[[], object]] = []
    for platform in CHANNEL_PLATFORMS:
        calls.append(partial(readable_brand_icon, platform, 20, button))
        calls.append(partial(brand_icon, platform, 20, "#a8a8a8"))
        calls.append(partial(readable_brand_icon, platform, 16, window))
    return calls


def _counting_note(platform: str) -> str:
    entry = LIMITS.get(platform)
    if entry is None:
        return f"{platform_name(platform)} has no length limit."
    notes = []
    if entry.link_length:
        notes.append(f"each link counts as {LINK_LENGTH}")
    if entry.counting == "x":
        notes.append("an emoji or a CJK character counts as 2")
    if entry.counting == "graphemes":
        notes.append("an emoji counts as 1")
    suffix = f" ({'; '.join(notes)})" if notes else ""
    return f"{entry.name} allows {entry.limit:,} characters{suffix}."


class ChannelTexts(QWidget):
    """Channel toggles, the main text and one variant tab per chosen channel."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QToolButton] = {}
        toggles = QHBoxLayout()
        toggles.setSpacing(0)
        for platform in CHANNEL_PLATFORMS:
            button = QToolButton()
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setIcon(_toggle_icon(platform, self.palette().color(QPalette.ColorRole.Button)))
            button.setIconSize(QSize(18, 18))
            button.setFixedSize(26, 26)
            button.setToolTip(f"Post on {platform_name(platform)}")
            button.setAccessibleName(platform_name(platform))
            button.toggled.connect(self._channels_toggled)
            self.buttons[platform] = button
            toggles.addWidget(button)
        toggles.addStretch()
        self.body_edit = QPlainTextEdit()
        self.body_edit.setPlaceholderText("What the post says. Each channel can have its own "
                                          "version in its tab.")
        self.body_edit.textChanged.connect(self._text_changed)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        main = QWidget()
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(4, 4, 4, 4)
        main_layout.addWidget(self.body_edit, 1)
        main_layout.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.addTab(main, "All channels")
        self.variant_edits: dict[str, QPlainTextEdit] = {}
        self.counters: dict[str, QLabel] = {}
        self._pages: dict[str, QWidget] = {}
        self._loading = False
        self.link = ""  # the post's link: it goes after the text where SocialDesk publishes
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(toggles)
        layout.addWidget(self.tabs, 1)
        self.update_counters()

    # --- content ---------------------------------------------------------------------

    def set_content(self, body: str, channels: tuple[tuple[str, str | None], ...]) -> None:
        """Show a post's text and its channels (with their own texts)."""
        self._loading = True
        for platform in list(self._pages):
            self._remove_page(platform)
        self.variant_edits.clear()
        self.body_edit.setPlainText(body)
        chosen = dict(channels)
        for platform, button in self.buttons.items():
            button.setChecked(platform in chosen)
        for platform in chosen:
            if platform not in self.buttons:  # a platform the editor does not offer
                self._ensure_page(platform)
        for platform, variant in chosen.items():
            self._ensure_page(platform)
            self.variant_edits[platform].setPlainText(variant or "")
        self._sync_pages()
        self.tabs.setCurrentIndex(0)
        self._loading = False
        self.update_counters()

    def body(self) -> str:
        """The main text."""
        return self.body_edit.toPlainText()

    def current_edit(self) -> QPlainTextEdit:
        """The text being edited: the main text, or the channel tab's own."""
        page = self.tabs.currentWidget()
        for platform, own in self._pages.items():
            if own is page:
                return self.variant_edits[platform]
        return self.body_edit

    def insert_at_cursor(self, text: str) -> None:
        """Insert ``text`` at the cursor of the text being edited, a space apart from words."""
        edit = self.current_edit()
        cursor = edit.textCursor()
        whole = edit.toPlainText()
        before, after = whole[:cursor.position()], whole[cursor.position():]
        if before and not before[-1].isspace():
            text = " " + text
        if after and not after[0].isspace():
            text += " "
        cursor.insertText(text)
        edit.setTextCursor(cursor)
        edit.setFocus()

    def chosen(self) -> list[str]:
        """The chosen channels, in the editor's order."""
        offered = [p for p, b in self.buttons.items() if b.isChecked()]
        extra = [p for p in self._pages if p not in self.buttons]
        return offered + extra

    def channels(self) -> tuple[tuple[str, str | None], ...]:
        """(platform, own text or None) for every chosen channel."""
        result = []
        for platform in self.chosen():
            edit = self.variant_edits.get(platform)
            text = edit.toPlainText() if edit else ""
            result.append((platform, text if text.strip() else None))
        return tuple(result)

    def text_for(self, platform: str) -> str:
        """What goes out on ``platform``: its own text, or the main text."""
        edit = self.variant_edits.get(platform)
        own = edit.toPlainText() if edit else ""
        return own if own.strip() else self.body()

    def set_link(self, link: str) -> None:
        """The post's link changed: recount (it counts on Mastodon and Bluesky)."""
        self.link = link
        self.update_counters()

    def sent_text(self, platform: str) -> str:
        """What is sent to ``platform``: :meth:`text_for`, and the link where it is added."""
        text = self.text_for(platform)
        return with_link(text, self.link) if platform in PUBLISHED_NETWORKS else text

    def checks(self) -> dict[str, TextCheck]:
        """Each chosen channel's text (as sent) measured against its limit."""
        return {p: check_text(p, self.sent_text(p)) for p in self.chosen()}

    # --- tabs ------------------------------------------------------------------------

    def _ensure_page(self, platform: str) -> None:
        if platform in self._pages:
            return
        page = QWidget()
        edit = QPlainTextEdit()
        name = platform_name(platform)
        edit.setAccessibleName(f"Text for {name}")
        edit.setTabChangesFocus(True)
        edit.setPlaceholderText(f"Empty: {name} gets the main text. Type here to give {name} "
                                "its own version.")
        edit.textChanged.connect(self._text_changed)
        counter = QLabel()
        counter.setWordWrap(True)
        copy = QPushButton("Start from the main text")
        copy.setToolTip(f"Copy the main text here to adapt it for {name}")
        copy.clicked.connect(lambda: edit.setPlainText(self.body()))
        bottom = QHBoxLayout()
        bottom.addWidget(counter, 1)
        bottom.addWidget(copy)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(4, 4, 4, 4)
        page_layout.addWidget(edit, 1)
        page_layout.addLayout(bottom)
        self._pages[platform] = page
        self.variant_edits[platform] = edit
        self.counters[platform] = counter

    def _remove_page(self, platform: str) -> None:
        page = self._pages.pop(platform)
        index = self.tabs.indexOf(page)
        if index >= 0:
            self.tabs.removeTab(index)
        page.deleteLater()
        self.counters.pop(platform, None)

    def _sync_pages(self) -> None:
        """One tab per chosen channel, in order; texts of unchosen channels are kept."""
        chosen = self.chosen()
        for platform in chosen:
            self._ensure_page(platform)
        for number in range(self.tabs.count() - 1, 0, -1):
            self.tabs.removeTab(number)
        for platform in chosen:
            background = self.palette().color(QPalette.ColorRole.Window)
            self.tabs.addTab(self._pages[platform], readable_brand_icon(platform, 16, background),
                             platform_name(platform))

    def _channels_toggled(self) -> None:
        if self._loading:
            return
        self._sync_pages()
        self.update_counters()
        self.changed.emit()

    def _text_changed(self) -> None:
        if self._loading:
            return
        self.update_counters()
        self.changed.emit()

    # --- counters --------------------------------------------------------------------

    def update_counters(self) -> None:
        """Recount every chosen channel's text; mark the ones over their limit."""
        red = warning_colour(self)
        checks = self.checks()
        lines = []
        for platform, check in checks.items():
            own = bool(self.variant_edits.get(platform) and
                       self.variant_edits[platform].toPlainText().strip())
            text = f"{escape(platform_name(platform))}: {escape(check.describe())}"
            if own:
                text += " (own text)"
            lines.append(f"<span style='color:{red}'><b>{text}</b></span>" if check.over
                         else text)
            counter = self.counters.get(platform)
            if counter is not None:
                source = "Its own text" if own else "The main text"
                if self.sent_text(platform) != self.text_for(platform):
                    source += " with the post's link"
                counter.setText(f"{source}: {check.describe()}")
                counter.setStyleSheet(f"color: {red}; font-weight: bold;" if check.over else "")
                counter.setToolTip(_counting_note(platform))
            index = self.tabs.indexOf(self._pages[platform]) if platform in self._pages else -1
            if index >= 0:
                colour = QColor(red) if check.over else self.palette().color(
                    QPalette.ColorRole.WindowText)
                self.tabs.tabBar().setTabTextColor(index, colour)
                self.tabs.setTabToolTip(index, f"{check.describe()}. {_counting_note(platform)}")
        if not checks:
            self.summary.setText(f"<span style='color:{red}'>Choose at least one channel above."
                                 "</span>")
        else:
            self.summary.setText(" · ".join(lines))
        main_over = any(c.over for p, c in checks.items() if self.text_for(p) == self.body())
        self.tabs.tabBar().setTabTextColor(0, QColor(red) if main_over else self.palette().color(
            QPalette.ColorRole.WindowText))

    def over_limit(self) -> list[str]:
        """The chosen channels whose text is over the limit."""
        return [p for p, c in self.checks().items() if c.over]
