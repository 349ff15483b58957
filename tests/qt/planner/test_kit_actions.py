"""Share kits from the GUI: tracked links in new asks, Copy kit, Save kit…, Open e-mail."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog

from socialdesk.core.clock import today
from socialdesk.core.settings import update_setting
from socialdesk.core.share.kit import kit_text
from socialdesk.core.share.kits import make_kit
from socialdesk.qt.contacts.view import ContactsView
from socialdesk.qt.main_window import MainWindow
from socialdesk.qt.planner.view import PlannerView
from socialdesk.store import asks, posts
from socialdesk.store.models import AskRow

POST_LINK = "https://bakery.example/tasting?ref=home#menu"


def settle(qtbot, view: PlannerView) -> None:
    qtbot.waitUntil(lambda: view.data is not None and not view.is_busy(), timeout=15_000)


@pytest.fixture
def view(window: MainWindow, qtbot) -> PlannerView:
    """The planner on an upcoming post with a link and no asks; the sender is set."""
    ws = window.ws
    update_setting(ws, "sender_name", "Ana Ruiz")
    update_setting(ws, "sender_business", "Ruiz Bakery")
    post = next(p for p in posts.upcoming_posts(ws, today().isoformat())
                if not asks.asks_for_post(ws, p.id))
    ws.conn.execute("UPDATE posts SET link = ? WHERE id = ?", (POST_LINK, post.id))
    planner = window.show_view("planner")
    assert isinstance(planner, PlannerView)
    planner.select_post(post.id)
    settle(qtbot, planner)
    return planner


def slug_of(view: PlannerView, contact_id: int) -> str | None:
    return view.ws.conn.execute("SELECT slug FROM contacts WHERE id = ?",
                                (contact_id,)).fetchone()[0]


def create_asks(view: PlannerView, qtbot, count: int = 2) -> list[AskRow]:
    assert view.data is not None
    view.set_chosen({line.id for line in view.data.lines[:count]})
    dialog = view.open_asks_dialog()
    assert dialog is not None  # the sender is set: no question first
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    settle(qtbot, view)
    return asks.asks_for_post(view.ws, view.data.post.id)


def test_new_asks_carry_the_partners_tracked_link_kit_and_signature(
        view: PlannerView, qtbot) -> None:
    assert view.data is not None
    post_id = view.data.post.id
    first = view.data.lines[0]
    assert slug_of(view, first.contact_id) is None
    view.set_chosen({first.id})
    dialog = view.open_asks_dialog()
    assert dialog is not None
    shown = dialog.message.toPlainText()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    (ask,) = asks.asks_for_post(view.ws, post_id)
    slug = slug_of(view, first.contact_id)
    assert slug  # the partner got their slug with their first kit
    link = (f"https://bakery.example/tasting?ref=home&utm_source={slug}&utm_medium=partner"
            f"&utm_campaign=")
    assert ask.message == shown and link in ask.message and f"utm_content=post-{post_id}#menu" \
        in ask.message
    assert "Ana Ruiz\nRuiz Bakery\n\nReady to share:" in ask.message
    assert POST_LINK not in ask.message  # the plain link is replaced by the tracked one
    assert kit_text(make_kit(view.ws, ask.id).kit) in ask.message


def test_copy_save_and_mail_the_kit_of_an_ask(view: PlannerView, qtbot, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    made = create_asks(view, qtbot)
    ask_list = view.asks
    assert ask_list.kit.isVisibleTo(view) and ask_list.model.rowCount() == 2
    ask_list.table.selectRow(1)
    ask = ask_list.model.rows[1]
    assert ask_list.kit.ask == ask and ask.contact_name in ask_list.kit.who.text()
    kit = make_kit(view.ws, ask.id).kit
    assert kit.link and f"utm_source={slug_of(view, ask.contact_id)}&" in kit.link

    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(ask_list.kit.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == kit_text(kit)
    assert kit.link in QGuiApplication.clipboard().text()

    asked: list[str] = []

    def choose(parent, caption, folder, filters):  # the native dialog, answered
        asked.append(folder)
        return str(tmp_path / "kits" / "for the café"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    (tmp_path / "kits").mkdir()
    qtbot.mouseClick(ask_list.kit.save_button, Qt.MouseButton.LeftButton)
    saved = tmp_path / "kits" / "for the café.html"
    qtbot.waitUntil(saved.exists, timeout=10_000)
    assert asked[0].endswith(".html")
    page = saved.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and kit.link.replace("&", "&amp;") in page
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]  # no temporary left
    qtbot.waitUntil(ask_list.kit.save_button.isEnabled)

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    qtbot.mouseClick(ask_list.kit.mail_button, Qt.MouseButton.LeftButton)
    url = opened[0].toString(QUrl.ComponentFormattingOption.FullyEncoded)
    assert url.startswith("mailto:") and "subject=Would%20you%20share" in url
    body = unquote(url.split("&body=", 1)[1]).replace("\r\n", "\n")
    stored = next(a for a in made if a.id == ask.id)
    assert body == stored.message and kit.link in body


def test_an_old_ask_gets_its_kit_after_its_message(view: PlannerView, qtbot,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert view.data is not None
    partner = view.data.lines[0]
    asks.create_asks(view.ws, [asks.NewAsk(partner.contact_id, view.data.post.id,
                                           today().isoformat(), message="Hi, share it?")])
    view.refresh()
    settle(qtbot, view)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    assert view.asks.kit.open_mail()
    body = unquote(opened[0].toString(QUrl.ComponentFormattingOption.FullyEncoded)
                   .split("&body=", 1)[1]).replace("\r\n", "\n")
    assert body.startswith("Hi, share it?\n\nReady to share:")
    assert f"utm_source={slug_of(view, partner.contact_id)}&" in body


def test_the_contact_pane_lists_asks_with_their_kits(window: MainWindow, view: PlannerView,
                                                    qtbot) -> None:
    made = create_asks(view, qtbot, count=1)
    contacts_view = window.show_view("contacts")
    assert isinstance(contacts_view, ContactsView)
    contacts_view.select_contact(made[0].contact_id)
    history = contacts_view.editor.history
    assert history.kit.ask is not None and history.kit.ask.id == made[0].id
    assert made[0].post_title in history.kit.who.toolTip()
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(history.kit.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == kit_text(make_kit(window.ws, made[0].id).kit)


def test_the_message_tooltip_leaves_the_kit_out(view: PlannerView, qtbot) -> None:
    from socialdesk.qt.planner.ask_list import COL_MESSAGE

    (ask,) = create_asks(view, qtbot, count=1)
    tip = view.asks.model.index(0, COL_MESSAGE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == ask.message.split("\n\nReady to share:")[0] + "\n\n(and their share kit)"
