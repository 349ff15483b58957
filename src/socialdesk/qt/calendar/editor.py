"""The post editor: a pane on the right of the calendar with everything about one post.

It edits a :class:`PostDraft`; saving is the view's job (one transaction, one undo step),
so the editor only checks what it can and asks to be saved. Opened on a later date of a
repeating post (``occurs_on``), its status and results are that date's own
(:meth:`PostEditor.repeat_values`) and everything else is the whole series.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from socialdesk.core.calendar.best_times import Suggestion
from socialdesk.core.clock import today
from socialdesk.qt.calendar.best_time_button import BestTimeButton
from socialdesk.qt.calendar.channel_texts import ChannelTexts, warning_colour
from socialdesk.qt.calendar.feed_preview import FeedPreviewPanel
from socialdesk.qt.calendar.fields import (
    CountField,
    TokenCompleter,
    ZoneBox,
    hbox,
    iso_date,
    qdate,
)
from socialdesk.qt.calendar.hashtag_groups import HashtagButton
from socialdesk.qt.calendar.media_list import MediaList
from socialdesk.qt.formatting import date_edit_format, day_text, moment_text, time_edit_format
from socialdesk.qt.keyboard import keyboard_ready
from socialdesk.qt.view_base import section_title
from socialdesk.qt.wheel import wheel_needs_focus
from socialdesk.store import post_writes
from socialdesk.store.models import Campaign, OccurrenceDraft, PostDetail, PostDraft
from socialdesk.store.vocabulary import POST_STATUSES
from socialdesk.store.workspace import Workspace

REPEATS = (("Does not repeat", None), ("Every week", "weekly"), ("Every month", "monthly"))


class PostEditor(QWidget):
    """Edit one post; emits ``save_requested`` with the id (None: new) and the draft."""

    save_requested = Signal()
    close_requested = Signal()
    delete_requested = Signal(int)
    plan_requested = Signal(int)
    duplicate_requested = Signal(int)  # "Duplicate" on the stored post
    template_requested = Signal()  # "Save as template…": the draft shown becomes a template

    def __init__(self, ws: Workspace | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws  # for the hashtag groups and the best time (None: neither)
        self.post_id: int | None = None
        self.detail: PostDetail | None = None
        self.occurs_on: str | None = None  # a later date of a repeating post, being edited
        self._loaded = PostDraft(title="")
        self._loaded_repeat: OccurrenceDraft | None = None
        self.heading = section_title("New post")
        self.subheading = QLabel()
        self.subheading.setForegroundRole(self.subheading.foregroundRole().PlaceholderText)
        self.title = QLineEdit()
        self.title.setPlaceholderText("A short title, for you (not posted)")
        self.texts = ChannelTexts()
        self.texts.setMinimumHeight(230)
        self.hashtags = HashtagButton(ws, self.texts.insert_at_cursor)
        self.preview = FeedPreviewPanel()
        self.texts.changed.connect(self.update_preview)
        self.first_comment = QPlainTextEdit()
        self.first_comment.setMaximumHeight(56)
        self.first_comment.setPlaceholderText("Posted under the post right after it goes out: "
                                              "hashtags, a link… (exported for whoever posts)")

        self.has_date = QCheckBox("On")
        self.date = QDateEdit()
        self.date.setAccessibleName("Date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(date_edit_format())
        self.has_time = QCheckBox("at")
        self.time = QTimeEdit()
        self.time.setAccessibleName("Time")
        self.time.setDisplayFormat(time_edit_format())
        self.zone = ZoneBox()
        self.best_time_button = BestTimeButton(ws)
        self.best_time_button.found.connect(self.show_best_time)
        self.best_time_note = self.best_time_button.note
        self.has_date.toggled.connect(self._update_enabled)
        self.has_time.toggled.connect(self._update_enabled)

        self.status = QComboBox()
        for status in POST_STATUSES:
            self.status.addItem(status.title(), status)
        self.status.currentIndexChanged.connect(self._update_enabled)
        self.campaign = QComboBox()
        self.campaign.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.campaign.setMinimumContentsLength(16)
        self.topics = QLineEdit()
        self.topics.setPlaceholderText("bread, events, … (comma between topics)")
        self.topic_completer = TokenCompleter([], self.topics)
        self.topics.setCompleter(self.topic_completer)
        self.link = QLineEdit()
        self.link.setPlaceholderText("https://…")
        self.link.textChanged.connect(self.texts.set_link)
        self.link.textChanged.connect(self.update_preview)
        self.location = QLineEdit()
        self.location.setPlaceholderText("Where it happens (a calendar event's place)")

        self.media = MediaList()
        self.media.model().rowsInserted.connect(self.update_preview)
        self.media.model().rowsRemoved.connect(self.update_preview)
        add_media = QPushButton("Add files…")
        add_media.clicked.connect(self.add_media)
        remove_media = QPushButton("Remove")
        remove_media.clicked.connect(self.media.remove_selected)
        self.alt_button = QPushButton("Alt text…")
        self.alt_button.setToolTip("Describe the selected file for people who cannot see it "
                                   "(sent with it to Mastodon and Bluesky, and exported with "
                                   "the calendar)")
        self.alt_button.clicked.connect(self.edit_alt_text)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(64)
        self.notes.setPlaceholderText("For you: ideas, who took the photo, what to check…")

        self.repeat = QComboBox()
        for label, rule in REPEATS:
            self.repeat.addItem(label, rule)
        self.has_until = QCheckBox("Stop repeating after")
        self.until = QDateEdit()
        self.until.setAccessibleName("Last date")
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat(date_edit_format())
        self.evergreen = QCheckBox("Evergreen: post again every")
        self.evergreen_weeks = QSpinBox()
        self.evergreen_weeks.setAccessibleName("Weeks between evergreen posts")
        self.evergreen_weeks.setRange(1, 104)
        self.evergreen_weeks.setSuffix(" weeks")
        for widget in (self.repeat, self.has_until, self.evergreen):
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else \
                widget.toggled
            signal.connect(self._update_enabled)

        self.published_url = QLineEdit()
        self.published_url.setPlaceholderText("The published post's address (paste it)")
        self.reach = CountField("people", "People who saw the post")
        self.clicks = CountField("clicks", "Clicks on the link")
        self.engagements = CountField("likes, comments, shares",
                                      "Engagements: likes, comments and shares")
        for field in (self.reach, self.clicks, self.engagements):
            field.setMinimumWidth(self.fontMetrics().horizontalAdvance("likes, comments, shares")
                                  + 24)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        self._build_layout(add_media, remove_media)
        wheel_needs_focus(self)
        keyboard_ready(self)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.request_save)
        self._update_enabled()

    def _build_layout(self, add_media: QPushButton, remove_media: QPushButton) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Title", self.title)
        form.addRow(self.texts)
        form.addRow("", hbox(self.hashtags, stretch=True))
        form.addRow("First comment", self.first_comment)
        form.addRow(section_title("In the feed"))
        form.addRow(self.preview)
        form.addRow(section_title("When"))
        form.addRow("Date", hbox(self.has_date, self.date, self.has_time, self.time, stretch=True))
        form.addRow("", hbox(self.best_time_button, stretch=True))
        form.addRow("", self.best_time_note)
        form.addRow("Time zone", self.zone)
        form.addRow("Repeat", hbox(self.repeat, stretch=True))
        form.addRow("", hbox(self.evergreen, self.evergreen_weeks, stretch=True))
        form.addRow("", hbox(self.has_until, self.until, stretch=True))
        form.addRow(section_title("Details"))
        form.addRow("Status", hbox(self.status, stretch=True))
        form.addRow("Campaign", self.campaign)
        form.addRow("Topics", self.topics)
        form.addRow("Link", self.link)
        form.addRow("Location", self.location)
        form.addRow("Media", self.media)
        form.addRow("", hbox(add_media, remove_media, self.alt_button, stretch=True))
        form.addRow("Notes", self.notes)
        self.results_title = section_title("Results")
        form.addRow(self.results_title)
        form.addRow("Address", self.published_url)
        form.addRow("Reach", hbox(self.reach, stretch=True))
        form.addRow("Clicks", hbox(self.clicks, stretch=True))
        form.addRow("Reactions", hbox(self.engagements, stretch=True))
        content = QWidget()
        content.setLayout(form)
        scroll = self.scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        keys = QKeySequence(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip(
            f"Save ({keys.toString(QKeySequence.SequenceFormat.NativeText)})")
        self.save_button.clicked.connect(self.request_save)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.close_requested)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(
            lambda: self.post_id is not None and self.delete_requested.emit(self.post_id))
        self.plan_button = QPushButton("Plan leverage…")
        self.plan_button.setToolTip("Open this post in the Planner to see who could share it")
        self.plan_button.clicked.connect(
            lambda: self.post_id is not None and self.plan_requested.emit(self.post_id))
        self.more_button = QToolButton()
        self.more_button.setText("More")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more = QMenu(self.more_button)
        self.duplicate_action = more.addAction(
            "Duplicate", lambda: self.post_id is not None
            and self.duplicate_requested.emit(self.post_id))
        self.duplicate_action.setToolTip("An undated copy of this post as saved, to schedule "
                                         "again")
        self.template_action = more.addAction("Save as template…", self.template_requested.emit)
        self.more_button.setMenu(more)
        buttons = hbox(self.delete_button, self.plan_button, self.more_button, stretch=True)
        buttons.layout().addWidget(self.cancel_button)
        buttons.layout().addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    # --- loading ---------------------------------------------------------------------

    def set_choices(self, campaigns: list[Campaign], topics: list[str]) -> None:
        """The campaigns and topics to choose from."""
        current = self.campaign.currentData()
        self.campaign.clear()
        self.campaign.addItem("No campaign", None)
        for campaign in campaigns:
            self.campaign.addItem(campaign.name, campaign.id)
        self.campaign.setCurrentIndex(max(0, self.campaign.findData(current)))
        self.topic_completer.set_words(topics)

    def edit(self, detail: PostDetail | None, draft: PostDraft | None = None, *,
             undated: date | None = None,
             repeat: tuple[str, OccurrenceDraft] | None = None) -> None:
        """Show a stored post (``detail``) or a new one (``draft``) for editing.

        A post without a date gets ``undated`` (default today) once its date is ticked on.
        ``repeat``: a later date of the stored post and what it shows, to edit that date's
        status and results (the other fields stay the series').
        """
        self.detail = detail
        self.post_id = detail.id if detail else None
        draft = detail.draft if detail else (draft or PostDraft(title=""))
        self._loaded = post_writes.canonical(draft)
        self.occurs_on, self._loaded_repeat = repeat if detail and repeat else (None, None)
        results: PostDraft | OccurrenceDraft = self._loaded_repeat or draft
        if self.occurs_on is not None:
            day = day_text(self.occurs_on, today())
            self.heading.setText("Edit one date of a repeating post")
            self.subheading.setText(f"The repeat on {day}: its status and results are its "
                                    "own; everything else changes the whole series.")
            self.results_title.setText(f"Results on {day}")
            self.status.setToolTip(f"The status of the repeat on {day} only")
            self.delete_button.setText("Delete the series")
        else:
            self.heading.setText("Edit post" if detail else "New post")
            self.subheading.setText(
                f"Saved {moment_text(detail.updated_at)} · "
                f"version {detail.sequence + 1}" if detail else "Not saved yet")
            self.results_title.setText("Results")
            self.status.setToolTip("")
            self.delete_button.setText("Delete")
        self.title.setText(draft.title)
        self.texts.set_content(draft.body, draft.channels)
        self.first_comment.setPlainText(draft.first_comment)
        self.best_time_note.hide()
        self.has_date.setChecked(draft.scheduled_on is not None)
        offered = draft.scheduled_on or (undated or today()).isoformat()
        self.date.setDate(qdate(offered))
        self.has_time.setChecked(draft.scheduled_time is not None)
        self.time.setTime(QTime.fromString(draft.scheduled_time or "09:00", "HH:mm"))
        self.zone.set_zone(draft.timezone)
        self.status.setCurrentIndex(max(0, self.status.findData(results.status)))
        self.campaign.setCurrentIndex(max(0, self.campaign.findData(draft.campaign_id)))
        self.topics.setText(", ".join(draft.topics))
        self.link.setText(draft.link)
        self.location.setText(draft.location)
        self.media.clear()
        for position, path in enumerate(draft.media):
            self.media.add(path, post_writes.media_alt(draft.media_alt, position))
        self.notes.setPlainText(draft.notes)
        self.update_preview()
        self.repeat.setCurrentIndex(max(0, self.repeat.findData(draft.repeat_rule)))
        self.has_until.setChecked(draft.repeat_until is not None)
        self.until.setDate(qdate(draft.repeat_until or offered))
        self.evergreen.setChecked(draft.evergreen_weeks is not None)
        self.evergreen_weeks.setValue(draft.evergreen_weeks or 12)
        self.published_url.setText(results.published_url)
        self.reach.set_value(results.reach)
        self.clicks.set_value(results.clicks)
        self.engagements.set_value(results.engagements)
        self.delete_button.setEnabled(detail is not None)
        self.plan_button.setEnabled(detail is not None)
        self.duplicate_action.setEnabled(detail is not None)
        self.show_error("")
        self._update_enabled()

    def set_date(self, iso: str) -> None:
        """Change the shown date (after the post was dragged elsewhere), keeping other edits."""
        self.date.setDate(qdate(iso))
        self._loaded = replace(self._loaded, scheduled_on=iso)

    # --- reading ---------------------------------------------------------------------

    def repeat_values(self) -> OccurrenceDraft:
        """What the status and result fields say, as one date's own values."""
        return OccurrenceDraft(
            status=self.status.currentData(), published_url=self.published_url.text().strip(),
            reach=self.reach.value(), clicks=self.clicks.value(),
            engagements=self.engagements.value())

    def repeat_changed(self) -> bool:
        """True when the editor shows a later date whose status or results were changed."""
        return self.occurs_on is not None and self.repeat_values() != self._loaded_repeat

    def draft(self) -> PostDraft:
        """What the fields say, as a draft (the series', when a later date is shown)."""
        results = self.repeat_values() if self.occurs_on is None else self._loaded
        dated = self.has_date.isChecked()
        timed = dated and self.has_time.isChecked()
        zone = self.zone.zone() if timed else self._loaded.timezone
        if timed and self._loaded.timezone is None and zone == self.zone.default:
            zone = None  # the workspace's zone, as before
        until = iso_date(self.until.date()) if self.has_until.isChecked() else None
        return post_writes.canonical(PostDraft(
            title=self.title.text(),
            body=self.texts.body(),
            status=results.status,
            campaign_id=self.campaign.currentData(),
            scheduled_on=iso_date(self.date.date()) if dated else None,
            scheduled_time=self.time.time().toString("HH:mm") if timed else None,
            timezone=zone,
            link=self.link.text().strip(),
            notes=self.notes.toPlainText(),
            location=self.location.text().strip(),
            first_comment=self.first_comment.toPlainText().strip(),
            repeat_rule=self.repeat.currentData() if dated else None,
            repeat_until=until if dated and (self.repeat.currentData() or
                                             self.evergreen.isChecked()) else None,
            evergreen_weeks=self.evergreen_weeks.value()
            if dated and self.evergreen.isChecked() else None,
            published_url=results.published_url,
            reach=results.reach,
            clicks=results.clicks,
            engagements=results.engagements,
            channels=self.texts.channels(),
            topics=tuple(t.strip() for t in self.topics.text().split(",") if t.strip()),
            media=self.media.paths(),
            media_alt=self.media.alt_texts(),
        ))

    @property
    def loaded(self) -> PostDraft:
        """The post as the editor showed it when opened: what its edits are measured from."""
        return self._loaded

    def is_dirty(self) -> bool:
        """True when the fields differ from what was loaded."""
        return self.draft() != self._loaded or self.repeat_changed()

    # --- actions ---------------------------------------------------------------------

    def request_save(self) -> None:
        """Check the draft and ask the view to save it."""
        try:
            post_writes.validate(self.draft())
        except ValueError as error:
            self.show_error(str(error))
            if not self.title.text().strip():
                self.title.setFocus()
            return
        self.show_error("")
        self.save_requested.emit()

    def show_error(self, message: str) -> None:
        """Show (or, with "", hide) a problem under the form."""
        self.error.setText(message)
        self.error.setStyleSheet(f"color: {warning_colour(self)}; font-weight: bold;")
        self.error.setVisible(bool(message))

    def add_media(self) -> None:
        """Pick files to attach (copied into the workspace's media folder on save)."""
        self.media.pick()

    def set_alt_text(self, item: QListWidgetItem, alt: str) -> None:
        """Give a listed media file its description (alt text)."""
        self.media.set_alt_text(item, alt)

    def edit_alt_text(self) -> None:
        """Ask for the selected media file's description (alt text)."""
        if not self.media.ask_alt_text():
            self.show_error("Choose a media file in the list first.")

    def media_paths(self) -> tuple[str, ...]:
        """The attached files: stored (relative) paths and newly picked (absolute) ones."""
        return self.media.paths()

    # --- preview and best time ------------------------------------------------------

    def update_preview(self) -> None:
        """Show each chosen channel's text as its feed would, with the link and the media."""
        sent = [(platform, self.texts.sent_text(platform)) for platform in self.texts.chosen()]
        self.preview.show_post(sent, self.media.count(), self.link.text())

    def show_best_time(self, suggestion: Suggestion) -> None:
        """Put a suggested slot in the date and time fields (in the suggestion's zone)."""
        if suggestion.when is not None:
            self.has_date.setChecked(True)
            self.date.setDate(qdate(suggestion.when.date().isoformat()))
            self.has_time.setChecked(True)
            self.time.setTime(QTime(suggestion.when.hour, suggestion.when.minute))
            self.zone.set_zone(suggestion.zone or None)

    def _update_enabled(self) -> None:
        dated = self.has_date.isChecked()
        self.date.setEnabled(dated)
        self.has_time.setEnabled(dated)
        self.best_time_button.setEnabled(self.ws is not None)
        timed = dated and self.has_time.isChecked()
        self.time.setEnabled(timed)
        self.zone.setEnabled(timed)
        self.repeat.setEnabled(dated)
        repeats = dated and (self.repeat.currentData() is not None or self.evergreen.isChecked())
        self.has_until.setEnabled(repeats)
        self.until.setEnabled(repeats and self.has_until.isChecked())
        self.evergreen.setEnabled(dated)
        self.evergreen_weeks.setEnabled(dated and self.evergreen.isChecked())
        published = self.status.currentData() == "published"
        for widget in (self.published_url, self.reach, self.clicks, self.engagements):
            widget.setEnabled(published or bool(self._has_results()))
        self.results_title.setToolTip("" if published else
                                      "Fill these in once the post is published")
        if self.has_date.isChecked():
            self.has_date.setToolTip(day_text(iso_date(self.date.date())))

    def _has_results(self) -> bool:
        return bool(self.published_url.text() or self.reach.text() or self.clicks.text()
                    or self.engagements.text())

