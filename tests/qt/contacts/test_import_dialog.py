"""The import dialog end to end: File → Import…, a dropped file, mapping, duplicates review."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QMessageBox
from shiboken6 import isValid

from socialdesk.qt.contacts.import_wizard import DUPLICATES, MAPPING, PREVIEW, SUMMARY, ImportWizard
from socialdesk.qt.main_window import MainWindow
from socialdesk.qt.transfer import dropped_file
from socialdesk.store import contacts
from socialdesk.store.contacts import ContactQuery
from socialdesk.store.models import Contact, Detail
from socialdesk.store.workspace import Workspace

OUTLOOK_CSV = (
    "First Name,Last Name,Company,E-mail Address,Mobile Phone,Categories,Notes\r\n"
    "Ann,Lee,Corner Café,ann@corner.example,+44 7700 900001,VIP;Market,Loves rye\r\n"
    "Bob,Ray,,bob@ray.example,,,\r\n"
    ",,,,,,\r\n"
)
VCARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Chloé Martin\r\nORG:Fromagerie\r\n"
    "EMAIL;TYPE=WORK:chloe@fromagerie.example\r\nCATEGORIES:cheese,partners\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Okafor;Dele;;;\r\nTEL;TYPE=cell:+44 7700 900002\r\n"
    "END:VCARD\r\n"
)
ODD_CSV = (
    "Who;Reach me at;Works for;Extra\n"
    "Dana Scully;dana@fbi.example;FBI;left-handed\n"
    "Fox Mulder;fox@fbi.example;FBI;\n"
)


@pytest.fixture
def window(open_window, tmp_path: Path) -> MainWindow:
    return open_window(tmp_path / "ws.sqlite", create=True)


def when_wizard_opens(script: Callable[[ImportWizard], None], seen: list[ImportWizard]) -> None:
    """Run ``script`` on the import dialog as soon as it is shown (it is modal)."""
    def attempt() -> None:
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, ImportWizard):
            QTimer.singleShot(20, attempt)
            return
        seen.append(wizard)
        try:
            script(wizard)
        finally:
            if wizard.isVisible():
                wizard.reject()

    QTimer.singleShot(0, attempt)


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(path), "Contacts"))


def next_page(qtbot, wizard: ImportWizard) -> None:
    """Next (or Import), then wait for the page's work on a worker to end."""
    before = wizard.currentId()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() != before, timeout=10_000)


def finish(qtbot, wizard: ImportWizard) -> None:
    """From the preview (or mapping) page: Next until the import has run, then Finish."""
    while wizard.currentId() != SUMMARY:
        next_page(qtbot, wizard)
    wizard.accept()


def closed(qtbot, seen: list[ImportWizard], count: int = 1) -> None:
    """Wait until the ``count``-th import dialog was shown and has closed."""
    qtbot.waitUntil(lambda: len(seen) >= count and not (isValid(seen[-1])
                                                        and seen[-1].isVisible()),
                    timeout=20_000)


def names(ws: Workspace) -> list[str]:
    return [r.name for r in contacts.contact_rows(ws, ContactQuery(), limit=100)]


