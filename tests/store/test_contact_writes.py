"""Writing a contact's audiences, links and history; snapshots that bring a contact back."""

from __future__ import annotations

import pytest

from socialdesk.store import asks, audiences, contacts, interactions, links, partners
from socialdesk.store.contact_search import ContactSearch
from socialdesk.store.contact_snapshot import RestoreConflict, restore_contact, snapshot_contact
from socialdesk.store.contacts import ContactQuery
from socialdesk.store.models import Audience, Contact, Detail, Interaction, Link
from socialdesk.store.workspace import Workspace


def add(ws: Workspace, name: str, **fields: object) -> int:
    return contacts.save_contact(ws, Contact(id=0, name=name, **fields))  # type: ignore[arg-type]


def test_audiences_replace_and_make_a_partner(workspace: Workspace) -> None:
    ann = add(workspace, "Ann Lee")
    assert partners.partner_rows(workspace) == []
    audiences.set_audiences(workspace, ann, [
        Audience(0, ann, "Instagram", 1200, handle="@ann", topics=("Bread", "bread", "events"),
                 engagement_rate=0.04, last_checked_on="2026-01-02", url="https://x.example"),
        Audience(0, ann, "newsletter", 300),
    ])
    stored = partners.audiences_of(workspace, ann)
    assert [(a.platform, a.size, a.url) for a in stored] == [
        ("instagram", 1200, "https://x.example"), ("newsletter", 300, "")]
    assert stored[0].topics == ("Bread", "events")
    (row,) = partners.partner_rows(workspace)
    assert row.audience == 1500 and row.platforms == {"instagram": 1200, "newsletter": 300}
    audiences.set_audiences(workspace, ann, [])
    assert partners.partner_rows(workspace) == []
    with pytest.raises(ValueError, match="engagement"):
        audiences.set_audiences(workspace, ann, [Audience(0, ann, "x", 1, engagement_rate=2.0)])


def test_links_are_seen_from_both_ends(workspace: Workspace) -> None:
    ann, bob, cat = add(workspace, "Ann"), add(workspace, "Bob"), add(workspace, "Cat")
    links.set_links(workspace, ann, [Link(0, ann, bob, "knows", 0.7),
                                     Link(0, cat, ann, "member_of", 0.2, directed=True)])
    from_bob = links.links_of(workspace, bob)
    assert [(x.other(bob), x.other_name, x.weight) for x in from_bob] == [(ann, "Ann", 0.7)]
    assert {x.other_name for x in links.links_of(workspace, ann)} == {"Bob", "Cat"}
    contacts.delete_contact(workspace, cat)
    assert [x.other_name for x in links.links_of(workspace, ann)] == ["Bob"]
    with pytest.raises(ValueError):
        links.set_links(workspace, ann, [Link(0, ann, ann)])


def test_interactions_and_reciprocity(demo: Workspace) -> None:
    ann = add(demo, "Ann Reciprocity")
    interactions.set_interactions(demo, ann, [
        Interaction(0, ann, "2026-03-01", "gave", "Cake for the raffle"),
        Interaction(0, ann, "2026-04-01", "shared", "Shared our market post"),
        Interaction(0, ann, "2026-05-01", "shared"),
    ])
    assert [i.happened_on for i in interactions.interactions_of(demo, ann)] == [
        "2026-05-01", "2026-04-01", "2026-03-01"]
    demo.conn.execute("INSERT INTO asks (uid, contact_id, status, asked_on) VALUES "
                      "('u1', ?, 'shared', '2026-05-02'), ('u2', ?, 'declined', '2026-05-03')",
                      (ann, ann))
    balance = interactions.reciprocity(demo, ann)
    assert (balance.shared_interactions, balance.shared_asks, balance.gave) == (2, 1, 1)
    assert balance.balance == 2
    assert [a.status for a in asks.asks_for_contact(demo, ann)] == ["declined", "shared"]
    with pytest.raises(ValueError, match="date"):
        interactions.set_interactions(demo, ann, [Interaction(0, ann, "soon", "note")])


