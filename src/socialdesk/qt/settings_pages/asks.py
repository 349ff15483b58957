"""Settings → Asks: who signs the asks, when to warn about asking too often, the messages.

Also the workspace's time zone: the hours of the day Reports counts asks in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.clock import today
from socialdesk.core.planner import ask_messages
from socialdesk.core.planner.ask_messages import DEFAULT_TEMPLATES, AskContext
from socialdesk.core.share.links import tracked_link
from socialdesk.qt.calendar.fields import ZoneBox, zone_names
from socialdesk.qt.settings_pages import (
    FieldGrid,
    Problem,
    SettingsPage,
    align_labels,
    check_typed,
    explanation,
    number_box,
    section_title,
)
from socialdesk.store import planning, post_writes, posts
from socialdesk.store.vocabulary import CONTACT_KINDS
from socialdesk.store.workspace import Workspace

KIND_NAMES = {
    "partner": "Partner businesses", "blogger": "Bloggers", "community": "Community groups",
    "press": "Press", "fan": "Fans", "customer": "Customers", "staff": "Staff",
    "other": "Anyone else",
}
# Who the preview pretends to write to, per kind.
SAMPLE_NAMES = {
    "partner": "Corner Café", "blogger": "Maya", "community": "Riverside Residents",
    "press": "Jo Fisher", "fan": "Sam", "customer": "Alex", "staff": "Robin",
    "other": "Chris",
}
PLACEHOLDER_HINTS = {  # what each placeholder becomes: shown beside it, example in the tooltip
    "name": ("the contact's name", "Corner Café"),
    "post_title": ("the post's title", "Autumn bread tasting"),
    "post_text": ("the post's text", "Join us on Saturday…; a line with it is left out when "
                  "the post has no text"),
    "link": ("their tracked link", "https://…?utm_source=corner-cafe…; a line with {link} is "
             "left out when the post has no link"),
    "date": ("the post's day", "Saturday 14 March"),
    "limit": ("their network's limit", "280 characters on X"),
    "sender_name": ("your name", "Ana Ruiz; a line with it is left out while it is empty"),
    "sender_business": ("your business", "Ruiz Bakery; a line with it is left out while it is "
                        "empty"),
}
SAMPLE_SLUG = "corner-cafe"


def sample_post(ws: Workspace) -> AskContext:
    """The next upcoming post (or a made-up one), for the preview; the name comes later."""
    upcoming = posts.upcoming_posts(ws, today().isoformat(), limit=1)
    facts = planning.post_facts(ws, upcoming[0].id) if upcoming else None
    if facts is None:
        return AskContext(name="", post_title="Autumn bread tasting",
                          link=tracked_link("https://example.com/tasting", SAMPLE_SLUG, 1),
                          day=today() + timedelta(days=7), platform="instagram",
                          post_text="Taste six autumn breads with us, Saturday from 10.")
    day = date.fromisoformat(facts.scheduled_on) if facts.scheduled_on else None
    platform = min(facts.platforms) if facts.platforms else "instagram"
    detail = post_writes.get_post(ws, facts.id)
    text = detail.draft.body if detail is not None else ""
    link = tracked_link(facts.link, SAMPLE_SLUG, facts.id) if facts.link.strip() else ""
    return AskContext(name="", post_title=facts.title, link=link, day=day,
                      platform=platform, post_text=text)


class AsksPage(SettingsPage):
    """The warning count and one message template per contact kind, with a live preview."""

    title = "Asks"
    icon = "mail"
    keys = ("sender_name", "sender_business", "sender_asked", "ask_warning_count",
            "ask_templates", "timezone")

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.layout_.addWidget(explanation(
            "What SocialDesk writes when you ask partners to share a post, and when it "
            "warns you that you are asking someone too often."))
        self.sender_name = QLineEdit()
        self.sender_name.setPlaceholderText("e.g. Ana Ruiz")
        self.sender_business = QLineEdit()
        self.sender_business.setPlaceholderText("e.g. Ruiz Bakery")
        for edit in (self.sender_name, self.sender_business):
            edit.setMinimumWidth(260)
            edit.textChanged.connect(self._update_preview)
        self.sender_asked = False
        self.warning_count = number_box(0, 30, " asks")
        sender = FieldGrid()
        sender.add("Your name:", self.sender_name,
                 "Signs each ask ({sender_name}) and the share kits.")
        sender.add("Business:", self.sender_business,
                 "Under your name ({sender_business}) and on the share kits.")
        grid = FieldGrid()
        grid.add("Warn after:", self.warning_count,
                 "The planner warns before you ask the same person more often than this "
                 "within 30 days.", QLabel("in 30 days"))
        self.zone = ZoneBox()
        self.zone.setToolTip("The workspace's time zone (type a city to find it)")
        grid.add("Time zone:", self.zone,
                 "Reports → Hour of asking counts the hours of the day asks were made in "
                 "this zone; this computer's unless you choose another.")
        align_labels(sender, grid)
        self.layout_.addLayout(sender)
        self.layout_.addLayout(grid)

        self.templates: dict[str, str] = {}
        self.context = sample_post(ws)
        self.kind = QComboBox()
        for kind in CONTACT_KINDS:
            self.kind.addItem(KIND_NAMES.get(kind, kind.title()), kind)
        self.kind.setToolTip("Each kind of contact gets its own message")
        self.built_in = QPushButton("Use the built-in message")
        self.built_in.setToolTip("Replace this kind's message with SocialDesk's own")
        self.built_in.clicked.connect(self.use_built_in)
        chooser = QHBoxLayout()
        caption = QLabel("Message for:")
        caption.setBuddy(self.kind)
        chooser.addWidget(caption)
        chooser.addWidget(self.kind)
        chooser.addWidget(self.built_in)
        chooser.addStretch(1)

        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Message template")
        self.editor.setTabChangesFocus(True)
        lines = QFontMetrics(self.editor.font()).lineSpacing()
        self.editor.setMinimumHeight(lines * 7 + 12)
        self.editor.textChanged.connect(self._edited)
        inserts = QGridLayout()
        inserts.setHorizontalSpacing(8)
        inserts.setVerticalSpacing(4)
        inserts.addWidget(QLabel("Click to insert:"), 0, 0, 1, 2)
        self.insert_buttons: dict[str, QPushButton] = {}
        for row, (name, (hint, example)) in enumerate(PLACEHOLDER_HINTS.items(), start=1):
            button = QPushButton(f"{{{name}}}")
            button.setToolTip(f"Insert {{{name}}}: {hint}, e.g. {example}")
            button.clicked.connect(lambda _=False, n=name: self.insert(n))
            inserts.addWidget(button, row, 0)
            inserts.addWidget(explanation(hint), row, 1)
            self.insert_buttons[name] = button
        inserts.setRowStretch(len(PLACEHOLDER_HINTS) + 1, 1)
        side = QWidget()
        side.setLayout(inserts)
        editing = QHBoxLayout()
        editing.addWidget(self.editor, 1)
        editing.addWidget(side)

        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.preview_title = section_title("Preview")
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setMinimumHeight(lines * 7 + 12)
        self.preview.setBackgroundRole(self.preview.backgroundRole().Window)
        self.preview.setFrameShape(QPlainTextEdit.Shape.StyledPanel)
        self.preview.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.preview.viewport().setAutoFillBackground(False)

        self.layout_.addSpacing(6)
        self.layout_.addWidget(section_title("Messages"))
        self.layout_.addWidget(explanation(
            "Words in braces are filled in for each partner and post. Anything else you "
            "type is sent as it is."))
        box = QVBoxLayout()
        box.addLayout(chooser)
        box.addLayout(editing, 1)
        box.addWidget(self.warning)
        box.addWidget(self.preview_title)
        box.addWidget(explanation("Each partner's share kit — the text and a one-click link "
                                  "for each of their networks — follows the message."))
        box.addWidget(self.preview, 1)
        self.layout_.addLayout(box, 1)
        self.kind.currentIndexChanged.connect(self._show_kind)

    @property
    def current_kind(self) -> str:
        """The contact kind whose message is being edited."""
        return str(self.kind.currentData())

    def load(self, values: Mapping[str, Any]) -> None:
        """Show the warning count and every kind's message (the built-in one if not set)."""
        self.sender_name.setText(str(values.get("sender_name") or ""))
        self.sender_business.setText(str(values.get("sender_business") or ""))
        self.sender_asked = bool(values.get("sender_asked"))
        self.warning_count.setValue(int(values["ask_warning_count"]))
        self.zone.set_zone(str(values.get("timezone") or "") or None)
        overrides = values.get("ask_templates") or {}
        self.templates = {kind: ask_messages.template_for(kind, overrides)
                          for kind in CONTACT_KINDS}
        self._show_kind()

    def values(self) -> dict[str, Any]:
        """The warning count and every kind's message (the dialog stores only changed ones)."""
        name, business = self.sender_name.text().strip(), self.sender_business.text().strip()
        return {"sender_name": name, "sender_business": business,
                "sender_asked": self.sender_asked or bool(name or business),
                "ask_warning_count": self.warning_count.value(),
                "ask_templates": dict(self.templates),
                "timezone": "" if self.zone.zone() == self.zone.default else self.zone.zone()}

    def check(self) -> None:
        """The count is a number; the time zone is one; no message is empty."""
        check_typed(self.warning_count, "Warn after")
        if self.zone.zone() not in (self.zone.default, *zone_names()):
            raise Problem(f"“{self.zone.zone()}” is not a time zone: pick one from the list "
                          "(type a city to find it).", self.zone)
        for index in range(self.kind.count()):
            kind = str(self.kind.itemData(index))
            if not self.templates.get(kind, "").strip():
                self.kind.setCurrentIndex(index)
                raise Problem(f"The message for {self.kind.itemText(index).lower()} is empty. "
                              "Type one, or click “Use the built-in message”.", self.editor)

    def insert(self, placeholder: str) -> None:
        """Put ``{placeholder}`` at the cursor."""
        self.editor.insertPlainText(f"{{{placeholder}}}")
        self.editor.setFocus()

    def use_built_in(self) -> None:
        """Put back SocialDesk's own message for the kind shown."""
        self.editor.setPlainText(DEFAULT_TEMPLATES.get(self.current_kind,
                                                       DEFAULT_TEMPLATES["other"]))

    def _show_kind(self) -> None:
        text = self.templates.get(self.current_kind, "")
        if self.editor.toPlainText() != text:
            self.editor.setPlainText(text)
        self._update_preview()

    def _edited(self) -> None:
        self.templates[self.current_kind] = self.editor.toPlainText()
        self._update_preview()

    def _update_preview(self) -> None:
        kind = self.current_kind
        template = self.templates.get(kind, "")
        self.built_in.setEnabled(template != DEFAULT_TEMPLATES.get(kind))
        name = SAMPLE_NAMES.get(kind, "Chris")
        context = dataclasses.replace(
            self.context, name=name, sender_name=self.sender_name.text(),
            sender_business=self.sender_business.text())
        self.preview_title.setText(f"Preview — to {name}, about “{context.post_title}”")
        self.preview.setPlainText(ask_messages.render(template, context))
        unknown = ask_messages.unknown_placeholders(template)
        if unknown:
            listed = ", ".join(f"{{{name}}}" for name in unknown)
            self.warning.setText(f"⚠ {listed} will be sent as typed: it is not one of the "
                                 "words SocialDesk fills in.")
        self.warning.setVisible(bool(unknown))
