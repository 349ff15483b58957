"""The contacts view driven with qtbot: search, filters, editing with undo, create, delete."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QToolButton

from socialdesk.qt.contacts.dialogs import AudienceDialog, LinkDialog
from socialdesk.qt.contacts.view import ContactsView
from socialdesk.qt.main_window import MainWindow
from socialdesk.store import contacts, interactions, links, partners
from socialdesk.store.models import Contact, Detail
from socialdesk.store.workspace import Workspace


@pytest.fixture
def view(window: MainWindow) -> ContactsView:
    shown = window.show_view("contacts")
    assert isinstance(shown, ContactsView)
    return shown


def pick(ws: Workspace, sql: str) -> int:
    return ws.conn.execute(sql).fetchone()[0]


def type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_search_as_you_type_and_filters(view: ContactsView, qtbot) -> None:
    ws = view.ws
    everyone = view.model.total
    qtbot.keyClicks(view.search, "Millbrook")
    qtbot.waitUntil(lambda: view.model.total < everyone)
    found = {row.id for row in view.model.rows}
    expected = {r[0] for r in ws.conn.execute(
        "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH '\"millbrook\"*'")}
    assert found == expected and "match" in view.count.text()
    view.search.clear()
    qtbot.waitUntil(lambda: view.model.total == everyone)

    view.kind.setCurrentIndex(view.kind.findData("partner"))
    assert view.model.rows and {r.kind for r in view.model.rows} == {"partner"}
    view.stage.setCurrentIndex(view.stage.findData("ally"))
    assert {(r.kind, r.stage) for r in view.model.rows} <= {("partner", "ally")}
    view.kind.setCurrentIndex(0)
    view.stage.setCurrentIndex(0)
    view.tag.setCurrentIndex(view.tag.findData("vip"))
    tagged = pick(ws, "SELECT count(*) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id "
                  "WHERE t.name = 'vip'")
    assert view.model.total == tagged and all("vip" in r.tags for r in view.model.rows)
    qtbot.keyClicks(view.search, "zzzzqqq")
    qtbot.waitUntil(lambda: view.model.total == 0)
    assert view.body.currentIndex() == 1  # the empty state says what to do


def test_a_one_letter_search_with_very_many_matches_says_how_many_at_least(
        view: ContactsView, qtbot) -> None:
    view.model.search.read_at_most = 20  # as a million contacts would be against the default
    qtbot.keyClicks(view.search, "a")
    view.apply_query()
    everyone = [r[0] for r in view.ws.conn.execute(
        "SELECT c.id FROM contacts c WHERE c.id IN (SELECT rowid FROM contacts_fts "
        "WHERE contacts_fts MATCH '\"a\"*') ORDER BY c.name COLLATE NOCASE, c.id")]
    assert len(everyone) > 20
    at_least = view.count.text().removesuffix("+ contacts match")  # "50+ contacts match"
    assert at_least != view.count.text() and 20 <= int(at_least) < len(everyone)
    shown = [row.id for row in view.model.rows]
    assert shown == everyone[: len(shown)]
    while view.model.canFetchMore():  # scrolling to the end finds every match
        view.table.scrollToBottom()
        qtbot.wait(1)
    assert [row.id for row in view.model.rows] == everyone
    assert view.count.text() == f"{len(everyone):,} contacts match"


def test_sorting_happens_in_the_database(view: ContactsView) -> None:
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    names = [r.name.casefold() for r in view.model.rows]
    assert names == sorted(names, reverse=True)


def test_the_selected_contact_stays_selected_across_searches_and_sorts(
        view: ContactsView, qtbot) -> None:
    row = view.model.rows[5]
    view.table.selectRow(5)
    surname = row.name.split()[-1]
    view.search.setText(surname)
    view.apply_query()
    assert view.model.total < len(contacts.sorted_ids(view.ws))
    assert view.selected_id() == row.id and view.editor.contact.id == row.id
    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert view.selected_id() == row.id
    view.search.clear()
    view.apply_query()
    assert view.selected_id() == row.id and view.editor.contact.id == row.id


def test_editing_the_name_is_undoable(window: MainWindow, view: ContactsView, qtbot) -> None:
    ws = window.ws
    cid = view.model.rows[3].id
    old = contacts.get_contact(ws, cid)
    view.table.selectRow(3)
    assert view.editor.contact is not None and view.editor.contact.id == cid
    type_into(qtbot, view.editor.form.name_edit, "Zelda Renamed")
    assert contacts.get_contact(ws, cid).name == "Zelda Renamed"
    assert view.model.rows[3].name == "Zelda Renamed"  # the row updated in place
    assert window.undo_stack.undoText().startswith("Change name")
    window.undo_stack.undo()
    assert contacts.get_contact(ws, cid) == old
    assert view.editor.form.name_edit.text() == old.name
    window.undo_stack.redo()
    assert contacts.get_contact(ws, cid).name == "Zelda Renamed"
    # An empty name is refused and the old one kept.
    type_into(qtbot, view.editor.form.name_edit, " ")
    view.editor.form.name_edit.clear()
    view.editor.form.name_edit.editingFinished.emit()
    assert contacts.get_contact(ws, cid).name == "Zelda Renamed"
    assert view.editor.form.name_edit.text() == "Zelda Renamed"


def test_a_new_name_drops_the_structured_name_from_a_file(
        window: MainWindow, view: ContactsView, qtbot) -> None:
    ws = window.ws
    cid = view.model.rows[2].id
    kept = contacts.get_contact(ws, cid)
    contacts.save_contact(ws, replace(kept, structured_name="Doe;Jane;;;"))
    view.table.selectRow(3)
    view.table.selectRow(2)
    type_into(qtbot, view.editor.form.organisation_edit, "Somewhere Else Ltd")
    assert contacts.get_contact(ws, cid).structured_name == "Doe;Jane;;;"
    type_into(qtbot, view.editor.form.name_edit, "Zelda Renamed")
    assert contacts.get_contact(ws, cid).structured_name == ""
    window.undo_stack.undo()
    assert contacts.get_contact(ws, cid).structured_name == "Doe;Jane;;;"


def test_a_new_organisation_drops_the_units_read_with_the_old_one(
        window: MainWindow, view: ContactsView, qtbot) -> None:
    ws = window.ws
    cid = view.model.rows[2].id
    kept = contacts.get_contact(ws, cid)
    contacts.save_contact(ws, replace(kept, organisation="Acme Inc.", org_units="Sales;EMEA"))
    view.table.selectRow(3)
    view.table.selectRow(2)
    type_into(qtbot, view.editor.form.name_edit, "Zelda Renamed")
    assert contacts.get_contact(ws, cid).org_units == "Sales;EMEA"
    type_into(qtbot, view.editor.form.organisation_edit, "Somewhere Else Ltd")
    assert contacts.get_contact(ws, cid).org_units == ""
    window.undo_stack.undo()
    assert contacts.get_contact(ws, cid).org_units == "Sales;EMEA"


def test_several_emails_phones_and_labels(window: MainWindow, view: ContactsView, qtbot) -> None:
    ws = window.ws
    cid = contacts.save_contact(ws, Contact(0, "Aardvark Details", details=(
        Detail("email", "a@one.example", "work"),)))
    view.refresh()
    view.select_contact(cid)
    form = view.editor.form
    qtbot.mouseClick(form.emails.add_button, Qt.MouseButton.LeftButton)
    _, label, value = form.emails.rows[-1]
    label.setCurrentText("home")
    type_into(qtbot, value, "a@two.example")
    qtbot.mouseClick(form.phones.add_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, form.phones.rows[-1][2], "+44 20 7946 0000")
    stored = contacts.get_contact(ws, cid)
    assert stored.details == (Detail("email", "a@one.example", "work"),
                              Detail("email", "a@two.example", "home"),
                              Detail("phone", "+44 20 7946 0000", ""))
    qtbot.mouseClick(form.emails.rows[0][0].findChild(QToolButton), Qt.MouseButton.LeftButton)
    assert contacts.get_contact(ws, cid).values("email") == ("a@two.example",)
    window.undo_stack.undo()
    assert contacts.get_contact(ws, cid).values("email") == ("a@one.example", "a@two.example")
    assert len(form.emails.rows) == 2


def test_kind_stage_strength_follow_up_tags_notes(window: MainWindow, view: ContactsView,
                                                 qtbot) -> None:
    ws = window.ws
    cid = contacts.save_contact(ws, Contact(0, "Aaron Fields", kind="customer", stage="aware"))
    view.refresh()
    view.select_contact(cid)
    form = view.editor.form
    form.kind.setFocus()
    qtbot.keyClick(form.kind, Qt.Key.Key_Down)  # customer → fan
    form.stage.setFocus()
    qtbot.keyClick(form.stage, Qt.Key.Key_Down)  # aware → engaged
    stored = contacts.get_contact(ws, cid)
    assert (stored.kind, stored.stage) == ("fan", "engaged")
    form.strength.setValue(70)
    form.strength.setValue(75)  # one undo step for both
    assert contacts.get_contact(ws, cid).strength == 0.75
    window.undo_stack.undo()
    assert contacts.get_contact(ws, cid).strength is None

    qtbot.mouseClick(form.follow_check, Qt.MouseButton.LeftButton)
    form.follow_date.setDate(QDate(2031, 5, 6))
    assert contacts.get_contact(ws, cid).follow_up_on == "2031-05-06"
    window.undo_stack.undo()  # the date and the tick were one change
    assert contacts.get_contact(ws, cid).follow_up_on is None

    completer = form.tags.completer_
    assert "wholesale" in completer.model().stringList()  # completion offers existing tags
    form.tags.setFocus()
    qtbot.keyClicks(form.tags, "vip, who")
    assert completer.currentCompletion() == "vip, wholesale"  # completes the last tag only
    form.tags.setText(completer.currentCompletion())
    qtbot.keyClick(form.tags, Qt.Key.Key_Return)
    assert set(contacts.get_contact(ws, cid).tags) == {"vip", "wholesale"}

    form.notes.setFocus()
    qtbot.keyClicks(form.notes, "Met at the market.")
    view.search.setFocus()  # leaving the notes saves them
    assert contacts.get_contact(ws, cid).notes == "Met at the market."
    assert window.undo_stack.undoText() == "Change notes of Aaron Fields"


def fill_modal(qtbot, kind: type, fill) -> None:
    """Fill the modal dialog of ``kind`` as soon as it opens, then press OK."""
    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, attempt)
            return
        fill(dialog)
        dialog.accept()

    QTimer.singleShot(0, attempt)


def test_audiences_make_a_partner(window: MainWindow, view: ContactsView, qtbot) -> None:
    ws = window.ws
    cid = contacts.save_contact(ws, Contact(0, "Aanya Audience"))
    view.refresh()
    view.select_contact(cid)
    partners_view = window.view("partners")
    window.show_view("partners")
    window.show_view("contacts")
    before = partners_view.model.rowCount()

    def fill(dialog: AudienceDialog) -> None:
        dialog.platform.setCurrentIndex(dialog.platform.findData("newsletter"))
        dialog.handle.setText("Aanya's list")
        dialog.size.setValue(4200)
        dialog.topics.setText("bread, events")
        dialog.engagement.setValue(12.5)

    fill_modal(qtbot, AudienceDialog, fill)
    qtbot.mouseClick(view.editor.audiences.add_button, Qt.MouseButton.LeftButton)
    (audience,) = partners.audiences_of(ws, cid)
    assert (audience.platform, audience.size, audience.topics, audience.engagement_rate) == (
        "newsletter", 4200, ("bread", "events"), 0.125)
    assert partners_view.model.rowCount() == before + 1  # now a partner
    assert view.model.rows[view.model.row_of(cid)].audience == 4200
    assert view.editor.tabs.tabText(1) == "Audiences (1)"
    window.undo_stack.undo()
    assert partners.audiences_of(ws, cid) == []
    assert partners_view.model.rowCount() == before


def test_interaction_log_and_reciprocity(window: MainWindow, view: ContactsView, qtbot) -> None:
    ws = window.ws
    cid = contacts.save_contact(ws, Contact(0, "Abel Log"))
    view.refresh()
    view.select_contact(cid)
    history = view.editor.history
    assert "you are even" in history.balance.text()
    history.kind.setCurrentIndex(history.kind.findData("shared"))
    qtbot.keyClicks(history.note, "Shared the market post")
    qtbot.keyClick(history.note, Qt.Key.Key_Return)
    (entry,) = interactions.interactions_of(ws, cid)
    assert (entry.kind, entry.note, entry.happened_on) == (
        "shared", "Shared the market post", date.today().isoformat())
    assert "They shared for you 1 time" in history.balance.text()
    assert "owe them" in history.balance.text()
    history.log_table.selectRow(0)
    qtbot.mouseClick(history.remove_button, Qt.MouseButton.LeftButton)
    assert interactions.interactions_of(ws, cid) == []
    window.undo_stack.undo()
    assert len(interactions.interactions_of(ws, cid)) == 1


def test_link_to_another_contact(window: MainWindow, view: ContactsView, qtbot) -> None:
    ws = window.ws
    cid = contacts.save_contact(ws, Contact(0, "Abigail Linker"))
    other = contacts.save_contact(ws, Contact(0, "Quentin Zebedee"))
    view.refresh()
    view.select_contact(cid)

    def fill(dialog: LinkDialog) -> None:
        dialog.other.setText("Zebede")
        dialog.other.update_matches()
        assert dialog.other.matches.rowCount() == 1
        completer = dialog.other.completer()
        completer.activated[type(completer.currentIndex())].emit(
            completer.completionModel().index(0, 0))
        dialog.weight.setValue(80)

    fill_modal(qtbot, LinkDialog, fill)
    qtbot.mouseClick(view.editor.links.add_button, Qt.MouseButton.LeftButton)
    (link,) = links.links_of(ws, cid)
    assert (link.other(cid), link.weight, link.kind) == (other, 0.8, "knows")
    assert links.links_of(ws, other)[0].other_name == "Abigail Linker"
    window.undo_stack.undo()
    assert links.links_of(ws, cid) == []


def test_new_contact_then_undo(window: MainWindow, view: ContactsView, qtbot) -> None:
    ws = window.ws
    total = view.model.total
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    created = view.editor.contact
    assert created is not None and created.name == "New contact"
    assert view.editor.form.name_edit.hasFocus()
    qtbot.keyClicks(view.editor.form.name_edit, "Brand New Person")
    qtbot.keyClick(view.editor.form.name_edit, Qt.Key.Key_Return)
    assert contacts.get_contact(ws, created.id).name == "Brand New Person"
    assert view.model.total == total + 1
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert contacts.get_contact(ws, created.id) is None
    assert view.model.total == total
    window.undo_stack.redo()
    assert contacts.get_contact(ws, created.id).name == "New contact"


def test_delete_asks_first_when_there_are_asks(window: MainWindow, view: ContactsView, qtbot,
                                               confirmations) -> None:
    ws = window.ws
    cid = pick(ws, "SELECT contact_id FROM asks GROUP BY contact_id ORDER BY count(*) DESC")
    asks = pick(ws, f"SELECT count(*) FROM asks WHERE contact_id = {cid}")
    view.select_contact(cid)
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    assert contacts.get_contact(ws, cid) is not None
    assert f"The {asks} ask" in confirmations.texts[0]
    assert confirmations.buttons[0] == ["Delete contact", "Cancel"]
    confirmations.answer = "Delete contact"
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    assert contacts.get_contact(ws, cid) is None
    assert pick(ws, f"SELECT count(*) FROM asks WHERE contact_id = {cid}") == 0
    assert "Deleted" in window.statusBar().currentMessage()
    assert "was deleted" in view.editor.hint.text()
    window.undo_stack.undo()
    assert contacts.get_contact(ws, cid) is not None
    assert view.editor.contact is not None and view.editor.contact.id == cid
    assert pick(ws, f"SELECT count(*) FROM asks WHERE contact_id = {cid}") == asks

    lonely = contacts.save_contact(ws, Contact(0, "Aa Nobody Asked"))
    view.refresh()
    view.select_contact(lonely)
    confirmations.texts.clear()
    window.activateWindow()  # back from the confirmation dialog
    qtbot.waitUntil(window.isActiveWindow)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert contacts.get_contact(ws, lonely) is None and not confirmations.texts


def test_undo_from_another_view_updates_the_contacts(window: MainWindow, view: ContactsView,
                                                     qtbot) -> None:
    ws = window.ws
    cid = view.model.rows[0].id
    view.table.selectRow(0)
    type_into(qtbot, view.editor.form.organisation_edit, "Undo Test Ltd")
    window.show_view("today")
    window.undo_stack.undo()
    assert contacts.get_contact(ws, cid).organisation != "Undo Test Ltd"
    assert view.model.rows[0].organisation != "Undo Test Ltd"


def test_a_follow_up_set_today_shows_on_the_today_view(window: MainWindow, view: ContactsView,
                                                      qtbot) -> None:
    today_view = window.show_view("today")
    window.show_view("contacts")
    cid = contacts.save_contact(window.ws, Contact(0, "Aa Follow Me"))
    view.refresh()
    view.select_contact(cid)
    qtbot.mouseClick(view.editor.form.follow_check, Qt.MouseButton.LeftButton)
    view.editor.form.follow_date.setDate(QDate.currentDate())
    window.show_view("today")
    qtbot.waitUntil(lambda: cid in [f.contact_id for f in today_view.follow_model.rows],
                    timeout=15_000)  # the read waits its turn on the reading thread


def test_a_field_being_typed_in_is_saved_when_the_window_closes(window: MainWindow,
                                                                view: ContactsView,
                                                                qtbot) -> None:
    path = window.ws.path
    cid = view.model.rows[0].id
    view.table.selectRow(0)
    edit = view.editor.form.organisation_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Typed Then Closed Ltd")  # no Return, no Tab
    window.close()
    with Workspace.open(path) as ws:
        assert contacts.get_contact(ws, cid).organisation == "Typed Then Closed Ltd"


def test_an_undo_that_cannot_be_done_says_why_and_leaves_the_stack(
        window: MainWindow, view: ContactsView, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = window.ws
    cid = contacts.save_contact(ws, Contact(0, "Aa Soon Gone"))
    view.refresh()
    view.select_contact(cid)
    view.delete_selected()
    # Something outside the undo stack (an import, say) gives the id to someone else.
    ws.conn.execute("INSERT INTO contacts (id, name) VALUES (?, 'Zz Newcomer')", (cid,))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    count = window.undo_stack.count()
    window.undo_stack.undo()
    assert warnings and "Zz Newcomer" in warnings[0]
    assert contacts.get_contact(ws, cid).name == "Zz Newcomer"
    assert window.undo_stack.count() == count - 1  # the command is gone, not half-done


def edit_menu(window: MainWindow, text: str):
    """The Edit menu's action whose text starts with ``text`` (Undo, Redo)."""
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    return next(a for a in menu.actions() if a.text().replace("&", "").startswith(text))