def test_file_import_previews_then_imports_an_outlook_csv(
        window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "outlook.csv"
    source.write_text(OUTLOOK_CSV, encoding="utf-8")
    choose_file(monkeypatch, source)
    seen: list[ImportWizard] = []

    def script(wizard: ImportWizard) -> None:
        assert wizard.currentId() == PREVIEW
        page = wizard.preview_page
        assert "Outlook" in page.summary.text() and "2 contacts" in page.summary.text()
        assert page.preview.model.rowCount() == 2
        assert page.preview.model.rows[0].contact.name == "Ann Lee"
        assert contacts.count_contacts(window.ws) == 0  # nothing written by the preview
        next_page(qtbot, wizard)
        assert wizard.currentId() == DUPLICATES
        assert "Press Import to bring in 2 contacts" in wizard.duplicates_page.ready.text()
        finish(qtbot, wizard)

    when_wizard_opens(script, seen)
    window.import_file()  # returns at once: the file is read on a worker, then the dialog
    assert contacts.count_contacts(window.ws) == 0
    closed(qtbot, seen)
    assert seen[0].summary is not None
    assert names(window.ws) == ["Ann Lee", "Bob Ray"]
    ann = contacts.get_contact(window.ws, contacts.contact_rows(window.ws)[0].id)
    assert ann.organisation == "Corner Café" and set(ann.tags) == {"VIP", "Market"}
    assert ann.values("phone") == ("+44 7700 900001",)
    assert "Imported 2 new contacts" in seen[0].summary_page.text.text()
    assert window.current_view_name() is not None  # the welcome panel made way


def test_importing_the_same_vcard_again_says_nothing_changed(
        window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "cards.vcf"
    source.write_bytes(VCARDS.encode("utf-8"))
    choose_file(monkeypatch, source)
    seen: list[ImportWizard] = []
    shown: list[str] = []
    reasons: list[list[str]] = []

    def script(wizard: ImportWizard) -> None:
        next_page(qtbot, wizard)
        model = wizard.duplicates_page.model
        reasons.append([model.data(model.index(r, 3)) for r in range(model.rowCount())])
        finish(qtbot, wizard)
        shown.append(wizard.summary_page.text.text())

    for count in (1, 2):
        when_wizard_opens(script, seen)
        window.import_file()  # returns at once
        closed(qtbot, seen, count)
    assert contacts.count_contacts(window.ws) == 2
    assert "Imported 2 new contacts" in shown[0]
    assert reasons == [[], ["same e-mail address", "same phone number"]]
    assert shown[1].startswith(
        "Nothing changed: the 2 contacts in cards.vcf were all already there.")


def test_dropping_a_vcard_on_the_window_imports_it(window: MainWindow, tmp_path: Path,
                                                   qtbot) -> None:
    source = tmp_path / "cards.vcf"
    source.write_bytes(VCARDS.encode("utf-8"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(source))])
    assert dropped_file(mime) == source
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "photo.png"))])
    assert dropped_file(other) is None
    seen: list[ImportWizard] = []

    def script(wizard: ImportWizard) -> None:
        assert "vCard" in wizard.preview_page.summary.text()
        finish(qtbot, wizard)

    when_wizard_opens(script, seen)
    event = QDropEvent(QPointF(300, 300), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert event.isAccepted()
    closed(qtbot, seen)
    qtbot.waitUntil(lambda: contacts.count_contacts(window.ws) == 2)
    assert names(window.ws) == ["Chloé Martin", "Dele Okafor"]


def test_a_csv_nobody_recognises_goes_through_the_mapping_step(
        window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "odd.csv"
    source.write_text(ODD_CSV, encoding="utf-8")
    choose_file(monkeypatch, source)
    seen: list[ImportWizard] = []

    def script(wizard: ImportWizard) -> None:
        assert "did not recognise" in wizard.preview_page.summary.text()
        wizard.next()  # the mapping step needs no worker: at once
        assert wizard.currentId() == MAPPING
        page = wizard.mapping_page
        model = page.model
        assert model.mapping == ["ignore"] * 4
        assert model.data(model.index(1, 1)) == "dana@fbi.example · fox@fbi.example"
        wizard.next()  # no column names a contact yet: refused with a message
        assert wizard.currentId() == MAPPING
        # Choose the first column's field through its combo box, as a user does.
        page.table.edit(model.index(0, 2))
        combo = page.table.findChild(QComboBox)
        combo.setCurrentIndex(combo.findData("name"))
        combo.activated.emit(combo.currentIndex())
        assert model.mapping[0] == "name"
        model.setData(model.index(1, 2), "email")
        model.setData(model.index(2, 2), "organisation")
        assert page.preview.model.rowCount() == 2
        assert page.preview.model.rows[0].contact.organisation == "FBI"
        finish(qtbot, wizard)

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    when_wizard_opens(script, seen)
    window.import_file()
    closed(qtbot, seen)
    assert warnings and "name" in warnings[0]
    assert names(window.ws) == ["Dana Scully", "Fox Mulder"]
    dana = contacts.get_contact(window.ws, contacts.contact_rows(window.ws)[0].id)
    assert dana.values("email") == ("dana@fbi.example",) and dana.notes == ""

    # The next file with the same columns starts from the mapping chosen.
    again = tmp_path / "odd-again.csv"
    again.write_text(ODD_CSV.replace("Dana", "Walter"), encoding="utf-8")
    choose_file(monkeypatch, again)

    def check(wizard: ImportWizard) -> None:
        assert wizard.mapping_page.model.mapping == ["name", "email", "organisation", "ignore"]

    when_wizard_opens(check, seen)
    window.import_file()
    closed(qtbot, seen, 2)
    assert len(seen) == 2


def test_duplicates_review_merge_keep_skip(window: MainWindow, tmp_path: Path, qtbot,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    ws = window.ws
    ann = contacts.save_contact(ws, Contact(0, "Ann Lee", details=(
        Detail("email", "ann@corner.example"),), notes="Typed by hand"))
    contacts.save_contact(ws, Contact(0, "Bob Ray", organisation=""))
    window.data_changed()
    source = tmp_path / "outlook.csv"
    source.write_text(OUTLOOK_CSV, encoding="utf-8")
    choose_file(monkeypatch, source)
    seen: list[ImportWizard] = []

    def script(wizard: ImportWizard) -> None:
        next_page(qtbot, wizard)
        page = wizard.duplicates_page
        model = page.model
        assert [(m.name, m.kind) for m in model.matches] == [
            ("Ann Lee", "exact"), ("Bob Ray", "likely")]
        assert [model.data(model.index(r, 4)) for r in range(2)] == [
            "Merge into existing", "Keep both"]
        assert model.data(model.index(0, 3)) == "same e-mail address"
        page.table.selectRow(1)
        qtbot.mouseClick(page.buttons["skip"], Qt.MouseButton.LeftButton)
        assert model.decisions[model.matches[1].index] == "skip"
        finish(qtbot, wizard)

    when_wizard_opens(script, seen)
    window.import_file()
    closed(qtbot, seen)
    assert sorted(names(ws)) == ["Ann Lee", "Bob Ray"]  # merged and skipped: nobody new
    merged = contacts.get_contact(ws, ann)
    assert merged.notes == "Typed by hand"  # never overwritten
    assert merged.organisation == "Corner Café"  # an empty field is filled
    assert merged.values("phone") == ("+44 7700 900001",)
    text = seen[0].summary_page.text.text()
    assert "Imported 0 new contacts" in text and "1 were merged" in text
    assert "1 duplicates were skipped" in text


def test_a_broken_file_names_the_line_and_imports_nothing(
        window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "broken.vcf"
    source.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Half a card\r\n", encoding="utf-8")
    choose_file(monkeypatch, source)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    window.import_file()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown and str(source) in shown[0] and "line" in shown[0]
    assert "Nothing was imported" in shown[0]
    assert contacts.count_contacts(window.ws) == 0


@pytest.mark.parametrize(("choice", "marker"), [
    ("Contacts as vCard 4.0 (.vcf) for address books", "VERSION:4.0"),
    ("Contacts as vCard 3.0 (.vcf) for older programs", "VERSION:3.0"),
    ("Contacts as a spreadsheet (.csv)", "E-mail 1 - Value"),
])
def test_file_export_writes_contacts(window: MainWindow, tmp_path: Path, choice: str, qtbot,
                                     marker: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    contacts.save_contact(window.ws, Contact(0, "Ann Lee", details=(
        Detail("email", "ann@corner.example"),)))
    out = tmp_path / "out.file"
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (choice, True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    window.export_file()  # returns at once; the summary says when the file is written
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert marker in out.read_text(encoding="utf-8-sig")
    assert told == [f"Wrote 1 contact to {out}."]


def test_cancelling_the_import_writes_nothing_and_keeps_the_review(
        window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from PySide6.QtWidgets import QProgressDialog

    from socialdesk.qt.workers import Task, run_task, writer_pool

    source = tmp_path / "outlook.csv"
    source.write_text(OUTLOOK_CSV, encoding="utf-8")
    choose_file(monkeypatch, source)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    seen: list[ImportWizard] = []

    def script(wizard: ImportWizard) -> None:
        next_page(qtbot, wizard)
        gate = threading.Event()
        held = run_task(Task(), lambda _progress: gate.wait(20), writer_pool())  # a write runs
        try:
            wizard.next()  # Import: returns at once, the write waits its turn
            [progress] = [d for d in wizard.findChildren(QProgressDialog)
                          if d.labelText().startswith("Importing")]
            wizard.reject()  # Escape while it writes: the dialog stays
            assert wizard.isVisible()
            progress.canceled.emit()  # the progress dialog's Cancel
        finally:
            gate.set()
        qtbot.waitUntil(lambda: bool(told), timeout=10_000)
        assert told == ["Import cancelled; nothing was imported."]
        assert wizard.currentId() == DUPLICATES and wizard.summary is None
        del held

    when_wizard_opens(script, seen)
    window.import_file()
    closed(qtbot, seen)
    assert contacts.count_contacts(window.ws) == 0


def test_thousands_of_duplicates_are_reviewed_without_a_widget_each(qtbot) -> None:
    from socialdesk.core.contacts.importing import DuplicateMatch
    from socialdesk.qt.contacts.import_pages import DuplicatesPage

    matches = [DuplicateMatch(i, i + 2, f"Person {i}", i + 1, f"Person {i}", "exact", 100.0,
                              "email") for i in range(10_000)]
    page = DuplicatesPage()
    qtbot.addWidget(page)
    page.show()
    page.set_matches(matches, 10_000)
    # A combo box per row (300 of them) took seconds on the GUI thread; the choices are
    # drawn as combo boxes, and a click on one opens the only real one.
    assert page.table.findChildren(QComboBox) == []
    model = page.model
    page.table.setCurrentIndex(model.index(9_999, 4))
    (combo,) = page.table.findChildren(QComboBox)
    combo.setCurrentIndex(combo.findData("skip"))
    combo.activated.emit(combo.currentIndex())
    assert model.decisions[9_999] == "skip"


def test_file_import_loads_the_importers_code_on_a_worker(
        window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Telling a calendar from contacts needs the calendar importer (icalendar with it):
    imported on the GUI thread, it froze the window for a third of a second."""
    import sys
    import threading

    import socialdesk.core.calendar

    source = tmp_path / "outlook.csv"
    source.write_text(OUTLOOK_CSV, encoding="utf-8")
    choose_file(monkeypatch, source)
    loaded_on: list[threading.Thread] = []
    watched = "socialdesk.core.calendar.importing"

    class Watch:  # notes which thread imports the importer, then lets Python import it
        def find_spec(self, name: str, path: object = None, target: object = None) -> None:
            if name.startswith(watched):
                loaded_on.append(threading.current_thread())

    for name in [n for n in sys.modules if n.startswith(watched)]:
        monkeypatch.delitem(sys.modules, name)  # as at the first import after a start
    if hasattr(socialdesk.core.calendar, "importing"):  # put back afterwards
        monkeypatch.setattr(socialdesk.core.calendar, "importing",
                            socialdesk.core.calendar.importing)
    monkeypatch.setattr(sys, "meta_path", [Watch(), *sys.meta_path])
    seen: list[ImportWizard] = []
    when_wizard_opens(lambda wizard: finish(qtbot, wizard), seen)
    window.import_file()
    closed(qtbot, seen)
    assert names(window.ws) == ["Ann Lee", "Bob Ray"]
    assert loaded_on and threading.main_thread() not in loaded_on
