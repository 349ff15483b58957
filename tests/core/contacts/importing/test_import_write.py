"""Writing an import: merges by e-mail, likely duplicates, search index, progress, cancel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from socialdesk.core.contacts.import_mapping import apply_mapping, read_table
from socialdesk.core.contacts.import_plan import apply_plan, plan_for
from socialdesk.core.contacts.importing import (
    ImportCancelled,
    find_duplicates,
    import_contacts,
    parse_file,
)
from socialdesk.core.settings import update_setting
from socialdesk.store.contacts import (
    ContactQuery,
    contact_rows,
    count_contacts,
    get_contact,
    save_contact,
)
from socialdesk.store.models import Contact, Detail
from socialdesk.store.workspace import Workspace

Write = Callable[[str, bytes], Path]

PEOPLE = (
    "Name,E-mail,Phone,Company,Notes,Tags\n"
    "Ann Lee,ANN@example.com,555 0101,Lee & Co,Likes bread,customers\n"
    "Bob Ray,bob@example.com,,,,\"press, vip\"\n"
    "Chloé Martin,chloe@example.com,555 0303,Fromagerie Martin,,\n"
    "Ann L.,ann@example.com,555 0199,,Second row for Ann,partners\n"
).encode()


def _one(ws: Workspace, name: str) -> Contact:
    (row,) = [r for r in contact_rows(ws, ContactQuery(text=name)) if r.name == name]
    contact = get_contact(ws, row.id)
    assert contact is not None
    return contact


def test_import_then_reimport_merges_by_email(ws: Workspace, write: Write) -> None:
    path = write("people.csv", PEOPLE)
    first = import_contacts(ws, path)
    assert first.as_json() == {"imported": 3, "merged": 1, "unchanged": 0, "skipped": 0,
                               "problems": []}
    ann = _one(ws, "Ann Lee")  # the fourth row merged into the first (same address)
    assert ann.values("email") == ("ANN@example.com",)
    assert ann.values("phone") == ("555 0101", "555 0199")
    assert ann.tags == ("customers", "partners") and ann.notes == "Likes bread"
    bob = _one(ws, "Bob Ray")
    assert bob.tags == ("press", "vip")

    again = import_contacts(ws, path)
    assert (again.imported, again.merged, again.unchanged, again.skipped) == (0, 0, 4, 0)
    assert count_contacts(ws) == 3
    assert _one(ws, "Ann Lee").values("phone") == ("555 0101", "555 0199")


def test_merge_fills_only_what_is_empty(ws: Workspace, write: Write) -> None:
    typed = Contact(
        0, "Ann (typed)", organisation="", notes="My own note", tags=("friends",),
        details=(Detail("email", "ann@example.com", "home"),),
    )
    ann_id = save_contact(ws, typed)
    report = import_contacts(ws, write("people.csv", PEOPLE))
    assert (report.imported, report.merged) == (2, 2)
    ann = get_contact(ws, ann_id)
    assert ann is not None
    assert ann.name == "Ann (typed)" and ann.notes == "My own note"
    assert ann.organisation == "Lee & Co"
    assert ann.values("email") == ("ann@example.com",)
    assert ann.values("phone") == ("555 0101", "555 0199")
    assert ann.tags == ("customers", "friends", "partners")


def test_likely_duplicates_are_reported_not_merged(ws: Workspace, write: Write) -> None:
    existing = save_contact(ws, Contact(0, "Chloe Martin", organisation="Fromagerie Martin"))
    save_contact(ws, Contact(0, "Someone Else", organisation="Elsewhere"))
    report = import_contacts(ws, write("people.csv", PEOPLE))
    assert report.imported == 3
    (match,) = report.likely_duplicates
    assert (match.name, match.existing_id, match.kind, match.line) == (
        "Chloé Martin", existing, "likely", 4,
    )
    assert match.score >= 92
    assert count_contacts(ws) == 5


def test_find_duplicates(ws: Workspace, write: Write) -> None:
    bob = save_contact(ws, Contact(0, "Robert Ray", details=(Detail("email", "Bob@Example.com"),)))
    chloe = save_contact(ws, Contact(0, "Martin Chloé", organisation="Fromagerie  Martin"))
    parsed = parse_file(write("people.csv", PEOPLE)).contacts
    found = {(m.name, m.kind, m.existing_id) for m in find_duplicates(ws, parsed)}
    assert found == {("Bob Ray", "exact", bob), ("Chloé Martin", "likely", chloe)}
    plain = find_duplicates(ws, [Contact(0, "Bob", details=(Detail("email", "BOB@example.COM"),))])
    assert [(m.index, m.line, m.existing_name) for m in plain] == [(0, 0, "Robert Ray")]


def test_large_blocks_of_likely_duplicates_are_ordered_as_small_ones(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of keys sharing a common word, ordered by numpy (the interpreter lock is not
    held for a whole sort), find the same likely duplicates, best score and lowest id first."""
    from socialdesk.core.contacts.importing import duplicates

    for name in ("Ann Martin", "Anne Martin", "Annie Martin", "Ann Martins", "Bob Martin",
                 "Ann Martin", "Martin Ann"):
        save_contact(ws, Contact(0, name))
    wanted = [Contact(0, "Anne Martin"), Contact(0, "Ann Martin"), Contact(0, "Bobby Martin")]

    def found() -> list[object]:
        index = duplicates.DuplicateIndex(ws)
        blocks = {name: (list(b.lengths), list(b.ids), list(b.keys))
                  for name, b in index.blocks.items()}
        likely = [index.likely(c) for c in wanted]
        index.release()
        assert not index.blocks and not index.owners and not index.names
        return [blocks, likely]

    in_python = found()
    monkeypatch.setattr(duplicates, "SORT_IN_NUMPY_ABOVE", 1)
    assert found() == in_python