MERGED_CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Aa Merge Target\r\nEMAIL:aa@known.example\r\n"
               "EMAIL:aa@merged.example\r\nTEL:+44 20 7946 0999\r\nEND:VCARD\r\n")


def merge_from_elsewhere(path, tmp_path) -> None:
    """Another writer (its own connection, the real import) merges an e-mail and a phone."""
    from socialdesk.core.contacts.importing import import_contacts

    card = tmp_path / "merge.vcf"
    card.write_text(MERGED_CARD, encoding="utf-8")
    with Workspace.open(path) as other:
        assert import_contacts(other, card).merged == 1


def test_undo_keeps_the_details_another_writer_merged_in(window: MainWindow, view: ContactsView,
                                                         qtbot, tmp_path) -> None:
    ws = window.ws
    cid = contacts.save_contact(ws, Contact(0, "Aa Merge Target", notes="Met at the fair",
                                            details=(Detail("email", "aa@known.example"),)))
    view.refresh()
    view.select_contact(cid)
    type_into(qtbot, view.editor.form.name_edit, "Aa Renamed Here")  # the earlier edit
    merge_from_elsewhere(ws.path, tmp_path)
    edit_menu(window, "Undo").trigger()
    after = contacts.get_contact(ws, cid)
    assert after.name == "Aa Merge Target"  # the edit is undone
    assert after.values("email") == ("aa@known.example", "aa@merged.example")
    assert after.values("phone") == ("+44 20 7946 0999",)
    assert after.notes == "Met at the fair"
    assert view.editor.form.name_edit.text() == "Aa Merge Target"
    edit_menu(window, "Redo").trigger()
    after = contacts.get_contact(ws, cid)
    assert after.name == "Aa Renamed Here"
    assert after.values("phone") == ("+44 20 7946 0999",)


