"""Bounded search: a search with very many matches finds them in order as far as asked."""

from __future__ import annotations

import random
import re

from socialdesk.store.contact_search import ContactSearch
from socialdesk.store.contacts import ContactQuery
from socialdesk.store.workspace import Workspace

FIRSTS = ("Mara", "milo", "Ben", "Carla", "Dev", "Nia", "Omar", "Pia")
LASTS = ("Moss", "adler", "Brook", "Cole", "Dune", "Fox", "Hart", "Ng")
ORGS = ("", "Acme", "Mill & Co", "Civic", "Delta")


def fill(ws: Workspace, count: int = 900) -> list[tuple[int, str, str]]:
    """Contacts with shuffled names (many ties); returns (id, name, organisation)."""
    rng = random.Random(18)
    made = [(cid, f"{rng.choice(FIRSTS)} {rng.choice(LASTS)}", rng.choice(ORGS))
            for cid in range(1, count + 1)]
    with ws.transaction():
        ws.conn.executemany("INSERT INTO contacts (id, name, organisation) VALUES (?, ?, ?)",
                            made)
    return made


def expected(made: list[tuple[int, str, str]], prefix: str) -> list[int]:
    """Ids of the contacts with a word starting with ``prefix``, by name then id."""
    def words(text: str) -> list[str]:
        return [w.lower() for w in re.findall(r"[A-Za-z0-9]+", text)]

    hits = [(name.lower(), cid) for cid, name, org in made
            if any(w.startswith(prefix) for w in words(name) + words(org))]
    return [cid for _, cid in sorted(hits)]


def test_a_one_letter_search_over_many_contacts_finds_the_first_rows_only(
        workspace: Workspace) -> None:
    made = fill(workspace)
    search = ContactSearch(workspace)
    search.read_at_most = 100  # as a million contacts would be against the default
    wanted = expected(made, "m")
    assert len(wanted) > 300
    found = search.matches(ContactQuery("m"), 20)
    assert not found.complete and found.at_least == 100  # "100+"
    assert 20 <= len(found.ids) < len(wanted)
    assert found.ids.tolist() == wanted[: len(found.ids)]
    found.find(150)
    assert found.ids.tolist() == wanted[: len(found.ids)] and len(found.ids) >= 150
    found.find(10**9)
    assert found.complete and found.ids.tolist() == wanted and found.at_least == len(wanted)


def test_a_search_with_few_matches_reads_them_all_at_once(workspace: Workspace) -> None:
    made = fill(workspace)
    search = ContactSearch(workspace)
    search.read_at_most = 100
    wanted = expected(made, "om")
    assert 0 < len(wanted) <= 100
    found = search.matches(ContactQuery("Om"), 20)
    assert found.complete and found.ids.tolist() == wanted and found.at_least == len(wanted)
    descending = search.matches(ContactQuery("m", sort="name", descending=True), 10)
    assert descending.ids.tolist() == search.ids(
        ContactQuery("m", descending=True)).tolist()[: len(descending.ids)]


def test_ids_read_as_text_are_parsed_a_piece_at_a_time_whole(monkeypatch) -> None:
    """A million ids parse in pieces (another thread may take the lock between them);
    the pieces' edges lose or split no id."""
    from socialdesk.store import contacts as contact_store

    monkeypatch.setattr(contact_store, "PARSE_PIECE", 7)
    ids = [1, 22, 333, 4444, 55555, 666666, 7, 88, 999999999999]
    parsed = contact_store.ids_from_text(",".join(map(str, ids)))
    assert parsed.tolist() == ids and str(parsed.dtype) == "int64"
    assert contact_store.ids_from_text(None).tolist() == []
    assert contact_store.ids_from_text("42").tolist() == [42]


def test_an_order_read_on_a_worker_comes_with_each_contacts_position(
        workspace: Workspace) -> None:
    """The GUI thread receives the positions ready (~10–20 ms of numpy for a million
    contacts stays on the worker) and searches with them as with its own."""
    from socialdesk.store.contact_search import read_order

    fill(workspace, 300)
    order, rank = read_order(workspace.path, "name", False)
    assert (rank[order] == range(len(order))).all()
    search = ContactSearch(workspace)
    assert search.add_order("name", False, (order, rank), search.version())
    query = ContactQuery(text="a")
    assert search.matches(query, 50).ids.tolist() == ContactSearch(workspace).matches(
        query, 50).ids.tolist()


def test_a_filter_with_many_matches_finds_the_first_rows_only(workspace: Workspace) -> None:
    made = fill(workspace)
    workspace.conn.execute("UPDATE contacts SET kind = 'partner' WHERE id % 3 = 0")
    search = ContactSearch(workspace)
    search.read_at_most = 100  # as a million contacts would be against the default
    by_name = sorted((name.lower(), cid) for cid, name, _ in made)
    partners = [cid for _, cid in by_name if cid % 3 == 0]
    found = search.matches(ContactQuery(kind="partner"), 20)
    assert not found.complete and found.at_least == 100  # "100+"
    assert 20 <= len(found.ids) < len(partners)
    assert found.ids.tolist() == partners[: len(found.ids)]
    found.find(10**9)
    assert found.complete and found.ids.tolist() == partners
    # With a text too: the text is matched within each chunk of ids asked about.
    wanted = [cid for cid in expected(made, "m") if cid % 3 == 0]
    both = search.matches(ContactQuery("m", kind="partner"), 20)
    assert not both.complete and both.ids.tolist() == wanted[: len(both.ids)]
    both.find(10**9)
    assert both.ids.tolist() == wanted
    few = search.matches(ContactQuery("om", kind="partner"), 20)
    assert few.complete and few.ids.tolist() == [c for c in expected(made, "om") if c % 3 == 0]