def test_large_blocks_of_likely_duplicates_hold_nothing_the_collector_walks(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each young collection walked every item of the large blocks' new lists: on a million
    contacts most of a second at a time, the interpreter lock held (the GUI thread waits)."""
    import gc

    from socialdesk.core.contacts.importing import duplicates

    for name in ("Ann Martin", "Anne Martin", "Annie Martin", "Bob Martin"):
        save_contact(ws, Contact(0, name))
    monkeypatch.setattr(duplicates, "SORT_IN_NUMPY_ABOVE", 1)
    index = duplicates.DuplicateIndex(ws)
    big = index.blocks["martin"]
    assert len(big.ids) == 4
    assert not any(gc.is_tracked(part) for part in (big.lengths, big.ids, big.keys))
    assert index.likely(Contact(0, "Anne Martin")) == (2, 100.0)


def test_the_index_finds_the_same_duplicates_in_one_part_or_many(
        ws: Workspace, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    """The duplicate index keeps its keys in many small dicts (a dict of millions grows in
    one long C call): how many does not change what it finds."""
    from socialdesk.core import sharded_dict

    save_contact(ws, Contact(0, "Robert Ray", details=(Detail("email", "Bob@Example.com"),)))
    save_contact(ws, Contact(0, "Martin Chloé", organisation="Fromagerie  Martin"))
    save_contact(ws, Contact(0, "Ann Lee", organisation="Lee & Co",
                             details=(Detail("phone", "+1 555 0101 000"),)))
    parsed = parse_file(write("people.csv", PEOPLE)).contacts
    many = find_duplicates(ws, parsed)
    monkeypatch.setattr(sharded_dict, "SHARDS", 1)
    assert find_duplicates(ws, parsed) == many and len(many) == 3


def test_imported_contacts_are_searchable(ws: Workspace, write: Write) -> None:
    import_contacts(ws, write("people.csv", PEOPLE))
    assert [r.name for r in contact_rows(ws, ContactQuery(text="chloe@example"))] == [
        "Chloé Martin",
    ]
    assert [r.name for r in contact_rows(ws, ContactQuery(text="vip"))] == ["Bob Ray"]
    assert [r.name for r in contact_rows(ws, ContactQuery(text="partners"))] == ["Ann Lee"]
    assert [r.name for r in contact_rows(ws, ContactQuery(text="fromagerie"))] == ["Chloé Martin"]
    check = ws.conn.execute("PRAGMA foreign_key_check").fetchall()
    assert check == []


def test_progress_and_cancel(ws: Workspace, write: Write, counts) -> None:
    rows = "".join(f"Person {i},p{i}@example.com\n" for i in range(2500))
    path = write("many.csv", ("Name,Email\n" + rows).encode())
    seen: list[tuple[int, int]] = []
    report = import_contacts(ws, path, progress=lambda done, total: seen.append((done, total)))
    assert report.imported == 2500
    size = path.stat().st_size  # progress counts the bytes of the file read
    assert seen[0] == (0, size) and seen[-1] == (size, size)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)

    before = counts()
    calls: list[int] = []

    def cancel_late(done: int, total: int) -> bool:
        calls.append(done)
        return done < total  # cancel at the very end, after everything was written

    more = write("more.csv", b"Name\nNew One\nNew Two\n")
    with pytest.raises(ImportCancelled):
        import_contacts(ws, more, progress=cancel_late)
    assert counts() == before and calls[-1] == more.stat().st_size
    with pytest.raises(ImportCancelled, match="nothing was imported"):
        import_contacts(ws, path, progress=lambda done, total: False)
    assert counts() == before


def test_rows_sharing_any_address_become_one_contact(ws: Workspace, write: Write) -> None:
    data = (
        b"Name,E-mail 1 - Value,E-mail 2 - Value\n"
        b"Ann,a@x.example,\nAnn B,b@x.example,A@X.example\nAnn C,b@x.example,\n"
    )
    report = import_contacts(ws, write("ann.csv", data))
    assert (report.imported, report.merged) == (1, 2)
    assert _one(ws, "Ann").values("email") == ("a@x.example", "b@x.example")


EFFORT_FILES = {
    "people.vcf": b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vic Card\r\nEMAIL:vic@example.com\r\n"
                  b"END:VCARD\r\n",
    "google.csv": b"Name,E-mail 1 - Value\r\nGail Goo,gail@example.com\r\n",
    "people.csv": b"Name,E-mail\r\nCass Vee,cass@example.com\r\n",
}


def _efforts(ws: Workspace) -> dict[str, int]:
    rows = contact_rows(ws, ContactQuery())
    found = {}
    for row in rows:
        contact = get_contact(ws, row.id)
        assert contact is not None
        found[contact.name] = contact.effort_minutes
    return found


@pytest.mark.parametrize("name", sorted(EFFORT_FILES))
def test_imported_contacts_take_the_workspaces_default_effort(
    ws: Workspace, write: Write, name: str
) -> None:
    """``socialdesk import contacts`` (import_contacts) and the import dialog (apply_plan)."""
    update_setting(ws, "default_effort_minutes", 25)
    path = write(name, EFFORT_FILES[name])
    import_contacts(ws, path)
    assert list(_efforts(ws).values()) == [25]
    with ws.transaction():  # the same file again, as a new contact through the dialog's plan
        ws.conn.execute("DELETE FROM contacts")
    apply_plan(ws, plan_for(path, parse_file(path).contacts, ()))
    assert list(_efforts(ws).values()) == [25]


def test_a_mapped_csv_takes_the_workspaces_default_effort(ws: Workspace, write: Write) -> None:
    update_setting(ws, "default_effort_minutes", 5)
    table = read_table(write("odd.csv", b"Who;Mail\nDee Odd;dee@example.com\n"))
    parsed = apply_mapping(table, ["name", "email"])
    apply_plan(ws, plan_for(table.path, parsed.contacts, ()))
    assert _efforts(ws) == {"Dee Odd": 5}


def test_a_vcards_own_effort_is_kept(ws: Workspace, write: Write) -> None:
    update_setting(ws, "default_effort_minutes", 25)
    card = (b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Eve Own\r\nX-SOCIALDESK-EFFORT-MINUTES:40\r\n"
            b"END:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ten Own\r\n"
            b"X-SOCIALDESK-EFFORT-MINUTES:10\r\nEND:VCARD\r\n")
    import_contacts(ws, write("own.vcf", card))
    assert _efforts(ws) == {"Eve Own": 40, "Ten Own": 10}


def test_a_contact_of_ten_minutes_comes_back_as_ten_where_the_default_is_not(
    ws: Workspace, tmp_path: Path
) -> None:
    """A vCard export writes the effort even when it is 10: the reader's default may differ."""
    from socialdesk.core.contacts.export import export_contacts

    update_setting(ws, "default_effort_minutes", 25)
    save_contact(ws, Contact(id=0, name="Ten Min", effort_minutes=10))
    export_contacts(ws, tmp_path / "ten.vcf", "vcard")
    with ws.transaction():
        ws.conn.execute("DELETE FROM contacts")
    import_contacts(ws, tmp_path / "ten.vcf")
    assert _efforts(ws) == {"Ten Min": 10}


def test_an_effort_too_large_to_store_takes_the_default(ws: Workspace, write: Write) -> None:
    update_setting(ws, "default_effort_minutes", 25)
    card = (b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Huge Effort\r\n"
            b"X-SOCIALDESK-EFFORT-MINUTES:99999999999999999999999\r\nEND:VCARD\r\n")
    import_contacts(ws, write("huge.vcf", card))
    assert _efforts(ws) == {"Huge Effort": 25}


def test_the_closest_similar_name_is_found_among_many_alike(ws: Workspace) -> None:
    from socialdesk.core.contacts.importing.duplicates import DuplicateIndex

    ids = [save_contact(ws, Contact(0, f"Anna Schmidt{i:03d}", organisation="Bakery Bloom"))
           for i in range(300)]
    twin = save_contact(ws, Contact(0, "Anna Schmidt007", organisation="Bakery Bloom"))
    far = save_contact(ws, Contact(0, "Anna Schmidt-Kowalczyk", organisation="Bakery Bloom"))
    index = DuplicateIndex(ws)
    # The best score wins; among equal scores, the contact that was there first.
    assert index.likely(Contact(0, "Anna Schmidt007", organisation="Bakery Blom")) == (
        ids[7], pytest.approx(98.2, abs=0.1))
    assert twin > ids[7]
    # A longer or shorter name only counts when it is nearly as long.
    found = index.likely(Contact(0, "Anna Schmidt Kowalczyk", organisation="Bakery Bloom"))
    assert found is not None and found[0] == far
    assert index.likely(Contact(0, "Anna", organisation="Bakery Bloom")) is None


@pytest.mark.parametrize("through", ["cli", "review"])
def test_rows_far_apart_in_a_large_file_become_one_contact(
        ws: Workspace, write: Write, through: str) -> None:
    # More rows than one chunk: the second half meets the first one in the store.
    rows = [f"Person {i},p{i}@example.com,{i:07d}" for i in range(6_000)]
    rows[5_500] = "Person 10 again,P10@example.com,5550000,"  # the same address as row 10
    rows[20] = "Person 20,,5550020"
    rows[5_600] = "Person 20 again,,555 0020"  # no e-mail: the same phone as row 20
    path = write("many.csv", ("Name,E-mail,Phone\n" + "\n".join(rows) + "\n").encode())
    if through == "cli":
        report = import_contacts(ws, path)
        imported, merged = report.imported, report.merged
    else:
        parsed = parse_file(path)
        summary = apply_plan(ws, plan_for(path, parsed.contacts, []))
        imported, merged = summary.imported, summary.merged
    assert (imported, merged) == (5_998, 2)
    assert count_contacts(ws, ContactQuery()) == 5_998
    ten = _one(ws, "Person 10")
    assert {d.value for d in ten.details} >= {"p10@example.com", "5550000"}
