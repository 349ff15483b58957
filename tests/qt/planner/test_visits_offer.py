"""Evidence of sharing: an ask whose link brought visits is offered as shared, never set so.

The widgets run on their own here, on the small demo: the visits table is made by the
test (see ``visits_table``), and a workspace opened afresh would refuse it until its
migration is in this schema.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from socialdesk.core.clock import today
from socialdesk.qt.app import create_application
from socialdesk.qt.planner.ask_list import AskList
from socialdesk.qt.today import TodayView
from socialdesk.store import asks, posts
from socialdesk.store.workspace import Workspace
from visits_table import add_visits


@pytest.fixture
def asked(demo: Workspace) -> tuple[int, list[int]]:
    """An upcoming post and three fresh asks for it (to the demo's first partners)."""
    create_application()
    post = next(p for p in posts.upcoming_posts(demo, today().isoformat())
                if not asks.asks_for_post(demo, p.id))
    partners = [r[0] for r in demo.conn.execute(
        "SELECT DISTINCT contact_id FROM audiences ORDER BY contact_id LIMIT 3")]
    ids = asks.create_asks(demo, [asks.NewAsk(c, post.id, today().isoformat(),
                                              message="Would you share it?") for c in partners])
    return post.id, ids


def status(ws: Workspace, ask_id: int) -> str:
    ask = asks.get_ask(ws, ask_id)
    assert ask is not None
    return ask.status


def test_the_ask_list_offers_an_ask_with_visits_as_shared(
        demo: Workspace, asked: tuple[int, list[int]], qtbot) -> None:
    post_id, (_first, second, _third) = asked
    add_visits(demo, second, 40, 2)
    ask_list = AskList(demo)
    qtbot.addWidget(ask_list)
    ask_list.show()
    ask_list.set_asks(asks.asks_for_post(demo, post_id))
    offer = ask_list.offer
    name = asks.get_ask(demo, second).contact_name  # type: ignore[union-attr]
    assert offer.isVisible()
    assert offer.text.text() == f"{name}'s link brought 42 visits — mark as shared?"
    assert status(demo, second) == "asked"  # offered, not changed
    with qtbot.waitSignal(ask_list.outcome_requested) as asked_for:
        qtbot.mouseClick(offer.accept_button, Qt.MouseButton.LeftButton)
    ask, answer, reach = asked_for.args
    assert (ask.id, answer, reach) == (second, "shared", None)  # the planner records it

    asks.record_outcome(demo, second, "shared", answered_on=today().isoformat())
    ask_list.set_asks(asks.asks_for_post(demo, post_id))
    assert not offer.isVisible()  # shared: nothing more to offer


def test_today_offers_asks_with_visits_and_records_only_what_is_accepted(
        demo: Workspace, asked: tuple[int, list[int]], qtbot) -> None:
    _post_id, (first, second, _third) = asked
    view = TodayView(demo)
    qtbot.addWidget(view)
    stack = QUndoStack()
    view.set_undo_stack(stack)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: not view.is_busy())  # read on a worker
    assert not view.offer.isVisible()  # no visits, no offer

    add_visits(demo, first, 7)
    add_visits(demo, second, 1)
    view.refresh()
    qtbot.waitUntil(lambda: not view.is_busy())
    ask = asks.get_ask(demo, first)
    assert ask is not None
    assert view.offer.text.text() == (
        f"{ask.contact_name}'s link for “{ask.post_title}” brought 7 visits — mark as "
        "shared? (1 more ask with visits)")
    assert any(a.id == first for a in view.asks_model.rows)  # still waiting, listed
    qtbot.mouseClick(view.offer.later_button, Qt.MouseButton.LeftButton)
    assert status(demo, first) == "asked"  # not now: nothing changed
    other = asks.get_ask(demo, second)
    assert other is not None and view.offer.text.text().startswith(
        f"{other.contact_name}'s link for “{other.post_title}” brought 1 visit — ")

    with qtbot.waitSignal(view.edited):
        qtbot.mouseClick(view.offer.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.is_busy())
    assert status(demo, second) == "shared" and status(demo, first) == "asked"
    assert stack.undoText() == f"{other.contact_name}: shared"
    assert not view.offer.isVisible()
    assert all(a.id != second for a in view.asks_model.rows)  # no longer waiting
    stack.undo()
    assert status(demo, second) == "asked"
    qtbot.waitUntil(lambda: any(a.id == second for a in view.asks_model.rows))
