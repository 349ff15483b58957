"""Asks from the planner: messages from templates, creating (and undoing) them, outcomes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QComboBox

from socialdesk.core.clock import today
from socialdesk.core.settings import workspace_settings
from socialdesk.qt.main_window import MainWindow
from socialdesk.qt.planner.ask_list import COL_REACH, COL_STATUS
from socialdesk.qt.planner.asks_dialog import AsksDialog
from socialdesk.qt.planner.partner_table import COL_P
from socialdesk.qt.planner.view import TAB_ASKS, PlannerView
from socialdesk.store import asks, posts


def settle(qtbot, view: PlannerView) -> None:
    qtbot.waitUntil(lambda: view.data is not None and not view.is_busy(), timeout=15_000)


@pytest.fixture
def view(window: MainWindow, qtbot) -> PlannerView:
    """The planner on an upcoming post that has no asks yet."""
    planner = window.show_view("planner")
    assert isinstance(planner, PlannerView)
    post = next(p for p in posts.upcoming_posts(window.ws, today().isoformat())
                if not asks.asks_for_post(window.ws, p.id))
    planner.select_post(post.id)
    settle(qtbot, planner)
    assert planner.data is not None and planner.data.post.id == post.id
    assert planner.actions.undo_stack is window.undo_stack
    return planner


def make_asks(view: PlannerView, ids: list[str], qtbot) -> AsksDialog:
    view.set_chosen(set(ids))
    dialog = view.open_asks_dialog()
    if dialog is None and view.sender_dialog is not None:  # the first asks: who signs them
        view.sender_dialog.accept()
        dialog = view.asks_dialog
    assert dialog is not None and dialog.isVisible()
    assert [d.contact_id for d in dialog.drafts] == [
        line.contact_id for line in sorted((view.data.by_id[i] for i in ids),  # type: ignore
                                           key=lambda line: -line.estimate.added_reach)]
    return dialog


def line_p(view: PlannerView, partner_id: str) -> float:
    assert view.data is not None
    return view.data.by_id[partner_id].estimate.p


def test_create_asks_with_template_messages_then_undo_and_redo(
        window: MainWindow, view: PlannerView, qtbot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = view.data
    assert data is not None
    post = data.post
    ids = [line.id for line in data.lines[:2]]
    dialog = make_asks(view, ids, qtbot)
    first, second = dialog.drafts
    assert first.name in first.message and post.title in first.message
    assert dialog.message.toPlainText() == first.message

    # A new template for the first partner's kind, saved to the workspace.
    dialog.template_box.setChecked(True)
    template = "Dear {name}, would you share {post_title} on {date}? {oops}"
    dialog.template.setPlainText(template)
    dialog.save_template()
    assert workspace_settings(view.ws)["ask_templates"][first.kind] == template
    assert dialog.drafts[0].message.startswith(f"Dear {first.name}, would you share "
                                               f"{post.title} on ")
    assert "{oops}" in dialog.template_note.text()

    # The second message edited by hand, copied and opened as a mailto: link.
    dialog.partners.setCurrentRow(1)
    own = f"Hi {second.name}, my own words about {post.title}."
    dialog.message.setPlainText(own)
    dialog.copy_message()
    assert QGuiApplication.clipboard().text() == own
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog.open_mail()
    assert opened and opened[0].scheme() == "mailto"
    assert "my%20own%20words" in opened[0].toString(QUrl.ComponentFormattingOption.FullyEncoded)
    expected = [d.message for d in dialog.drafts]
    if first.kind == second.kind:
        assert expected[1] == own  # a hand-edited message keeps its words

    planned = {i: (data.by_id[i].estimate.p, data.by_id[i].estimate.reach_if_shared, data.x0)
               for i in ids}
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    made = asks.asks_for_post(view.ws, post.id)
    assert sorted(a.message for a in made) == sorted(expected)
    # Each ask keeps the forecast the Planner showed (the track record scores it).
    stored = {str(row[0]): (row[1], row[2], row[3]) for row in view.ws.conn.execute(
        "SELECT contact_id, planned_p, planned_reach, planned_x0 FROM asks WHERE post_id = ?"
        " AND model_version = 2", (post.id,))}
    assert set(stored) == set(planned)
    for partner_id, figures in planned.items():
        assert stored[partner_id] == pytest.approx(figures)
    assert {a.status for a in made} == {"asked"}
    assert {str(a.contact_id) for a in made} == set(ids)
    assert "today" in window.stale  # the other views reload when shown
    assert view.tabs.currentIndex() == TAB_ASKS
    settle(qtbot, view)
    assert not view.summary.warning_box.isVisibleTo(view)  # asked already: nothing to warn of
    assert view.asks.model.rowCount() == 2
    assert view.chosen == set(ids)
    assert not view.create_button.isEnabled()  # everyone ticked was asked
    assert window.undo_stack.undoText().startswith("Ask 2 partners to share")

    window.undo_stack.undo()
    assert asks.asks_for_post(view.ws, post.id) == []
    settle(qtbot, view)
    assert view.asks.model.rowCount() == 0 and view.create_button.isEnabled()
    window.undo_stack.redo()
    assert sorted(a.message for a in asks.asks_for_post(view.ws, post.id)) == sorted(expected)

    window.undo_stack.undo()
    assert window.undo_stack.undoText() == "Edit the message template"
    window.undo_stack.undo()  # the template edit is a step of its own
    assert first.kind not in workspace_settings(view.ws)["ask_templates"]
    settle(qtbot, view)


def test_recording_a_share_raises_the_partners_p(
        window: MainWindow, view: PlannerView, qtbot) -> None:
    data = view.data
    assert data is not None
    partner = data.lines[0]
    dialog = make_asks(view, [partner.id], qtbot)
    dialog.accept()
    settle(qtbot, view)
    before = line_p(view, partner.id)
    assert before == pytest.approx(partner.estimate.p)  # this post's ask does not tire them
    row = view.asks.model.rows.index(next(a for a in view.asks.model.rows
                                           if a.contact_id == partner.contact_id))
    combo = view.asks.table.indexWidget(view.asks.model.index(row, COL_STATUS))
    assert isinstance(combo, QComboBox)  # the answer is a drop-down in the table
    combo.setCurrentIndex(combo.findData("shared"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: asks.asks_for_post(view.ws, data.post.id)[0].status == "shared")
    settle(qtbot, view)
    after = line_p(view, partner.id)
    assert after > before
    table_row = view.model.row_of(partner.id)
    assert view.model.index(table_row, COL_P).data().split(" ")[0] == f"{after * 100:.0f}%"

    # The reach they saw, typed in the table.
    row = next(i for i, a in enumerate(view.asks.model.rows)
               if a.contact_id == partner.contact_id)
    assert view.asks.table.indexWidget(view.asks.model.index(row, COL_REACH)) is not None
    view.asks.model.setData(view.asks.model.index(row, COL_REACH), 1234)
    qtbot.waitUntil(lambda: asks.asks_for_post(view.ws, data.post.id)[0].observed_reach
                    == 1234)
    assert window.undo_stack.undoText().startswith("Reach of")

    window.undo_stack.undo()
    window.undo_stack.undo()
    ask = asks.asks_for_post(view.ws, data.post.id)[0]
    assert (ask.status, ask.observed_reach) == ("asked", None)
    settle(qtbot, view)
    assert line_p(view, partner.id) == pytest.approx(before)


def test_a_share_before_the_post_is_published_adds_reach_to_reports_once_it_is(
        window: MainWindow, view: PlannerView, qtbot) -> None:
    from dataclasses import replace

    from socialdesk.qt.planner.ask_list import NOT_PUBLISHED
    from socialdesk.store import post_writes, reports

    data = view.data
    assert data is not None
    post_id, partner = data.post.id, data.lines[0]
    ws = view.ws

    def their_reach() -> int:
        return next((p.reach for p in reports.partner_asks(ws)
                     if p.contact_id == partner.contact_id), 0)

    before = their_reach()
    make_asks(view, [partner.id], qtbot).accept()
    settle(qtbot, view)
    assert NOT_PUBLISHED in view.asks.hint.text()  # said before a share is recorded
    view.asks.model.setData(view.asks.model.index(0, COL_STATUS), "shared")
    qtbot.waitUntil(lambda: asks.asks_for_post(ws, post_id)[0].status == "shared")
    settle(qtbot, view)
    view.asks.model.setData(view.asks.model.index(0, COL_REACH), 5000)
    qtbot.waitUntil(lambda: asks.asks_for_post(ws, post_id)[0].observed_reach == 5000)
    settle(qtbot, view)
    assert view.asks.hint.isVisibleTo(view) and NOT_PUBLISHED in view.asks.hint.text()
    tip = view.asks.model.index(0, COL_REACH).data(Qt.ItemDataRole.ToolTipRole)
    assert "once the post is published" in tip
    assert their_reach() == before  # recorded, but not counted while the post is unpublished
    shown = next(r for r in reports.post_results(ws) if r.post_id == post_id)
    assert (shown.shared, shown.partner_reach) == (1, 0)

    detail = post_writes.get_post(ws, post_id)
    assert detail is not None
    post_writes.update_post(ws, post_id, replace(detail.draft, status="published"))
    assert their_reach() == before + 5000
    shown = next(r for r in reports.post_results(ws) if r.post_id == post_id)
    assert shown.partner_reach == 5000


def test_declining_is_recorded_and_lowers_p(window: MainWindow, view: PlannerView,
                                            qtbot) -> None:
    data = view.data
    assert data is not None
    partner = data.lines[1]
    make_asks(view, [partner.id], qtbot).accept()
    settle(qtbot, view)
    before = line_p(view, partner.id)
    view.asks.model.setData(view.asks.model.index(0, COL_STATUS), "declined")
    qtbot.waitUntil(lambda: asks.asks_for_post(view.ws, data.post.id)[0].status == "declined")
    settle(qtbot, view)
    assert line_p(view, partner.id) < before
    assert view.data.by_id[partner.id].post_status == "declined"  # type: ignore[union-attr]
    # Asked once per post: asking again is setting the answer back to "asked".
    assert not view.create_button.isEnabled()
    assert "Asks tab" in view.create_button.toolTip()


def test_the_dialog_warns_about_partners_asked_too_often(
        window: MainWindow, view: PlannerView, qtbot) -> None:
    data = view.data
    assert data is not None
    partner = next(line for line in data.lines if not line.overasked)
    asks.create_asks(view.ws, [
        asks.NewAsk(contact_id=partner.contact_id, post_id=None,
                    asked_on=(today() - timedelta(days=n)).isoformat()) for n in (2, 5, 8)])
    view.refresh()
    settle(qtbot, view)
    dialog = make_asks(view, [partner.id], qtbot)
    assert dialog.warning.isVisibleTo(dialog)
    assert partner.name in dialog.warning.text()
    assert not dialog.partners.item(0).icon().isNull()
    dialog.reject()
    assert asks.asks_for_post(view.ws, data.post.id) == []
