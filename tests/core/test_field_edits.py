"""Edits field by field: undo and redo put back only what they changed, where nobody else did."""

from __future__ import annotations

from socialdesk.core.field_edits import (
    ASK_ANSWER,
    CAMPAIGN,
    FieldEdit,
    apply_edit,
    merge_rows,
)
from socialdesk.store import asks, campaigns, contacts
from socialdesk.store.asks import NewAsk
from socialdesk.store.models import Campaign, Contact
from socialdesk.store.workspace import Workspace


def test_rows_nobody_else_touched_come_back_exactly_in_order() -> None:
    assert merge_rows(("b", "a"), ("b", "a"), ("a", "c", "b")) == ("a", "c", "b")


def test_rows_others_added_or_removed_stay_as_they_made_them() -> None:
    # The edit added "x" and removed "a"; since then someone added "y" and removed "b".
    had, want = ("a", "b", "x"), ("a", "b")  # undoing: from what the edit wrote back
    assert merge_rows(("a", "x", "y"), had, want) == ("a", "y")
    assert merge_rows(("x", "y"), ("x",), ("x", "a")) == ("x", "y", "a")
    # Adding "a" where someone else added it too and removed "x": "a" once, "x" stays gone.
    assert merge_rows(("y", "a"), ("x",), ("x", "a")) == ("y", "a")


def test_a_field_changed_elsewhere_is_kept_unless_forced() -> None:
    edit = FieldEdit.between({"name": "Ann", "notes": "n"}, {"name": "Anna", "notes": "n"})
    assert edit == FieldEdit({"name": "Ann"}, {"name": "Anna"})
    undo = edit.reversed()
    assert undo.onto({"name": "Anna", "notes": "new"}).writes == {"name": "Ann"}
    assert undo.onto({"name": "Annie"}).kept == ("name",)
    assert undo.onto({"name": "Annie"}).writes == {}
    assert undo.onto({"name": "Annie"}, force=True).writes == {"name": "Ann"}
    assert undo.onto({"name": "Ann"}).writes == {}  # already there
    steps = FieldEdit({"strength": 0.5}, {"strength": 0.6}).then(
        FieldEdit({"strength": 0.6}, {"strength": 0.7}))
    assert steps == FieldEdit({"strength": 0.5}, {"strength": 0.7})
    assert steps.then(FieldEdit({"strength": 0.7}, {"strength": 0.5})).empty


def test_undoing_an_answer_leaves_a_status_recorded_elsewhere(workspace: Workspace) -> None:
    who = contacts.save_contact(workspace, Contact(0, "Ann"))
    (ask,) = asks.create_asks(workspace, [NewAsk(who, None, "2031-01-01")])
    done = apply_edit(workspace, ASK_ANSWER, ask, FieldEdit(
        {"status": "asked", "answered_on": None},
        {"status": "agreed", "answered_on": "2031-01-02"})).done
    with Workspace.open(workspace.path) as other:  # their share, fetched elsewhere
        asks.record_outcome(other, ask, "shared", answered_on="2031-01-03", observed_reach=900)
    undone = apply_edit(workspace, ASK_ANSWER, ask, done.reversed())
    assert set(undone.kept) == {"status", "answered_on"}
    stored = asks.get_ask(workspace, ask)
    assert stored is not None
    assert (stored.status, stored.answered_on, stored.observed_reach) == (
        "shared", "2031-01-03", 900)


def test_undoing_a_campaign_edit_keeps_a_colour_chosen_elsewhere(workspace: Workspace) -> None:
    made = campaigns.create_campaign(workspace, Campaign(0, "Spring"))
    done = apply_edit(workspace, CAMPAIGN, made, FieldEdit({"name": "Spring"},
                                                           {"name": "Spring bakes"})).done
    with Workspace.open(workspace.path) as other:
        campaigns.update_campaign(other, Campaign(made, "Spring bakes", colour="#aa0000"))
    assert apply_edit(workspace, CAMPAIGN, made, done.reversed()).kept == ()
    assert campaigns.get_campaign(workspace, made) == Campaign(made, "Spring", colour="#aa0000")
