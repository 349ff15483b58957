"""The partners view: filters, sorting by audience or likelihood, the same editor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from socialdesk.qt.contacts.partners_view import (
    COL_AUDIENCE,
    COL_LIKELIHOOD,
    PartnersView,
    likelihood,
)
from socialdesk.qt.main_window import MainWindow
from socialdesk.qt.table_model import ROW_ROLE
from socialdesk.store import contacts, reports


@pytest.fixture
def view(window: MainWindow, qtbot) -> PartnersView:
    """The Partners view with its rows, read on the worker."""
    shown = window.show_view("partners")
    assert isinstance(shown, PartnersView)
    qtbot.waitUntil(lambda: shown.model.rowCount() > 0)
    return shown


def shown(view: PartnersView) -> list:
    return [view.proxy.index(r, 0).data(ROW_ROLE) for r in range(view.proxy.rowCount())]


def test_opening_partners_shows_at_once_and_the_rows_arrive_usable(
        window: MainWindow, qtbot) -> None:
    from socialdesk.qt.contacts.partners_model import sort_partners
    from socialdesk.store import partners

    view = window.show_view("partners")
    assert isinstance(view, PartnersView)
    # Even a few hundred partners are not read while the window waits.
    assert view.model.rowCount() == 0
    assert view.summary.text() == "Loading partners…"
    expected = sort_partners(partners.partner_rows(window.ws), COL_AUDIENCE,
                             Qt.SortOrder.DescendingOrder, None)
    qtbot.waitUntil(lambda: view.model.rowCount() == len(expected))
    assert [r.id for r in shown(view)] == [r.id for r in expected]
    assert view.summary.text().startswith(f"{len(expected):,} partners with")
    qtbot.waitUntil(lambda: view.selected_id() == expected[0].id)  # the first, selected
    assert view.editor.contact is not None and view.editor.contact.id == expected[0].id
    target = expected[5]
    view.table.selectRow(5)
    assert view.editor.contact.id == target.id
    view.table.sortByColumn(COL_AUDIENCE, Qt.SortOrder.AscendingOrder)
    sizes = [r.audience for r in shown(view)]
    assert sizes == sorted(sizes) and view.selected_id() == target.id


def test_every_partner_biggest_audience_first(view: PartnersView) -> None:
    rows = shown(view)
    assert len(rows) == reports.counts(view.ws).partners
    sizes = [r.audience for r in rows]
    assert sizes == sorted(sizes, reverse=True)
    assert view.model.data(view.model.index(0, COL_AUDIENCE), Qt.ItemDataRole.ToolTipRole) == (
        f"{rows[0].audience:,}")
    view.table.sortByColumn(COL_LIKELIHOOD, Qt.SortOrder.DescendingOrder)
    odds = [likelihood(r) for r in shown(view)]
    assert odds == sorted(odds, reverse=True)


def test_filters_kind_stage_tag_and_text(view: PartnersView, qtbot) -> None:
    everyone = shown(view)
    view.kind.setCurrentIndex(view.kind.findData("blogger"))
    assert shown(view) and {r.kind for r in shown(view)} == {"blogger"}
    view.kind.setCurrentIndex(0)
    view.stage.setCurrentIndex(view.stage.findData("ally"))
    assert {r.stage for r in shown(view)} == {"ally"}
    view.stage.setCurrentIndex(0)
    tag = next(t for r in everyone for t in r.tags)
    view.tag.setCurrentIndex(view.tag.findData(tag))
    assert shown(view) and all(tag in r.tags for r in shown(view))
    view.tag.setCurrentIndex(0)
    # QTest types ASCII only (a name like Núñez aborts it): the last partner typable so.
    target = next(r for r in reversed(everyone) if r.name.split()[-1].isascii())
    qtbot.keyClicks(view.filter, target.name.split()[-1])
    qtbot.waitUntil(lambda: len(shown(view)) < len(everyone))
    assert target.id in {r.id for r in shown(view)}
    assert "of" in view.summary.text()
    view.filter.clear()
    qtbot.keyClicks(view.filter, "nobodyatallzz")
    qtbot.waitUntil(lambda: not shown(view))
    assert view.body.currentIndex() == 1


def test_selecting_a_partner_opens_the_editor_and_edits_update_the_row(
        window: MainWindow, view: PartnersView, qtbot) -> None:
    view.table.selectRow(0)
    first = shown(view)[0]
    assert view.editor.contact is not None and view.editor.contact.id == first.id
    edit = view.editor.form.name_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Renamed Partner")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert contacts.get_contact(window.ws, first.id).name == "Renamed Partner"
    assert shown(view)[0].name == "Renamed Partner"
    window.undo_stack.undo()
    assert shown(view)[0].name == first.name


def test_partners_reload_on_a_worker_thread(window: MainWindow, qtbot) -> None:
    view = window.show_view("partners")
    assert isinstance(view, PartnersView)
    view.model.set_rows([])
    view.refresh()
    assert view.summary.text() == "Loading partners…"
    qtbot.waitUntil(lambda: view.model.rowCount() == reports.counts(window.ws).partners)
    assert "partners with" in view.summary.text()


@pytest.fixture
def big_partners(window: MainWindow, qtbot) -> PartnersView:
    """The Partners view with its first rows (read on workers, as always)."""
    view = window.show_view("partners")
    assert isinstance(view, PartnersView)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    return view


def test_thousands_of_partners_arrive_sorted_and_filtered_as_chosen(
        window: MainWindow, big_partners: PartnersView, qtbot) -> None:
    from socialdesk.store import partners

    view = big_partners
    everyone = partners.partner_rows(window.ws)
    view.table.sortByColumn(COL_LIKELIHOOD, Qt.SortOrder.DescendingOrder)
    view.kind.setCurrentIndex(view.kind.findData("blogger"))
    view.refresh()
    assert view.summary.text() == "Loading partners…"
    qtbot.waitUntil(lambda: "partners with" in view.summary.text())
    bloggers = [r for r in everyone if r.kind == "blogger"]
    rows = shown(view)
    assert bloggers and {r.id for r in rows} == {r.id for r in bloggers}
    odds = [likelihood(r) for r in rows]
    assert odds == sorted(odds, reverse=True)
    assert view.summary.text().startswith(f"{len(bloggers):,} of {len(everyone):,} partners")
    view.kind.setCurrentIndex(0)
    assert len(shown(view)) == len(everyone)
    odds = [likelihood(r) for r in shown(view)]
    assert odds == sorted(odds, reverse=True)


def test_the_selected_partner_stays_selected_while_the_list_is_filtered(
        view: PartnersView, qtbot) -> None:
    target = next(r for r in shown(view)[3:] if r.name.split()[-1].isascii())  # QTest: ASCII
    view.select_partner(target.id)
    assert view.selected_id() == target.id
    view.stage.setCurrentIndex(view.stage.findData(target.stage))
    assert view.selected_id() == target.id
    assert view.editor.contact is not None and view.editor.contact.id == target.id
    qtbot.keyClicks(view.filter, target.name.split()[-1])
    qtbot.waitUntil(lambda: len(shown(view)) < len(view.model.all_rows))
    assert view.selected_id() == target.id
    view.stage.setCurrentIndex(0)
    view.table.sortByColumn(COL_AUDIENCE, Qt.SortOrder.AscendingOrder)
    assert view.selected_id() == target.id
    sizes = [r.audience for r in shown(view)]
    assert sizes == sorted(sizes)


def test_partners_and_the_planner_give_one_share_chance_and_say_who_is_tired(
        window: MainWindow, qtbot) -> None:
    from socialdesk.core.clock import today
    from socialdesk.core.formatting import percent
    from socialdesk.core.planner import planning
    from socialdesk.core.planner.leverage import PartnerInput
    from socialdesk.core.planner.likelihood import SHARE_CHANCE, ask_probability
    from socialdesk.qt.planner.partner_table import COL_P

    partners_view = window.show_view("partners")
    model = partners_view.model  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: model.params is not None and model.rowCount() > 0)
    assert model.headerData(COL_LIKELIHOOD, Qt.Orientation.Horizontal) == SHARE_CHANCE
    params = planning.model_params(window.ws)
    texts = {}
    for number, row in enumerate(model.rows):
        days = planning.days_since(today(), row.last_asked_on)
        p = ask_probability(PartnerInput(str(row.id), row.name, row.strength, (),
                                         row.asks_resolved, row.asks_shared, days), params)
        text = model.index(number, COL_LIKELIHOOD).data()
        assert text.split(" ")[0] == percent(p)  # the planner's p, calibration and all
        texts[str(row.id)] = (row.last_asked_on, text)
    assert any(text.endswith(" (tired)") for _, text in texts.values())

    planner = window.show_view("planner")
    qtbot.waitUntil(lambda: planner.data is not None and not planner.is_busy()  # type: ignore[attr-defined]
                    and planner.model.rowCount() > 0, timeout=15_000)  # type: ignore[attr-defined]
    table = planner.model  # type: ignore[attr-defined]
    assert table.headerData(COL_P, Qt.Orientation.Horizontal) == SHARE_CHANCE
    same = 0
    for number in range(table.rowCount()):
        line = table.row_at(number)
        last, text = texts[line.id]
        if line.last_asked_on == last:  # the same last ask: the same number and words
            assert table.index(number, COL_P).data() == text
            same += 1
    assert same > 10


def test_a_partners_read_waits_while_the_user_is_in_another_view(
        window: MainWindow, big_partners: PartnersView, qtbot) -> None:
    import threading

    from PySide6.QtWidgets import QApplication, QWidget

    from socialdesk.qt.workers import LatestJob

    view = big_partners
    other = QWidget()
    qtbot.addWidget(other)
    let_go = threading.Event()
    busy = LatestJob(other)  # another view's read holds the reading thread
    busy.start(lambda: let_go.wait(10))
    view.model.set_rows([])
    view.refresh()
    qtbot.waitUntil(lambda: view.loading.pending)
    window.show_view("contacts")  # the user moves on before the partners' turn came
    let_go.set()
    assert busy.wait(10_000)
    QApplication.processEvents()
    assert view.model.rowCount() == 0 and view.loading.pending

    window.show_view("partners")
    qtbot.waitUntil(lambda: view.model.rowCount() == reports.counts(window.ws).partners)