def test_undoing_an_e_mail_edit_removes_only_its_own(window: MainWindow, view: ContactsView,
                                                     qtbot, tmp_path) -> None:
    ws = window.ws
    cid = contacts.save_contact(ws, Contact(0, "Aa Merge Target",
                                            details=(Detail("email", "aa@known.example"),)))
    view.refresh()
    view.select_contact(cid)
    form = view.editor.form
    qtbot.mouseClick(form.emails.add_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, form.emails.rows[-1][2], "aa@typed.example")
    merge_from_elsewhere(ws.path, tmp_path)
    window.undo_stack.undo()
    after = contacts.get_contact(ws, cid)
    assert after.values("email") == ("aa@known.example", "aa@merged.example")
    assert after.values("phone") == ("+44 20 7946 0999",)
    window.undo_stack.redo()
    assert set(contacts.get_contact(ws, cid).values("email")) == {
        "aa@known.example", "aa@merged.example", "aa@typed.example"}


def test_undo_leaves_a_field_changed_elsewhere_and_says_so(window: MainWindow,
                                                           view: ContactsView, qtbot) -> None:
    ws = window.ws
    cid = contacts.save_contact(ws, Contact(0, "Aa Twice Edited", organisation="Old Ltd"))
    view.refresh()
    view.select_contact(cid)
    type_into(qtbot, view.editor.form.organisation_edit, "Window Ltd")
    type_into(qtbot, view.editor.form.name_edit, "Aa Renamed Here")
    with Workspace.open(ws.path) as other, other.transaction():
        other.conn.execute("UPDATE contacts SET organisation = 'Elsewhere Ltd' WHERE id = ?",
                           (cid,))
    window.undo_stack.undo()  # the name: nobody else touched it
    window.undo_stack.undo()  # the organisation: changed elsewhere since
    after = contacts.get_contact(ws, cid)
    assert (after.name, after.organisation) == ("Aa Twice Edited", "Elsewhere Ltd")
    message = window.statusBar().currentMessage()
    assert "organisation" in message and "changed elsewhere" in message
    assert view.editor.form.organisation_edit.text() == "Elsewhere Ltd"


