"""The calendar's side pane: the post editor and the campaigns and channels lists.

:class:`PostEditing` is the half of :class:`~socialdesk.qt.calendar.view.CalendarView`
that opens, saves, moves and deletes posts through the editor pane (each edit one undo
step of :class:`~socialdesk.qt.calendar.actions.CalendarActions`) and shows the side
panels; the view itself navigates, loads and filters the posts shown.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, SignalInstance
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from socialdesk import APP_NAME
from socialdesk.core.calendar.post_copies import draft_from_template, template_from_draft
from socialdesk.core.calendar.recurrence import repeat_values
from socialdesk.core.clock import today
from socialdesk.core.formatting import plural
from socialdesk.qt.calendar.actions import CalendarActions
from socialdesk.qt.calendar.campaigns import CampaignsPanel, ChannelsPanel
from socialdesk.qt.calendar.canvas import PostCanvas
from socialdesk.qt.calendar.channel_texts import icon_warmers
from socialdesk.qt.calendar.editor import PostEditor
from socialdesk.qt.calendar.loading import STEP_MS
from socialdesk.qt.calendar.month import MonthGrid
from socialdesk.qt.calendar.toolbar import NO_CAMPAIGN
from socialdesk.qt.calendar.week import WeekGrid
from socialdesk.qt.confirm import confirm
from socialdesk.qt.formatting import day_text
from socialdesk.qt.undo import quoted, show_status
from socialdesk.qt.view_base import View
from socialdesk.store import asks, post_templates, post_writes, posts
from socialdesk.store.models import PostDraft

PANE_WIDTH = 410

# Typed as the view it is part of; a plain base class at run time.
_Base = View if TYPE_CHECKING else object


class PostEditing(_Base):
    """Editing posts in the side pane, and the side panels, of the calendar view."""

    actions: CalendarActions
    grid: MonthGrid
    week: WeekGrid
    pages: QStackedWidget
    side: QStackedWidget
    splitter: QSplitter
    campaigns_panel: CampaignsPanel
    channels_panel: ChannelsPanel
    plan_leverage: SignalInstance
    campaign_filter: QComboBox
    anchor: date
    template_menu: QMenu
    reload: Callable[[], None]
    _read_again: Callable[[], None]
    _load: Callable[..., None]
    _editor: PostEditor | None
    _warming: deque[Callable[[], object]]

    @property
    def editor(self) -> PostEditor:
        """The post editor in the side pane (made the first time it is needed)."""
        if self._editor is None:
            editor = self._editor = PostEditor(self.ws)
            editor.save_requested.connect(self.save_editor)
            editor.close_requested.connect(self.close_side)
            editor.delete_requested.connect(self.delete_post)
            editor.plan_requested.connect(self.plan_leverage)
            editor.duplicate_requested.connect(self.duplicate_post)
            editor.template_requested.connect(self.save_as_template)
            self.side.insertWidget(0, editor)
        return self._editor

    def _editing(self) -> bool:
        """True when the side pane shows the post editor."""
        return (self._editor is not None and self.side.isVisible()
                and self.side.currentWidget() is self._editor)

    def _prepare_editor(self) -> None:
        """Draw the editor's channel marks on idle, one at a time, then make the editor.

        Opening the calendar then does not wait for them, and neither does the first edit.
        """
        if self._editor is not None or self._warming:
            return
        self._warming.extend(icon_warmers(self.palette()))
        self._warming.append(lambda: self.editor)
        QTimer.singleShot(STEP_MS, self, self._warm_next)

    def _warm_next(self) -> None:
        if self._warming:
            self._warming.popleft()()
        if self._warming:
            QTimer.singleShot(STEP_MS, self, self._warm_next)

    # --- editing ---------------------------------------------------------------------

    def _confirm_leave_editor(self) -> bool:
        """True when the editor may show something else (saved, discarded or clean)."""
        if not (self._editing() and self.editor.is_dirty()):
            return True
        answer = QMessageBox.question(
            self, APP_NAME, "Save the changes to this post first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save_editor()
        return answer == QMessageBox.StandardButton.Discard

    def edit_post(self, post_id: int, day: date | None = None) -> None:
        """Open a post in the editor pane (on ``day``, a later date of a repeating post)."""
        if not self._confirm_leave_editor():
            return
        self.editor.set_choices(posts.campaigns(self.ws), post_writes.topic_names(self.ws))
        if not self._load_editor(post_id, day.isoformat() if day else None):
            self._read_again()  # gone: deleted by another program
            return
        self._open_side(self.editor)
        self.grid.selected_id = self.week.selected_id = post_id
        self.grid.update()
        self.week.update()
        self.editor.title.setFocus()

    def _load_editor(self, post_id: int, occurs_on: str | None) -> bool:
        """Show a stored post (on one of its later dates) in the editor; False if it is gone."""
        detail = post_writes.get_post(self.ws, post_id)
        if detail is None:
            return False
        repeat = None
        if occurs_on is not None:
            repeat = (occurs_on, repeat_values(self.ws, post_id, detail.draft.status,
                                               date.fromisoformat(occurs_on)))
        self.editor.edit(detail, undated=self.chosen_day(), repeat=repeat)
        return True

    def open_post(self, post_id: int) -> None:
        """Show the period with a post and open it in the editor."""
        detail = post_writes.get_post(self.ws, post_id)
        if detail is not None and detail.draft.scheduled_on:
            self.anchor = date.fromisoformat(detail.draft.scheduled_on)
            self._load()  # as paging does: on a big workspace, on a worker
        self.edit_post(post_id)

    def chosen_day(self) -> date:
        """The day last clicked in the month or week shown, else today."""
        canvas = self.pages.currentWidget()
        day = canvas.selected_day if isinstance(canvas, PostCanvas) else None
        return day if day is not None and day in canvas.days else today()

    def new_post(self, day: date | None) -> None:
        """Start a new post (on ``day``, or without a date) in the editor pane.

        Without a date it is an idea; ticking its date on offers :meth:`chosen_day`.
        """
        if not self._confirm_leave_editor():
            return
        own = tuple((c.platform, None) for c in posts.channels(self.ws))
        campaign = self.campaign_filter.currentData()
        draft = PostDraft(
            title="", status="draft" if day else "idea",
            scheduled_on=day.isoformat() if day else None,
            campaign_id=campaign if campaign not in (None, NO_CAMPAIGN) else None,
            channels=own)
        self.editor.set_choices(posts.campaigns(self.ws), post_writes.topic_names(self.ws))
        self.editor.edit(None, draft, undated=self.chosen_day())
        self._open_side(self.editor)
        self.editor.title.setFocus()

    def save_editor(self) -> bool:
        """Save what the editor shows (one undo step) and close it; True when saved."""
        draft = self.editor.draft()
        try:
            post_writes.validate(draft)
        except ValueError as error:
            self.editor.show_error(str(error))
            return False
        occurs_on = self.editor.occurs_on
        if occurs_on is not None and self.editor.post_id is not None:
            post_id: int | None = self.editor.post_id
            marked = self.editor.repeat_values() if self.editor.repeat_changed() else None
            if not self.actions.save_repeat(self.editor.post_id, occurs_on, draft,
                                            self.editor.loaded, marked):
                return False
        else:
            post_id = self.actions.save_post(self.editor.post_id, draft, self.editor.loaded)
        if post_id is None:
            return False
        verb = "Saved" if self.editor.post_id else "Added"
        self._load_editor(post_id, occurs_on)
        self.close_side()
        self.grid.selected_id = self.week.selected_id = post_id
        self._notify(f"{verb} “{draft.title.strip()}”")
        return True

    def move_post(self, post_id: int, day: date) -> None:
        """Reschedule a post to ``day`` (undoable)."""
        if self.actions.move_post(post_id, day):
            if self._editing() and self.editor.post_id == post_id:
                self.editor.set_date(day.isoformat())
            self._notify(f"Moved to {day_text(day.isoformat())}")

    def delete_post(self, post_id: int) -> None:
        """Delete a post (undoable), asking first when asks go with it."""
        made = len(asks.asks_for_post(self.ws, post_id))
        detail = post_writes.get_post(self.ws, post_id) if made else None
        if detail is not None and not confirm(
                self, "Delete post",
                f"Delete {quoted(detail.draft.title)}?\n\nIts {plural(made, 'ask')} to "
                "partners will be deleted too, and the planner forgets them. "
                "You can undo this with Edit → Undo.", "Delete post"):
            return
        if self.actions.delete_post(post_id):
            if self._editor is not None and self._editor.post_id == post_id:
                self._editor.post_id = None
                self.close_side(force=True)
            self._notify("Deleted")

    def duplicate_post(self, post_id: int) -> None:
        """Copy a post (undoable) and open the undated copy in the editor."""
        if not self._confirm_leave_editor():
            return
        copy_id = self.actions.duplicate_post(post_id)
        if copy_id is not None:
            self.edit_post(copy_id)
            self._notify("Duplicated: the copy has no date yet")

    # --- templates -------------------------------------------------------------------

    def _fill_template_menu(self) -> None:
        from socialdesk.qt.calendar import templates

        templates.fill_menu(self.template_menu, self.actions, self.new_post_from_template,
                            self.manage_templates)

    def manage_templates(self) -> None:
        """Show the templates dialog (start a post from one, delete one)."""
        from socialdesk.qt.calendar.templates import TemplatesDialog

        dialog = TemplatesDialog(self.actions, self.new_post_from_template, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def new_post_from_template(self, template_id: int) -> None:
        """Start a new, undated post in the editor from a template."""
        template = post_templates.get_template(self.ws, template_id)
        if template is None or not self._confirm_leave_editor():
            return
        self.editor.set_choices(posts.campaigns(self.ws), post_writes.topic_names(self.ws))
        self.editor.edit(None, draft_from_template(template), undated=self.chosen_day())
        self._open_side(self.editor)
        self.editor.title.setFocus()

    def save_as_template(self) -> None:
        """Keep what the editor shows (text, channels, topics, campaign) as a template."""
        draft = self.editor.draft()
        name, ok = QInputDialog.getText(self, f"Save as template — {APP_NAME}",
                                        "Template name:", text=draft.title.strip())
        if not ok or not name.strip():
            return
        same = post_templates.template_named(self.ws, name)
        if same is not None and QMessageBox.question(
                self, APP_NAME, f"Replace the template “{same.name}”?") \
                != QMessageBox.StandardButton.Yes:
            return
        template = template_from_draft(name, draft, same.id if same is not None else 0)
        if self.actions.save_template(template) is not None:
            self._notify(f"Saved the template “{template.name}”")

    def _notify(self, text: str) -> None:
        undo = QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText)
        show_status(self, f"{text} · {undo} undoes")

    # --- side pane -------------------------------------------------------------------

    def _open_side(self, panel: QWidget) -> None:
        self.side.setCurrentWidget(panel)
        if not self.side.isVisible():
            self.side.show()
            width = self.splitter.width()
            self.splitter.setSizes([max(400, width - PANE_WIDTH), PANE_WIDTH])

    def show_side(self, which: str) -> None:
        """Show the campaigns or the own channels list in the side pane."""
        if not self._confirm_leave_editor():
            return
        panel = self.campaigns_panel if which == "campaigns" else self.channels_panel
        panel.refresh()
        self._open_side(panel)

    def close_side(self, force: bool = False) -> None:
        """Close the side pane (asking first about unsaved changes to a post)."""
        if not force and not self._confirm_leave_editor():
            return
        if self._editor is not None:
            self._editor.post_id = None
        self.side.hide()
