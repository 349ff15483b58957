"""Deleting a post from the calendar: a post that has asks asks first."""

from __future__ import annotations

from calendar_helpers import add_post

from socialdesk.store import asks, contacts, post_writes
from socialdesk.store.models import Contact


def test_a_post_with_asks_asks_first_naming_them_and_cancel_keeps_it(
        calendar_view, workspace, confirmations) -> None:
    post_id = add_post(workspace, "Rye", "2031-03-03")
    people = [contacts.save_contact(workspace, Contact(id=0, name=name))
              for name in ("Ada", "Bo")]
    asks.create_asks(workspace, [asks.NewAsk(c, post_id, "2031-03-01") for c in people])
    calendar_view.reload()
    calendar_view.delete_post(post_id)
    assert post_writes.get_post(workspace, post_id) is not None, "Cancel deletes nothing"
    assert "2 asks" in confirmations.texts[0]
    assert confirmations.buttons[0] == ["Delete post", "Cancel"]
    confirmations.answer = "Delete post"
    calendar_view.delete_post(post_id)
    assert post_writes.get_post(workspace, post_id) is None
    assert asks.asks_for_post(workspace, post_id) == []


def test_a_post_without_asks_is_deleted_without_asking(calendar_view, workspace,
                                                       confirmations) -> None:
    post_id = add_post(workspace, "Rye", "2031-03-03")
    calendar_view.reload()
    calendar_view.delete_post(post_id)
    assert post_writes.get_post(workspace, post_id) is None and not confirmations.texts
