"""The contacts view on a workspace large enough that sort orders are read on a worker.

The table must show the first contacts by name at once, and every search and sort must
come out in the right order once the worker's order arrives (checked against orders
computed here in Python from the generated data, not by the code under test).
"""

from __future__ import annotations

import random
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from socialdesk.qt.contacts import model as contacts_model
from socialdesk.qt.contacts.model import BACKGROUND_ABOVE, FIRST_PAGE, SORT_KEYS
from socialdesk.qt.contacts.view import ContactsView
from socialdesk.qt.main_window import MainWindow
from socialdesk.store import contacts
from socialdesk.store.models import Contact
from socialdesk.store.vocabulary import CONTACT_KINDS, STAGES
from socialdesk.store.workspace import Workspace

COUNT = BACKGROUND_ABOVE + 1000
FIRSTS = ("anna", "Ben", "carla", "Dev", "Eve", "femi", "Gus", "hana", "Ivo", "Jo")
LASTS = ("Adler", "brook", "Cole", "dune", "Eng", "Fox", "gale", "Hart", "Zyxbury", "Ng")


@dataclass
class Person:
    id: int
    name: str
    organisation: str
    kind: str
    stage: str
    follow_up_on: str | None
    emails: list[str] = field(default_factory=list)
    audience: int = 0


def people() -> list[Person]:
    """Shuffled names with many ties (broken by id) and mixed case (sorted without it)."""
    rng = random.Random(7)
    made = []
    for cid in range(1, COUNT + 1):
        person = Person(
            cid, f"{rng.choice(FIRSTS)} {rng.choice(LASTS)}",
            rng.choice(("", "Acme", "bakery co", "Civic", "delta Ltd")),
            rng.choice(CONTACT_KINDS), rng.choice(STAGES),
            f"2031-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}" if rng.random() < 0.2 else None,
        )
        if rng.random() < 0.6:
            person.emails = [f"u{rng.randint(0, 99)}@mail{n}.example" for n in range(
                rng.randint(1, 2))]
        if rng.random() < 0.25:
            person.audience = rng.choice((50, 900, 4_000))
        made.append(person)
    return made


PEOPLE = people()


