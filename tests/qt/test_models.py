"""Item models without windows: paging, sorting, display and tooltips."""

from __future__ import annotations

import gc
from dataclasses import dataclass

from PySide6.QtCore import Qt

from socialdesk.qt.contacts.model import (
    CACHE_PAGE,
    COL_NAME,
    COL_ORGANISATION,
    FIRST_PAGE,
    KEEP_PAGES,
    PAGE,
    ContactsModel,
)
from socialdesk.qt.table_model import ROW_ROLE, Column, RowTableModel, SortProxy, count_column
from socialdesk.store.contacts import ContactQuery
from socialdesk.store.workspace import Workspace


def fill(ws: Workspace, n: int) -> None:
    with ws.transaction():
        ws.conn.executemany("INSERT INTO contacts (name) VALUES (?)",
                            [(f"Person {i:05d}",) for i in range(n)])


def test_contacts_model_loads_a_page_at_a_time(workspace: Workspace) -> None:
    fill(workspace, PAGE * 2 + 7)
    model = ContactsModel(workspace)
    model.reset()
    assert model.total == PAGE * 2 + 7
    assert model.rowCount() == FIRST_PAGE
    model.fetchMore()
    assert model.rowCount() == FIRST_PAGE + PAGE
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == model.total
    names = [model.data(model.index(r, COL_NAME)) for r in range(model.rowCount())]
    assert names == sorted(names)


def test_contacts_model_sorts_and_searches_in_the_database(workspace: Workspace) -> None:
    fill(workspace, 50)
    model = ContactsModel(workspace)
    model.reset()
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, COL_NAME)) == "Person 00049"
    model.set_query(ContactQuery("00007"))
    assert model.total == 1
    assert model.data(model.index(0, COL_NAME), ROW_ROLE).name == "Person 00007"


def test_contacts_model_sorted_before_its_first_reset_reads_once(workspace: Workspace) -> None:
    fill(workspace, 30)
    model = ContactsModel(workspace)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.sort(COL_ORGANISATION, Qt.SortOrder.DescendingOrder)  # as a table sets itself up
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert model.rowCount() == 0 and not resets  # only the order was chosen
    model.reset()
    assert len(resets) == 1
    assert model.data(model.index(0, COL_NAME)) == "Person 00029"


def test_contacts_model_rows_cost_full_garbage_collections_nothing(
        workspace: Workspace) -> None:
    fill(workspace, PAGE + 10)
    model = ContactsModel(workspace)
    model.reset()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rows[-1].name == f"Person {PAGE + 9:05d}"  # every row read
    gc.collect()
    assert not any(gc.is_tracked(row) for page in model._pages.values() for row in page)
    assert model.rows[0].name == "Person 00000"  # still handed out as ContactRow objects


@dataclass
class Row:
    name: str
    size: int | None


def test_row_model_shows_rounded_numbers_and_sorts_by_value() -> None:
    model = RowTableModel([Column("Name", lambda r: r.name),
                           count_column("Size", lambda r: r.size)])
    model.set_rows([Row("b", 12_400), Row("a", 950), Row("c", None), Row("d", 3_100_000)])
    assert model.data(model.index(0, 1)) == "12.4k"
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ToolTipRole) == "12,400"
    assert model.data(model.index(2, 1)) == "–"
    assert model.data(model.index(0, 1), Qt.ItemDataRole.TextAlignmentRole) & int(
        Qt.AlignmentFlag.AlignRight)
    proxy = SortProxy()
    proxy.setSourceModel(model)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    shown = [proxy.data(proxy.index(r, 0)) for r in range(proxy.rowCount())]
    assert shown == ["a", "b", "d", "c"]  # by number, not text; missing last
    proxy.setFilterFixedString("D")
    assert proxy.rowCount() == 1


def test_a_search_with_very_many_matches_offers_more_rows_as_the_table_scrolls(
        workspace: Workspace) -> None:
    with workspace.transaction():
        workspace.conn.executemany(
            "INSERT INTO contacts (name) VALUES (?)",
            [(f"{'Mia' if i % 3 else 'Ben'} {i:05d}",) for i in range(3000)])
    everyone_m = [row[0] for row in workspace.conn.execute(
        "SELECT id FROM contacts WHERE name LIKE 'Mia %' ORDER BY name")]
    model = ContactsModel(workspace)
    model.search.read_at_most = 500  # as a million contacts would be against the default
    model.set_query(ContactQuery("m"))
    assert model.rowCount() == FIRST_PAGE
    assert [model.data(model.index(r, 0), ROW_ROLE).id for r in range(FIRST_PAGE)] == \
        everyone_m[:FIRST_PAGE]
    # Shown as "500+" (or as many as were found, when more): a lower bound.
    assert not model.total_exact and 500 <= model.total < len(everyone_m)
    assert model.canFetchMore()
    fetched = 0
    while model.canFetchMore():
        model.fetchMore()
        fetched += 1
    assert fetched > 1 and model.total_exact and model.total == len(everyone_m)
    assert [model.data(model.index(r, 0), ROW_ROLE).id for r in range(model.rowCount())] == \
        everyone_m


def test_scrolling_end_to_end_holds_a_few_pages_of_rows_not_every_one(
        workspace: Workspace, qtbot) -> None:
    count = (KEEP_PAGES + 5) * CACHE_PAGE
    fill(workspace, count)
    model = ContactsModel(workspace)
    model.reset()
    qtbot.waitUntil(lambda: not model.waiting)  # a large workspace's order: on a worker
    names = []
    while True:  # the table scrolled a page at a time, painting each row it shows
        names += [model.data(model.index(r, COL_NAME)) for r in range(len(names),
                                                                       model.rowCount())]
        if not model.canFetchMore():
            break
        model.fetchMore()
    assert names == [f"Person {i:05d}" for i in range(count)]
    assert len(model._pages) <= KEEP_PAGES  # the rows read longest ago were let go
    assert model.data(model.index(0, COL_NAME)) == "Person 00000"  # read again when shown
