"""Who signs the asks: asked the first time asks are made, then never again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from socialdesk.core.clock import today
from socialdesk.core.settings import workspace_settings
from socialdesk.qt.main_window import MainWindow
from socialdesk.qt.planner.sender_dialog import os_user_name
from socialdesk.qt.planner.view import PlannerView
from socialdesk.store import asks, posts


@pytest.fixture
def view(window: MainWindow, qtbot) -> PlannerView:
    planner = window.show_view("planner")
    assert isinstance(planner, PlannerView)
    post = next(p for p in posts.upcoming_posts(window.ws, today().isoformat())
                if not asks.asks_for_post(window.ws, p.id))
    planner.select_post(post.id)
    qtbot.waitUntil(lambda: planner.data is not None and not planner.is_busy(), timeout=15_000)
    assert planner.data is not None
    planner.set_chosen({planner.data.lines[0].id})
    return planner


def test_the_sender_is_asked_once_and_signs_the_messages(window: MainWindow,
                                                         view: PlannerView, qtbot) -> None:
    assert view.open_asks_dialog() is None  # who signs them, first
    sender = view.sender_dialog
    assert sender is not None and sender.isVisible()
    assert sender.name.text() == os_user_name() and sender.business.text() == ""
    sender.name.clear()
    qtbot.keyClicks(sender.name, "Ana Ruiz")
    qtbot.keyClicks(sender.business, "Ruiz Bakery")
    qtbot.mouseClick(sender.buttons.button(sender.buttons.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    settings = workspace_settings(window.ws)
    assert (settings["sender_name"], settings["sender_business"]) == ("Ana Ruiz", "Ruiz Bakery")
    dialog = view.asks_dialog
    assert dialog is not None and dialog.isVisible()  # then the messages, signed
    assert "\nAna Ruiz\nRuiz Bakery" in dialog.message.toPlainText()
    dialog.reject()

    assert view.open_asks_dialog() is not None  # never asked again
    assert view.sender_dialog is None
    view.asks_dialog.reject()  # type: ignore[union-attr]
    assert window.undo_stack.undoText() == "Set who signs the asks"


def test_skipping_the_question_also_ends_it(window: MainWindow, view: PlannerView) -> None:
    assert view.open_asks_dialog() is None
    sender = view.sender_dialog
    assert sender is not None
    sender.skip_button.click()
    settings = workspace_settings(window.ws)
    assert settings["sender_asked"] and settings["sender_name"] == ""
    dialog = view.asks_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    assert view.open_asks_dialog() is not None and view.sender_dialog is None