@pytest.fixture(scope="module")
def large_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "large.sqlite"
    with Workspace.open(path, create=True) as ws, ws.transaction():
        ws.conn.executemany(
            "INSERT INTO contacts (id, name, organisation, kind, stage, follow_up_on) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(p.id, p.name, p.organisation, p.kind, p.stage, p.follow_up_on) for p in PEOPLE])
        ws.conn.executemany(
            "INSERT INTO contact_details (contact_id, kind, value, position) "
            "VALUES (?, 'email', ?, ?)",
            [(p.id, email, n) for p in PEOPLE for n, email in enumerate(p.emails)])
        ws.conn.executemany(
            "INSERT INTO audiences (contact_id, platform, size) VALUES (?, 'newsletter', ?)",
            [(p.id, p.audience) for p in PEOPLE if p.audience])
    return path


@pytest.fixture
def window(open_window, large_template: Path, tmp_path: Path) -> MainWindow:
    path = tmp_path / "large.sqlite"
    shutil.copyfile(large_template, path)
    main = open_window(path)
    main.resize(1280, 800)
    return main


def expected(sort: str, descending: bool = False, matching: object = None) -> list[int]:
    """Contact ids in a sort order, worked out here: ties by id, missing values first."""
    keys = {
        "name": lambda p: p.name.lower(),
        "organisation": lambda p: p.organisation.lower(),
        "kind": lambda p: p.kind,
        "stage": lambda p: p.stage,
        "email": lambda p: (bool(p.emails), p.emails[0].lower() if p.emails else ""),
        "follow_up_on": lambda p: (p.follow_up_on is not None, p.follow_up_on or ""),
        "audience": lambda p: p.audience,
    }
    chosen = [p for p in PEOPLE if matching is None or matching(p)]  # type: ignore[operator]
    ordered = sorted(chosen, key=lambda p: (keys[sort](p), p.id), reverse=descending)
    return [p.id for p in ordered]


def shown_ids(view: ContactsView) -> list[int]:
    return [row.id for row in view.model.rows]


def open_contacts(window: MainWindow) -> ContactsView:
    view = window.show_view("contacts")
    assert isinstance(view, ContactsView)
    return view


def test_the_first_contacts_show_in_name_order_at_once(window: MainWindow, qtbot) -> None:
    view = open_contacts(window)
    # Nothing has run on the event loop yet: the whole order is still being read …
    assert view.model.waiting
    # … but the first screenful is there, in name order, with the full count.
    names = expected("name")
    assert shown_ids(view) == names[:FIRST_PAGE]
    assert view.model.data(view.model.index(0, 0)) == PEOPLE[names[0] - 1].name
    # The count comes with the order (counting a million rows here would stall the window).
    assert view.model.total is None and view.count.text() == ""
    qtbot.waitUntil(lambda: not view.model.waiting)
    assert view.model.total == COUNT
    assert view.count.text() == f"{COUNT:,} contacts"
    assert shown_ids(view)[:FIRST_PAGE] == names[:FIRST_PAGE]  # the page stayed
    # The first contact is selected and shown once the pane is built, a part per turn.
    qtbot.waitUntil(lambda: view.selected_id() == names[0])
    assert view.editor.contact is not None and view.editor.contact.id == names[0]
    while view.model.canFetchMore():  # scrolling end to end
        view.table.scrollToBottom()
        qtbot.wait(1)
    assert shown_ids(view) == names


def test_a_search_typed_before_the_order_arrives_comes_out_in_order(
        window: MainWindow, qtbot) -> None:
    view = open_contacts(window)
    first_page = shown_ids(view)
    view.search.setText("zyxb")
    view.apply_query()
    assert view.model.waiting and view.model.pending
    assert view.count.text() == "Searching…"
    assert shown_ids(view) == first_page  # the rows shown stay until the order comes
    qtbot.waitUntil(lambda: not view.model.waiting)
    wanted = expected("name", matching=lambda p: "Zyxbury" in p.name)
    assert view.model.total == len(wanted)
    assert view.count.text() == f"{len(wanted):,} contacts match"
    while view.model.canFetchMore():
        view.model.fetchMore()
    assert shown_ids(view) == wanted


@pytest.mark.parametrize("descending", [False, True])
def test_every_column_sorts_right_once_its_order_arrives(window: MainWindow, qtbot,
                                                         descending: bool) -> None:
    view = open_contacts(window)
    qtbot.waitUntil(lambda: not view.model.waiting)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    for column, key in enumerate(SORT_KEYS):
        if key is None:
            continue
        before = shown_ids(view)
        view.table.sortByColumn(column, order)
        wanted = expected(key, descending)
        if key == "name" and descending:  # the name index gives a first page at once
            assert view.model.waiting and shown_ids(view) == wanted[:FIRST_PAGE]
        elif key != "name":  # the rows stay while the order is read on the worker
            assert view.model.waiting and shown_ids(view) == before
        qtbot.waitUntil(lambda: not view.model.waiting)
        assert view.model.ids.tolist() == wanted, key
        shown = shown_ids(view)  # more than a page when loaded up to the selected contact
        assert len(shown) >= FIRST_PAGE and shown == wanted[:len(shown)], key


def test_the_selected_contact_stays_selected_when_a_later_order_arrives(
        window: MainWindow, qtbot) -> None:
    view = open_contacts(window)
    qtbot.waitUntil(lambda: not view.model.waiting)
    zyx = expected("name", matching=lambda p: "Zyxbury" in p.name)
    chosen = zyx[3]
    view.select_contact(chosen)
    assert view.editor.contact is not None and view.editor.contact.id == chosen
    # A write elsewhere makes the cached order stale: the next search waits for a new one.
    added = contacts.save_contact(window.ws, Contact(0, "Aaa Zyxbury"))
    view.search.setText("zyxbury")
    view.apply_query()
    assert view.model.waiting
    qtbot.waitUntil(lambda: not view.model.waiting)
    assert shown_ids(view)[0] == added  # the new contact, first by name
    assert view.selected_id() == chosen
    assert view.editor.contact is not None and view.editor.contact.id == chosen
    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # by organisation
    qtbot.waitUntil(lambda: not view.model.waiting)
    assert view.selected_id() == chosen


def test_a_new_contact_joins_a_table_scrolled_to_its_end(window: MainWindow, qtbot) -> None:
    view = open_contacts(window)
    qtbot.waitUntil(lambda: not view.model.waiting)
    while view.model.canFetchMore():
        view.model.fetchMore()
    loaded = view.model.rowCount()
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    created = view.editor.contact
    assert created is not None and created.name == "New contact"
    assert view.model.waiting and view.model.rowCount() == loaded  # the order is read again
    qtbot.waitUntil(lambda: not view.model.waiting)
    assert view.model.rowCount() == loaded + 1  # still scrolled where it was
    wanted = [p.id for p in sorted(
        [*PEOPLE, Person(created.id, "New contact", "", "customer", "aware", None)],
        key=lambda p: (p.name.lower(), p.id))]
    assert shown_ids(view) == wanted
    assert view.selected_id() == created.id and view.editor.contact.id == created.id
    row = view.model.row_of(created.id)
    assert row is not None and view.model.data(view.model.index(row, 0)) == "New contact"
    window.undo_stack.undo()  # the new contact goes again
    qtbot.waitUntil(lambda: not view.model.waiting)
    assert shown_ids(view) == expected("name")


def test_a_contact_added_elsewhere_joins_the_search_in_order(window: MainWindow, qtbot) -> None:
    view = open_contacts(window)
    qtbot.waitUntil(lambda: not view.model.waiting)
    view.search.setText("zyxbury")
    view.apply_query()
    qtbot.waitUntil(lambda: not view.model.waiting)
    zyx = expected("name", matching=lambda p: "Zyxbury" in p.name)
    view.select_contact(zyx[3])
    with Workspace.open(window.ws.path) as other:  # another program adds a contact
        added = contacts.save_contact(other, Contact(0, "Aaa Zyxbury"))
    qtbot.waitUntil(lambda: added in shown_ids(view), timeout=5000)  # the worker's new order
    assert shown_ids(view)[: FIRST_PAGE] == [added, *zyx][: FIRST_PAGE]
    assert view.model.total == len(zyx) + 1
    assert view.selected_id() == zyx[3]
    assert view.editor.contact is not None and view.editor.contact.id == zyx[3]


def test_a_search_runs_off_the_gui_thread_and_only_the_last_one_typed_shows(
        window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contacts_model, "SEARCH_ABOVE", BACKGROUND_ABOVE)  # on a worker
    view = open_contacts(window)
    qtbot.waitUntil(lambda: not view.model.waiting)
    first_page, count = shown_ids(view), view.count.text()
    searched = contacts_model.find_for
    started: list[str] = []
    answered: list[str] = []

    def slow_first(owner: int, path: Path, query: contacts.ContactQuery, *rest: object):
        started.append(query.text)
        if query.text == "zyxb":  # its answer comes after the next query was typed
            time.sleep(0.3)
        found = searched(owner, path, query, *rest)  # type: ignore[arg-type]
        answered.append(query.text)
        return found

    monkeypatch.setattr(contacts_model, "find_for", slow_first)
    shown: list[list[int]] = []
    view.model.modelReset.connect(lambda: shown.append(shown_ids(view)))
    view.search.setText("zyxb")
    view.apply_query()
    # The search runs on a worker: the table and its count stay as they were meanwhile.
    assert view.model.waiting
    assert shown_ids(view) == first_page and view.count.text() == count
    qtbot.waitUntil(lambda: started == ["zyxb"])
    view.search.setText("hart")
    view.apply_query()
    qtbot.waitUntil(lambda: not view.model.waiting)
    assert answered == ["zyxb", "hart"]  # the older answer came first, and was dropped
    hart = expected("name", matching=lambda p: "Hart" in p.name)
    assert shown == [hart[: len(shown[0])]]
    assert view.model.total == len(hart)
    assert view.count.text() == f"{len(hart):,} contacts match"
    assert view.selected_id() is None or view.selected_id() in hart
    view.search.clear()  # clearing the search brings every contact back, in order
    view.apply_query()
    assert not view.model.waiting  # the whole list needs no search
    assert shown_ids(view) == expected("name")[: len(shown_ids(view))]
    assert view.count.text() == f"{COUNT:,} contacts"


def test_a_search_found_as_the_table_scrolls_goes_on_after_the_workers_first_page(
        window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contacts_model, "SEARCH_ABOVE", BACKGROUND_ABOVE)  # on a worker
    view = open_contacts(window)
    qtbot.waitUntil(lambda: not view.model.waiting)
    view.model.search.read_at_most = 20  # more matches than that are found as needed
    view.search.setText("anna")
    view.apply_query()
    qtbot.waitUntil(lambda: not view.model.waiting)
    anna = expected("name", matching=lambda p: p.name.startswith("anna"))
    assert not view.model.total_exact and view.count.text().endswith("+ contacts match")
    assert view.model.total < len(anna)
    while view.model.canFetchMore():  # the walk goes on on the window's own connection
        view.model.fetchMore()
    assert shown_ids(view) == anna
    assert view.count.text() == f"{len(anna):,} contacts match"


def shown_count(view: ContactsView, qtbot) -> str:
    """The count label once the query's answer is in."""
    qtbot.waitUntil(lambda: not view.model.waiting)
    return view.count.text()


def test_the_count_shown_is_the_workspaces_after_every_change(window: MainWindow,
                                                                 qtbot) -> None:
    def counted(query: contacts.ContactQuery | None = None) -> int:
        return contacts.count_contacts(window.ws, query or contacts.ContactQuery())

    view = open_contacts(window)
    assert shown_count(view, qtbot) == f"{counted():,} contacts" == f"{COUNT:,} contacts"
    view.search.setText("zyxbury")
    view.apply_query()
    assert shown_count(view, qtbot) == f"{counted(view.current_query()):,} contacts match"
    view.search.clear()
    view.apply_query()
    assert shown_count(view, qtbot) == f"{counted():,} contacts"
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    assert shown_count(view, qtbot) == f"{counted():,} contacts" == f"{COUNT + 1:,} contacts"
    view.select_contact(PEOPLE[5].id)
    view.delete_selected()
    assert shown_count(view, qtbot) == f"{counted():,} contacts" == f"{COUNT:,} contacts"
    window.undo_stack.undo()  # the deleted contact comes back
    assert shown_count(view, qtbot) == f"{counted():,} contacts" == f"{COUNT + 1:,} contacts"


def test_opening_contacts_counts_none_of_them_on_the_gui_thread(window: MainWindow,
                                                                qtbot) -> None:
    # Above BACKGROUND_ABOVE the count is the length of the order read on a worker:
    # a count over a million contacts takes 30-190 ms on the window's connection.
    assert contacts.highest_contact_id(window.ws) > BACKGROUND_ABOVE
    gui = threading.get_ident()
    ran: list[str] = []
    window.ws.conn.set_trace_callback(
        lambda sql: ran.append(sql) if threading.get_ident() == gui else None)
    try:
        view = open_contacts(window)
        shown = shown_count(view, qtbot)
        qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)  # a reset after a write
        after_write = shown_count(view, qtbot)
    finally:
        window.ws.conn.set_trace_callback(None)
    assert shown == f"{COUNT:,} contacts" and after_write == f"{COUNT + 1:,} contacts"
    counts = [sql for sql in ran if re.search(r"count\(\*\)\s+FROM\s+contacts\b", sql, re.I)]
    assert counts == []
