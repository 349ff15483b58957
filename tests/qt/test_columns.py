"""Tables fit their columns to their contents and to the window; side panes open on a row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from socialdesk.qt.contacts.partners_model import COL_NAME, COL_TOPICS


def _text_fits(table: QTableView, column: int) -> bool:
    """Every row's text in ``column`` is shown whole (not cut with "…")."""
    model, metrics = table.model(), table.fontMetrics()
    for row in range(model.rowCount()):
        text = model.index(row, column).data(Qt.ItemDataRole.DisplayRole) or ""
        icon = 20 if model.index(row, column).data(Qt.ItemDataRole.DecorationRole) else 0
        if metrics.horizontalAdvance(str(text)) + icon + 6 > table.columnWidth(column):
            return False
    return True


def _inside(table: QTableView, column: int) -> bool:
    header = table.horizontalHeader()
    return (header.sectionViewportPosition(column) >= 0 and header.sectionViewportPosition(column)
            + header.sectionSize(column) <= table.viewport().width())


def test_spare_room_goes_to_one_column_and_a_shortage_to_the_widest() -> None:
    from socialdesk.qt.columns import share_width

    assert share_width({0: 50, 1: 100, 2: 60}, {}, 300, 1) == {0: 50, 1: 190, 2: 60}
    short = share_width({0: 50, 1: 400, 2: 60}, {1: 60}, 300, 1)
    assert short == {0: 50, 1: 190, 2: 60}  # only the long one gives up width
    both = share_width({0: 300, 1: 300, 2: 60}, {}, 400, 1)
    assert both[2] == 60 and both[0] + both[1] == 340 and abs(both[0] - both[1]) <= 1
    names_kept = share_width({0: 150, 1: 200, 2: 60}, {1: 60}, 300, 1, keep=(0,))
    assert names_kept == {0: 150, 1: 90, 2: 60}


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_todays_tables_give_the_room_to_the_titles(window, qtbot, size) -> None:
    window.resize(*size)
    view = window.show_view("today")
    qtbot.waitUntil(lambda: not view.is_busy() and view.week_model.rowCount() > 0)
    week, asks = view.week_table, view.asks_table
    status = week.model().columnCount() - 1

    def whole() -> bool:
        return all(_inside(table, column) for table in (week, asks, view.follow_table)
                   for column in range(table.model().columnCount()))

    qtbot.waitUntil(lambda: whole() and _text_fits(week, 2) and _text_fits(asks, 1),
                    timeout=3000)  # the posts' titles, and the asks' "For post"
    assert week.columnWidth(status) < 2 * week.sizeHintForColumn(status)  # not half empty


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_partners_show_every_column_and_open_on_the_first_partner(window, qtbot, size) -> None:
    window.resize(*size)
    view = window.show_view("partners")
    table = view.table
    qtbot.waitUntil(lambda: view.selected_id() is not None)
    first = table.model().index(0, 0).data(Qt.ItemDataRole.UserRole + 2)
    assert view.selected_id() == first.id
    assert view.editor.shown_id == first.id
    shown = [c for c in range(table.model().columnCount()) if not table.isColumnHidden(c)]
    assert COL_TOPICS in shown
    qtbot.waitUntil(lambda: all(_inside(table, column) for column in shown)
                    and (size[0] < 1920 or _text_fits(table, COL_NAME)), timeout=3000)


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_todays_week_takes_the_height_of_its_posts_and_the_asks_the_rest(
        window, qtbot, size) -> None:
    window.resize(*size)
    view = window.show_view("today")
    qtbot.waitUntil(lambda: not view.is_busy() and view.week_model.rowCount() > 0)
    week, asks = view.week_table, view.asks_table
    row = week.verticalHeader().defaultSectionSize()

    def snug() -> bool:
        empty = week.viewport().height() - week.model().rowCount() * row
        return 0 <= empty < 2 * row

    qtbot.waitUntil(snug, timeout=3000)  # every post shows, and little room is left empty
    assert asks.viewport().height() > week.viewport().height()


def test_a_column_the_user_widened_keeps_its_width(window, qtbot) -> None:
    from PySide6.QtCore import QPoint

    view = window.show_view("partners")
    table, header = view.table, view.table.horizontalHeader()
    qtbot.waitUntil(lambda: view.selected_id() is not None)
    qtbot.wait(50)
    edge = header.sectionViewportPosition(COL_NAME) + header.sectionSize(COL_NAME) - 1
    y = header.height() // 2
    widened = header.sectionSize(COL_NAME) + 60
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    for step in (20, 40, 60):
        qtbot.mouseMove(header.viewport(), QPoint(edge + step, y))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge + 60, y))
    assert header.sectionSize(COL_NAME) == widened
    window.resize(1920, 1080)
    view.refresh()
    qtbot.wait(50)
    assert header.sectionSize(COL_NAME) == widened
    assert table.viewport().width() > 1000


def test_a_table_can_be_measured_a_column_per_turn_and_fits_the_same(qtbot) -> None:
    """A table whose rows change often (the planner's) measures a column per turn of the
    event loop: fitting ten columns at once held the window 25–40 ms on every change."""
    from socialdesk.qt.columns import fitter_of
    from socialdesk.qt.table_model import Column, RowTableModel
    from socialdesk.qt.view_base import make_table

    class Measured(QTableView):
        def __init__(self) -> None:
            super().__init__()
            self.measured: list[int] = []

        def sizeHintForColumn(self, column: int) -> int:
            self.measured.append(column)
            return super().sizeHintForColumn(column)

    rows = [(f"name {n}" * (n % 4 + 1), n * 1000, "x" * (n % 7)) for n in range(60)]
    tables = []
    for per_turn in (False, True):
        model = RowTableModel([Column(h, lambda r, i=i: r[i]) for i, h in enumerate("ABC")])
        table = make_table(model, table=Measured(), stretch=2)
        fitter_of(table).per_turn = per_turn
        qtbot.addWidget(table)
        table.resize(900, 300)
        table.show()
        model.set_rows(rows)
        tables.append(table)
    once, stepped = tables
    fitter = fitter_of(stepped)
    stepped.measured.clear()
    fitter.fit()
    assert stepped.measured == [0]  # one column now, the others in later turns
    qtbot.waitUntil(lambda: bool(fitter.wanted))
    assert stepped.measured[-3:] == [0, 1, 2]
    qtbot.waitUntil(lambda: [stepped.columnWidth(c) for c in range(3)]
                    == [once.columnWidth(c) for c in range(3)] and once.columnWidth(0) > 0)