def test_undoing_an_audience_keeps_one_added_elsewhere(window: MainWindow, view: ContactsView,
                                                       qtbot) -> None:
    from socialdesk.store.audiences import set_audiences
    from socialdesk.store.models import Audience

    ws = window.ws
    cid = contacts.save_contact(ws, Contact(0, "Aa Audience Owner"))
    view.refresh()
    view.select_contact(cid)
    fill_modal(qtbot, AudienceDialog, lambda dialog: dialog.size.setValue(900))
    qtbot.mouseClick(view.editor.audiences.add_button, Qt.MouseButton.LeftButton)
    with Workspace.open(ws.path) as other:
        mine = partners.audiences_of(other, cid)
        set_audiences(other, cid, [*mine, Audience(0, cid, "newsletter", 5000, "Their list")])
    window.undo_stack.undo()
    assert [(a.platform, a.size) for a in partners.audiences_of(ws, cid)] == [
        ("newsletter", 5000)]


def test_undoing_an_add_keeps_a_contact_changed_elsewhere(
        window: MainWindow, view: ContactsView, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    ws = window.ws
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    created = view.editor.contact
    assert created is not None
    with Workspace.open(ws.path) as other:  # an import merges a phone number into them
        stored = contacts.get_contact(other, created.id)
        contacts.save_contact(other, replace(stored, details=(Detail("phone", "+1 555 0199"),)))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    window.undo_stack.undo()
    assert warnings and "changed elsewhere" in warnings[0]
    assert contacts.get_contact(ws, created.id).values("phone") == ("+1 555 0199",)


def test_opening_builds_the_pane_after_the_table_then_shows_contacts_with_their_tables(
        window: MainWindow, qtbot) -> None:
    view = window.show_view("contacts")
    assert isinstance(view, ContactsView)
    # Opening builds the table, not yet the card and its tabs (a part per turn, after).
    assert view.editor.count() == 1 and view.editor.currentWidget() is view.editor.hint
    qtbot.waitUntil(lambda: view.editor.contact is not None)
    first = view.model.rows[0]
    assert view.selected_id() == first.id and view.editor.contact.id == first.id
    assert view.editor.currentWidget() is not view.editor.hint
    assert view.editor.form.name_edit.text() == first.name
    ws = view.ws
    busy = pick(ws, "SELECT c.id FROM contacts c WHERE "
                "EXISTS (SELECT 1 FROM audiences a WHERE a.contact_id = c.id) AND "
                "EXISTS (SELECT 1 FROM interactions i WHERE i.contact_id = c.id) AND "
                "EXISTS (SELECT 1 FROM asks k WHERE k.contact_id = c.id) AND "
                "EXISTS (SELECT 1 FROM contact_links l WHERE c.id IN (l.from_id, l.to_id)) "
                "ORDER BY c.id LIMIT 1")
    view.select_contact(busy)
    editor = view.editor
    counts = {table: pick(ws, f"SELECT count(*) FROM {table} WHERE contact_id = {busy}")
              for table in ("audiences", "interactions", "asks")}
    linked = pick(ws, f"SELECT count(*) FROM contact_links WHERE {busy} IN (from_id, to_id)")
    assert editor.audiences.model.rowCount() == counts["audiences"]
    assert editor.history.log_model.rowCount() == counts["interactions"]
    assert editor.history.asks_model.rowCount() == counts["asks"]
    assert editor.links.model.rowCount() == linked
    assert editor.tabs.tabText(1) == f"Audiences ({counts['audiences']})"
    assert editor.tabs.tabText(3) == f"Links ({linked})"
    editor.tabs.setCurrentIndex(2)  # the History tab shows its log and asks
    qtbot.waitUntil(lambda: editor.history.log_table.isVisible())
    assert editor.history.log.currentWidget() is editor.history.log_table
    assert editor.history.asks.currentWidget() is editor.history.asks_table


def test_closing_the_workspace_while_the_pane_is_built_stops_it_quietly(
        qtbot, demo_path) -> None:
    """The window closes its workspace while the pane may still be built a part a turn:
    the later parts and what waits for them (showing the first contact) must not reach
    for the closed file."""
    from socialdesk.qt.contacts.editor import ContactEditor

    ws = Workspace.open(demo_path)
    editor = ContactEditor(ws)
    qtbot.addWidget(editor)
    first = pick(ws, "SELECT min(id) FROM contacts")
    editor.when_built(lambda: editor.show_contact(first))
    ws.close()  # before the event loop runs the pane's turns

    qtbot.wait(200)  # the turns come 1 ms apart: an error in one fails the test

    assert editor.shown_id is None
    assert not editor.built()