def test_a_deleted_contact_comes_back_whole(demo: Workspace) -> None:
    cid = demo.conn.execute(
        "SELECT contact_id FROM asks GROUP BY contact_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    before = snapshot_contact(demo, cid)
    assert before is not None and before.asks and before.audiences
    counts = {t: demo.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("contacts", "asks", "audiences", "contact_links", "interactions",
                        "contact_details", "contact_tags")}
    contacts.delete_contact(demo, cid)
    assert contacts.get_contact(demo, cid) is None
    restore_contact(demo, before)
    after = snapshot_contact(demo, cid)
    assert after is not None
    assert after.row == before.row and after.contact == before.contact
    assert after.asks == before.asks
    assert [(a.platform, a.size, a.topics) for a in after.audiences] == [
        (a.platform, a.size, a.topics) for a in before.audiences]
    assert {(x.from_id, x.to_id, x.kind) for x in after.links} == {
        (x.from_id, x.to_id, x.kind) for x in before.links}
    assert counts == {t: demo.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in counts}
    assert cid in ContactSearch(demo).ids(ContactQuery(before.contact.name))
    with pytest.raises(RestoreConflict):
        restore_contact(demo, before)


def test_undoing_a_contact_edit_touches_only_the_rows_it_changed(workspace: Workspace) -> None:
    from dataclasses import replace

    from socialdesk.core.field_edits import CONTACT, FieldEdit, apply_edit
    from socialdesk.store.contact_snapshot import read_contact_fields

    ada = add(workspace, "Ada", details=(Detail("email", "ada@old.example"),), tags=("vip",))
    bob = add(workspace, "Bob")
    seen = read_contact_fields(workspace, ada)
    assert seen is not None
    made = {**seen, "details": (), "tags": ("press", "vip"),
            "interactions": (Interaction(0, 0, "2031-01-02", "met", "coffee"),),
            "links": (Link(0, ada, bob, "knows", 0.5),)}
    done = apply_edit(workspace, CONTACT, ada, FieldEdit.between(seen, made)).done
    assert set(done.after) == {"details", "tags", "interactions", "links"}
    with Workspace.open(workspace.path) as other:  # another writer adds rows of its own
        stored = contacts.get_contact(other, ada)
        assert stored is not None
        contacts.save_contact(other, replace(
            stored, tags=(*stored.tags, "fan"),
            details=(Detail("email", "ada@new.example"), Detail("phone", "+1 555 0100"))))
        interactions.set_interactions(other, ada, [
            *interactions.interactions_of(other, ada),
            Interaction(0, ada, "2031-01-05", "call", "their call")])
        audiences.set_audiences(other, ada, [Audience(0, ada, "newsletter", 80)])
    undone = apply_edit(workspace, CONTACT, ada, done.reversed())
    assert undone.kept == ()
    after = contacts.get_contact(workspace, ada)
    assert after is not None
    assert after.details == (Detail("email", "ada@new.example"),
                             Detail("email", "ada@old.example"), Detail("phone", "+1 555 0100"))
    assert after.tags == ("fan", "vip")
    assert [(i.kind, i.note) for i in interactions.interactions_of(workspace, ada)] == [
        ("call", "their call")]
    assert links.links_of(workspace, ada) == []
    assert [a.platform for a in partners.audiences_of(workspace, ada)] == ["newsletter"]


def test_search_filters_by_kind_stage_and_tag_in_sort_order(workspace: Workspace) -> None:
    add(workspace, "Zoe Baker", kind="fan", stage="ally", tags=("VIP",))
    add(workspace, "Adam Baker", kind="fan", stage="aware", tags=("vip",),
        details=(Detail("email", "adam@bakery.example"),))
    add(workspace, "Bea Baker", kind="press", stage="ally")
    search = ContactSearch(workspace)

    def names(**query: object) -> list[str]:
        ids = search.ids(ContactQuery(**query))  # type: ignore[arg-type]
        return [r.name for r in contacts.rows_for_ids(workspace, ids)]

    assert names(text="baker") == ["Adam Baker", "Bea Baker", "Zoe Baker"]
    assert names(text="baker", descending=True) == ["Zoe Baker", "Bea Baker", "Adam Baker"]
    assert names(kind="fan") == ["Adam Baker", "Zoe Baker"]
    assert names(stage="ally") == ["Bea Baker", "Zoe Baker"]
    assert names(tag="vip") == ["Adam Baker", "Zoe Baker"]
    assert names(text="bakery") == ["Adam Baker"]  # the e-mail address
    assert names(sort="email") == ["Zoe Baker", "Bea Baker", "Adam Baker"]  # none first
    add(workspace, "Aaron Baker")  # a write makes the cached order stale
    assert names(text="baker")[0] == "Aaron Baker"


def test_every_own_field_of_a_contact_survives_save_import_export_and_undo(
    workspace: Workspace,
) -> None:
    """Each reader and writer of a contact goes by the same column names."""
    from socialdesk.store.contact_import import insert_contacts
    from socialdesk.store.contacts_export import export_batches

    ann = Contact(id=0, name="Ann Lee", organisation="Bakery", kind="press", stage="ally",
                  strength=0.7, effort_minutes=25, notes="likes rye",
                  follow_up_on="2026-03-01", structured_name="Lee;Ann;;Dr.;",
                  details=(Detail("email", "ann@x.example"),), tags=("vip",))
    own = contacts.EDITABLE_COLUMNS
    saved = contacts.get_contact(workspace, contacts.save_contact(workspace, ann))
    with workspace.transaction():
        (imported_id,) = insert_contacts(workspace, [ann])
    imported = contacts.get_contact(workspace, imported_id)
    assert saved is not None and imported is not None
    exported = [e.contact for batch in export_batches(workspace) for e in batch]
    snapshot = snapshot_contact(workspace, saved.id)
    assert snapshot is not None
    contacts.delete_contact(workspace, saved.id)
    restore_contact(workspace, snapshot)
    restored = contacts.get_contact(workspace, saved.id)
    for contact in (saved, imported, *exported, restored):
        assert contact is not None
        assert {n: getattr(contact, n) for n in own} == {n: getattr(ann, n) for n in own}
        assert contact.details == ann.details and contact.tags == ann.tags
