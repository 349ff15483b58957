"""The dialog that turns the chosen partners into asks: one message each, editable.

Each message comes from the template for the partner's kind (blogger, press, …), with the
partner's tracked link, and the share kit as plain text follows it; the template itself
can be edited here and is saved to the workspace for next time. A message can be copied or
opened in the e-mail program before the asks are created.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.planner import ask_messages
from socialdesk.core.planner.ask_messages import AskContext
from socialdesk.core.planner.asking import DraftAsk
from socialdesk.core.settings import update_setting, workspace_settings
from socialdesk.qt.icons import palette_icon, ui_icon
from socialdesk.qt.keyboard import keyboard_ready
from socialdesk.qt.view_base import muted, section_title
from socialdesk.store.planning import PostFacts
from socialdesk.store.workspace import Workspace

WARNING_COLOUR = "#c98a00"
KIND_PLURALS = {"partner": "partner businesses", "community": "community groups",
                "press": "press contacts", "staff": "staff", "other": "other contacts"}


def kind_plural(kind: str) -> str:
    """"bloggers", "press contacts": how a kind reads in "the template for …"."""
    return KIND_PLURALS.get(kind, f"{kind}s")


class AsksDialog(QDialog):
    """Review and edit each ask's message, then create the asks."""

    def __init__(self, ws: Workspace, post: PostFacts, drafts: Sequence[DraftAsk],
                 warning_count: int, parent: QWidget | None = None,
                 save_templates: Callable[[dict[str, str]], object] | None = None) -> None:
        """``save_templates`` stores edited templates (default: the setting, directly)."""
        super().__init__(parent)
        self.ws = ws
        self.save_templates = save_templates or (
            lambda templates: update_setting(ws, "ask_templates", templates))
        self.post = post
        self.drafts = list(drafts)
        self.warning_count = warning_count
        self.edited = [False] * len(self.drafts)
        self.templates: dict[str, str] = dict(workspace_settings(ws).get("ask_templates") or {})
        self.contexts = [d.context or AskContext(name=d.name, post_title=post.title)
                         for d in self.drafts]
        count = len(self.drafts)
        self.setWindowTitle("Create asks")
        self.resize(920, 620)

        self.partners = QListWidget()
        self.partners.setAccessibleName("Partners to ask")
        self.partners.setIconSize(QSize(16, 16))
        self.partners.setSpacing(2)
        warning = ui_icon("triangle-alert", WARNING_COLOUR, 16)
        blank = QPixmap(16, 16)
        blank.fill(Qt.GlobalColor.transparent)
        for draft in self.drafts:
            item = QListWidgetItem(f"{draft.name}  ·  {draft.kind}")
            if draft.recent_asks > warning_count:
                item.setIcon(warning)
                item.setToolTip(f"Asked {draft.recent_asks} times in the last 30 days")
            else:
                item.setIcon(QIcon(blank))  # names line up with the warned ones
            self.partners.addItem(item)
        self.partners.currentRowChanged.connect(self._show)

        self.to = QLabel()
        self.to.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subject = QLineEdit()
        self.subject.textEdited.connect(self._subject_edited)
        self.message = QPlainTextEdit()
        self.message.setAccessibleName("Message")
        self.message.textChanged.connect(self._message_edited)
        self.copy_button = QPushButton(palette_icon("copy"),
                                       "Copy message")
        self.copy_button.setToolTip("Copy this message, to paste it in a chat or a DM")
        self.copy_button.clicked.connect(self.copy_message)
        self.mail_button = QPushButton(palette_icon("mail"),
                                       "Open in e-mail…")
        self.mail_button.setToolTip("Open this message in your e-mail program")
        self.mail_button.clicked.connect(self.open_mail)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.mail_button)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("To:", self.to)
        form.addRow("Subject:", self.subject)

        self.template_box = QGroupBox()
        self.template_box.setCheckable(True)
        self.template_box.setChecked(False)
        self.template = QPlainTextEdit()
        self.template.setMaximumHeight(150)
        self.template_note = muted("")
        self.save_template_button = QPushButton("Save template")
        self.save_template_button.setToolTip("Use this template for these messages and the "
                                             "next asks (messages you edited stay as they are)")
        self.save_template_button.clicked.connect(self.save_template)
        self.reset_template_button = QPushButton("Use the original")
        self.reset_template_button.clicked.connect(self.reset_template)
        template_buttons = QHBoxLayout()
        template_buttons.addWidget(self.template_note, 1)
        template_buttons.addWidget(self.reset_template_button)
        template_buttons.addWidget(self.save_template_button)
        template_layout = QVBoxLayout(self.template_box)
        template_layout.addWidget(self.template)
        template_layout.addLayout(template_buttons)
        self.template_box.toggled.connect(self._template_toggled)
        self._template_toggled(False)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form)
        right_layout.addWidget(self.message, 1)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.template_box)
        splitter = QSplitter()
        splitter.addWidget(self.partners)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 640])
        splitter.setChildrenCollapsible(False)

        tired = [d for d in self.drafts if d.recent_asks > warning_count]
        self.warning = QLabel(self._warning_text(tired))
        self.warning.setWordWrap(True)
        self.warning.setVisible(bool(tired))
        self.box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        noun = "ask" if count == 1 else "asks"
        self.create_button = self.box.addButton(f"Create {count} {noun}",
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setDefault(True)
        self.create_button.setToolTip("Record the asks (status: asked) so you can track the "
                                      "answers; nothing is sent by SocialDesk itself")
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(section_title(f"Ask {count} partner{'s' if count != 1 else ''} to "
                                       f"share “{post.title}”"))
        layout.addWidget(muted("Each message comes from the template for the partner's kind, "
                               "with their own tracked link; their share kit follows it. Edit "
                               "any message, copy it or open it in your e-mail program, then "
                               "create the asks to track the answers."))
        layout.addWidget(splitter, 1)
        layout.addWidget(self.warning)
        layout.addWidget(self.box)
        self.partners.setCurrentRow(0)
        keyboard_ready(self)

    # --- one message ------------------------------------------------------------------

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.drafts):
            return
        draft = self.drafts[row]
        self.to.setText(f"{draft.name} <{draft.email}>" if draft.email else
                        f"{draft.name} — no e-mail address: copy the message instead")
        self.mail_button.setEnabled(True)
        self.subject.setText(draft.subject)
        self.message.blockSignals(True)
        self.message.setPlainText(draft.message)
        self.message.blockSignals(False)
        self.template_box.setTitle(f"Edit the template for {kind_plural(draft.kind)}")
        self._load_template(draft.kind)

    def _current(self) -> int:
        return self.partners.currentRow()

    def _message_edited(self) -> None:
        row = self._current()
        if 0 <= row < len(self.drafts):
            self._replace(row, message=self.message.toPlainText())
            self.edited[row] = True

    def _subject_edited(self, text: str) -> None:
        row = self._current()
        if 0 <= row < len(self.drafts):
            self._replace(row, subject=text)

    def _replace(self, row: int, **changes: str) -> None:
        draft = dataclasses.replace(self.drafts[row], **changes)
        self.drafts[row] = dataclasses.replace(
            draft, mailto=ask_messages.mailto_url(draft.email, draft.subject, draft.message))

    def copy_message(self) -> None:
        """Put the shown message on the clipboard."""
        QGuiApplication.clipboard().setText(self.message.toPlainText())
        self.copy_button.setText("Copied")

    def open_mail(self) -> None:
        """Open the shown message in the e-mail program (a mailto: link)."""
        row = self._current()
        if 0 <= row < len(self.drafts):
            QDesktopServices.openUrl(QUrl(self.drafts[row].mailto))

    # --- templates --------------------------------------------------------------------

    def _template_toggled(self, on: bool) -> None:
        # Closed: its title alone, not an empty frame below it.
        self.template_box.setFlat(not on)
        self.template_box.setMaximumHeight(16_777_215 if on else
                                           self.template_box.fontMetrics().height() + 2)
        for widget in (self.template, self.template_note, self.save_template_button,
                       self.reset_template_button):
            widget.setVisible(on)

    def _kind(self) -> str:
        row = self._current()
        return self.drafts[row].kind if 0 <= row < len(self.drafts) else "other"

    def _load_template(self, kind: str) -> None:
        self.template.setPlainText(ask_messages.template_for(kind, self.templates))
        self.template_note.setText("Placeholders: " + "  ".join(
            "{" + p + "}" for p in ask_messages.PLACEHOLDERS))

    def save_template(self) -> None:
        """Save the template for the shown partner's kind and rewrite unedited messages."""
        kind = self._kind()
        text = self.template.toPlainText()
        unknown = ask_messages.unknown_placeholders(text)
        self.templates[kind] = text
        self._store_templates()
        self._rerender(kind)
        if unknown:
            self.template_note.setText("Saved. Not filled in (check the spelling): " +
                                       ", ".join("{" + u + "}" for u in unknown))
        else:
            self.template_note.setText(f"Saved: new asks to {kind_plural(kind)} use it.")

    def reset_template(self) -> None:
        """Go back to SocialDesk's own template for the shown partner's kind."""
        kind = self._kind()
        self.templates.pop(kind, None)
        self._store_templates()
        self._load_template(kind)
        self._rerender(kind)

    def _store_templates(self) -> None:
        overrides = {k: v for k, v in self.templates.items()
                     if v != ask_messages.DEFAULT_TEMPLATES.get(k)}
        self.save_templates(overrides)

    def _rerender(self, kind: str) -> None:
        template = ask_messages.template_for(kind, self.templates)
        for row, draft in enumerate(self.drafts):
            if draft.kind == kind and not self.edited[row]:
                self._replace(row, message=ask_messages.with_kit(
                    ask_messages.render(template, self.contexts[row]), draft.kit))
        self._show(self._current())

    # --- result -----------------------------------------------------------------------

    def _warning_text(self, tired: Sequence[DraftAsk]) -> str:
        if not tired:
            return ""
        names = ", ".join(d.name for d in tired[:3]) + (
            f" and {len(tired) - 3} more" if len(tired) > 3 else "")
        verb = "was" if len(tired) == 1 else "were"
        return (f"⚠ {names} {verb} asked more than {self.warning_count} times in the last "
                "30 days. You can still ask, but they may tire of it.")

    def result_drafts(self) -> list[DraftAsk]:
        """The asks as edited, to create."""
        return list(self.drafts)
