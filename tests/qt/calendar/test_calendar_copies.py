"""Duplicating a post and post templates, driven like a user (context menu, editor, menus)."""

from __future__ import annotations

from calendar_helpers import centre
from PySide6.QtWidgets import QInputDialog, QMessageBox

from socialdesk.store import campaigns, post_templates, post_writes
from socialdesk.store.models import Campaign, PostDraft


def _original(workspace) -> int:
    campaign = campaigns.create_campaign(workspace, Campaign(0, "Spring", colour="#e15759"))
    (workspace.path.parent / "media").mkdir(exist_ok=True)
    return post_writes.create_post(workspace, PostDraft(
        title="Rye is back", body="Our rye loaf returns.", status="published",
        campaign_id=campaign, scheduled_on="2031-03-10", scheduled_time="08:30",
        timezone="Europe/Berlin", link="https://bakery.example/rye", notes="Photo: Ana",
        repeat_rule="weekly", repeat_until="2031-04-30", published_url="https://x.example/1",
        reach=900, clicks=40, engagements=12,
        channels=(("instagram", None), ("mastodon", "Rye! #bread")),
        topics=("bread", "rye"), media=("rye.jpg",), media_alt=("A dark rye loaf",)))


def test_duplicate_from_the_context_menu_is_an_undated_copy_and_undo_removes_it(
        calendar_view, workspace) -> None:
    view = calendar_view
    post_id = _original(workspace)
    original = post_writes.get_post(workspace, post_id)
    view.reload()
    menu = view.grid.menu_for(centre(view.grid.chip_rect(post_id)))
    assert menu is not None
    {a.text(): a for a in menu.actions()}["Duplicate"].trigger()

    ids = [r[0] for r in workspace.conn.execute("SELECT id FROM posts ORDER BY id")]
    assert len(ids) == 2
    copy = post_writes.get_post(workspace, ids[1])
    assert copy is not None and original is not None
    assert copy.uid != original.uid
    draft = copy.draft
    assert draft.title == "Rye is back (copy)"
    assert (draft.body, draft.campaign_id, draft.link, draft.notes) == (
        "Our rye loaf returns.", original.draft.campaign_id, "https://bakery.example/rye",
        "Photo: Ana")
    assert draft.channels == (("instagram", None), ("mastodon", "Rye! #bread"))
    assert draft.topics == ("bread", "rye")
    assert (draft.media, draft.media_alt) == (("rye.jpg",), ("A dark rye loaf",))
    assert (draft.scheduled_on, draft.scheduled_time, draft.repeat_rule, draft.status) == (
        None, None, None, "draft")
    assert (draft.published_url, draft.reach, draft.clicks, draft.engagements) == (
        "", None, None, None)
    # The copy is open in the editor, ready to be given a date.
    assert view.editor.post_id == ids[1] and view.side.isVisible()

    view.undo_stack.undo()
    assert post_writes.get_post(workspace, ids[1]) is None
    assert post_writes.get_post(workspace, post_id) is not None
    view.undo_stack.redo()
    assert workspace.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 2


def test_duplicate_from_the_editor_and_the_agenda(calendar_view, workspace) -> None:
    view = calendar_view
    post_id = _original(workspace)
    view.reload()
    view.edit_post(post_id)
    assert view.editor.duplicate_action.isEnabled()
    view.editor.duplicate_action.trigger()
    assert workspace.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 2
    view.set_mode("agenda")
    view.close_side(force=True)
    assert view.agenda.duplicate_requested is not None
    view.agenda.duplicate_requested.emit(post_id)
    titles = sorted(r[0] for r in workspace.conn.execute("SELECT title FROM posts"))
    assert titles == ["Rye is back", "Rye is back (copy)", "Rye is back (copy)"]


def test_a_new_post_has_nothing_to_duplicate(calendar_view) -> None:
    calendar_view.new_post(None)
    assert not calendar_view.editor.duplicate_action.isEnabled()


def test_save_as_template_then_start_a_post_from_it_and_delete_it(
        calendar_view, workspace, monkeypatch) -> None:
    view = calendar_view
    post_id = _original(workspace)
    view.reload()
    view.edit_post(post_id)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Weekly bread", True))
    view.editor.template_action.trigger()
    saved = post_templates.list_templates(workspace)
    assert [t.name for t in saved] == ["Weekly bread"]
    template = saved[0]
    assert (template.title, template.body, template.link) == (
        "Rye is back", "Our rye loaf returns.", "https://bakery.example/rye")
    assert template.channels == (("instagram", None), ("mastodon", "Rye! #bread"))
    assert template.topics == ("bread", "rye")
    assert template.campaign_id is not None

    # Saving under the same name again asks, then replaces.
    view.editor.title.setText("Rye, always")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.editor.template_action.trigger()
    assert [t.title for t in post_templates.list_templates(workspace)] == ["Rye, always"]
    view.undo_stack.undo()
    assert [t.title for t in post_templates.list_templates(workspace)] == ["Rye is back"]
    view.close_side(force=True)

    # "From template" lists it; choosing it starts a new undated post in the editor.
    menu = view.template_menu
    menu.aboutToShow.emit()
    entries = {a.text(): a for a in menu.actions() if a.text()}
    assert set(entries) == {"Weekly bread", "Manage templates…"}
    entries["Weekly bread"].trigger()
    assert view.side.isVisible() and view.editor.post_id is None
    draft = view.editor.draft()
    assert (draft.title, draft.body, draft.scheduled_on) == (
        "Rye is back", "Our rye loaf returns.", None)
    assert dict(draft.channels) == {"instagram": None, "mastodon": "Rye! #bread"}
    assert set(draft.topics) == {"bread", "rye"}
    assert draft.campaign_id == template.campaign_id
    assert view.save_editor()
    assert workspace.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 2

    # Manage templates: delete it, and undo brings it back.
    from socialdesk.qt.calendar.templates import TemplatesDialog

    dialog = TemplatesDialog(view.actions, view.new_post_from_template, view)
    assert dialog.list.count() == 1
    dialog.delete_button.click()
    assert post_templates.list_templates(workspace) == []
    assert dialog.list.count() == 0 and not dialog.delete_button.isEnabled()
    view.undo_stack.undo()
    assert [t.name for t in post_templates.list_templates(workspace)] == ["Weekly bread"]
    assert dialog.list.count() == 1
    dialog.close()
