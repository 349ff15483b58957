"""Edit → Settings…: pages of workspace settings, saved in one undoable step."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel

from socialdesk.core.backup import secrets
from socialdesk.core.clock import today
from socialdesk.core.planner.ask_messages import DEFAULT_TEMPLATES
from socialdesk.core.planner.planning import plan_post
from socialdesk.core.settings import DEFAULTS, update_setting, workspace_settings
from socialdesk.qt.app import create_application
from socialdesk.qt.appsettings import app_settings
from socialdesk.qt.backup.dialogs import PassphraseDialog
from socialdesk.qt.main_window import MainWindow
from socialdesk.qt.settings_dialog import SettingsDialog
from socialdesk.qt.settings_pages.asks import AsksPage
from socialdesk.qt.settings_pages.backups import BackupsPage
from socialdesk.qt.settings_pages.reach import ReachPage
from socialdesk.store import posts
from socialdesk.store.settings import stored_settings
from socialdesk.store.workspace import Workspace

ACCEPTED = QDialog.DialogCode.Accepted
BLOGGER_MESSAGE = "Hey {name}, would you mention {post_title}? It fits {limit}."


Steps = Callable[[SettingsDialog], None]


@pytest.fixture
def settings_dialog(monkeypatch, window: MainWindow):
    """Open Edit → Settings… and play ``steps`` on the dialog instead of a person."""
    seen: list[SettingsDialog] = []

    def run(steps: Steps) -> SettingsDialog:
        def exec_(dialog: SettingsDialog) -> int:
            seen.append(dialog)
            steps(dialog)
            return dialog.result()

        monkeypatch.setattr(SettingsDialog, "exec", exec_)
        settings_action(window).trigger()
        return seen[-1]

    return run


def settings_action(window: MainWindow) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.text() == "&Settings…")


def click(dialog: SettingsDialog, which: QDialogButtonBox.StandardButton) -> None:
    dialog.buttons.button(which).click()


def ok(dialog: SettingsDialog) -> None:
    click(dialog, QDialogButtonBox.StandardButton.Ok)


def page(dialog: SettingsDialog, cls: type) -> ReachPage | AsksPage | BackupsPage:
    found = dialog.page(cls)
    assert isinstance(found, cls)
    return found  # type: ignore[return-value]


def type_into(qtbot, box, text: str) -> None:
    """Replace a spin box's text as a person would: select all, type, press Tab."""
    line = box.lineEdit()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Backspace)
    qtbot.keyClicks(line, text)


def test_settings_is_in_the_edit_menu_with_a_shortcut(window: MainWindow) -> None:
    action = settings_action(window)
    assert not action.shortcut().isEmpty()
    edit_menu = window.menuBar().actions()[1].menu()
    assert action in edit_menu.actions()


def test_ok_stores_the_changes_and_only_the_changes(window, settings_dialog, qtbot) -> None:
    def change(dialog: SettingsDialog) -> None:
        reach = page(dialog, ReachPage)
        type_into(qtbot, reach.universe, "25000")
        reach.rates["instagram"].setValue(20.0)
        asks = page(dialog, AsksPage)
        asks.kind.setCurrentIndex(asks.kind.findData("blogger"))
        asks.editor.setPlainText(BLOGGER_MESSAGE)
        ok(dialog)

    dialog = settings_dialog(change)
    assert dialog.result() == ACCEPTED
    values = workspace_settings(window.ws)
    assert values["universe"] == 25_000
    assert values["reach_rates"]["instagram"] == 0.2
    assert values["reach_rates"]["facebook"] == DEFAULTS["reach_rates"]["facebook"]
    assert values["ask_templates"] == {"blogger": BLOGGER_MESSAGE}
    # Only what differs from the defaults is stored.
    assert stored_settings(window.ws) == {
        "universe": 25_000, "reach_rates": {"instagram": 0.2},
        "ask_templates": {"blogger": BLOGGER_MESSAGE},
    }
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Change settings"


def test_ok_writes_every_change_in_one_transaction(window, settings_dialog) -> None:
    statements: list[str] = []

    def change(dialog: SettingsDialog) -> None:
        page(dialog, ReachPage).universe.setValue(60_000)
        page(dialog, AsksPage).warning_count.setValue(4)
        page(dialog, BackupsPage).daily.setValue(10)
        window.ws.conn.set_trace_callback(statements.append)
        ok(dialog)

    try:
        settings_dialog(change)
    finally:
        window.ws.conn.set_trace_callback(None)
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "DELETE"))]
    assert len(writes) == 3
    assert sum(s.strip().upper().startswith("BEGIN") for s in statements) == 1
    assert sum(s.strip().upper() == "COMMIT" for s in statements) == 1


def test_a_value_set_back_to_its_default_is_stored_as_no_override(
        window, settings_dialog) -> None:
    update_setting(window.ws, "universe", 25_000)
    update_setting(window.ws, "ask_warning_count", 5)
    update_setting(window.ws, "ask_templates", {"fan": "Yo {name}"})

    def back_to_defaults(dialog: SettingsDialog) -> None:
        page(dialog, ReachPage).universe.setValue(DEFAULTS["universe"])
        dialog.show_page(page(dialog, AsksPage))
        dialog.restore_defaults()  # the shown page only
        ok(dialog)

    settings_dialog(back_to_defaults)
    assert stored_settings(window.ws) == {}
    assert workspace_settings(window.ws)["ask_templates"] == {}


def test_restore_defaults_touches_only_the_page_shown(window, settings_dialog) -> None:
    update_setting(window.ws, "universe", 25_000)
    update_setting(window.ws, "backup_daily", 3)

    def restore_backups_page(dialog: SettingsDialog) -> None:
        dialog.show_page(page(dialog, BackupsPage))
        dialog.restore_defaults()
        assert page(dialog, BackupsPage).daily.value() == DEFAULTS["backup_daily"]
        assert page(dialog, ReachPage).universe.value() == 25_000
        ok(dialog)

    settings_dialog(restore_backups_page)
    assert stored_settings(window.ws) == {"universe": 25_000}


def test_undo_puts_the_previous_settings_back_and_redo_again(
        window, settings_dialog) -> None:
    update_setting(window.ws, "reshare", 0.1)
    before = stored_settings(window.ws)

    def change(dialog: SettingsDialog) -> None:
        reach = page(dialog, ReachPage)
        reach.universe.setValue(40_000)
        reach.reshare.setValue(50)
        reach.rates["newsletter"].setValue(50)
        page(dialog, BackupsPage).monthly.setValue(6)
        ok(dialog)

    settings_dialog(change)
    after = stored_settings(window.ws)
    assert after == {"universe": 40_000, "reshare": 0.5, "reach_rates": {"newsletter": 0.5},
                     "backup_monthly": 6}
    window.undo_stack.undo()
    assert stored_settings(window.ws) == before
    window.undo_stack.redo()
    assert stored_settings(window.ws) == after


def test_undo_leaves_settings_changed_elsewhere_since(window, settings_dialog) -> None:
    def change(dialog: SettingsDialog) -> None:
        reach = page(dialog, ReachPage)
        reach.universe.setValue(40_000)
        reach.reshare.setValue(50)
        ok(dialog)

    settings_dialog(change)
    with Workspace.open(window.ws.path) as other:  # another program, meanwhile
        update_setting(other, "reshare", 0.25)
        update_setting(other, "backup_daily", 3)
    window.undo_stack.undo()
    assert stored_settings(window.ws) == {"reshare": 0.25, "backup_daily": 3}
    assert "reshare" in window.statusBar().currentMessage()
    assert "changed elsewhere" in window.statusBar().currentMessage()


def test_cancel_changes_nothing(window, settings_dialog, fresh_keyring, monkeypatch) -> None:
    update_setting(window.ws, "universe", 30_000)
    before = stored_settings(window.ws)
    monkeypatch.setattr(PassphraseDialog, "exec", typed_passphrase("left unsaved"))

    def change_then_cancel(dialog: SettingsDialog) -> None:
        page(dialog, ReachPage).universe.setValue(70_000)
        page(dialog, AsksPage).editor.setPlainText("Changed {name}")
        page(dialog, BackupsPage).encrypt.setChecked(True)  # asks for a passphrase
        click(dialog, QDialogButtonBox.StandardButton.Cancel)

    dialog = settings_dialog(change_then_cancel)
    assert dialog.result() != ACCEPTED
    assert stored_settings(window.ws) == before
    assert window.undo_stack.count() == 0
    assert secrets.recall(window.ws.path) is None


def test_ok_without_a_change_adds_no_undo_step(window, settings_dialog) -> None:
    settings_dialog(ok)
    assert window.undo_stack.count() == 0
    assert stored_settings(window.ws) == {}


def test_a_number_out_of_range_is_refused(window, settings_dialog, qtbot) -> None:
    def type_too_small(dialog: SettingsDialog) -> None:
        dialog.show_page(page(dialog, BackupsPage))
        reach = page(dialog, ReachPage)
        type_into(qtbot, reach.universe, "5")  # the market is at least 100 people
        ok(dialog)
        assert dialog.result() != ACCEPTED
        assert dialog.current_page() is reach
        assert "Your market" in dialog.problem.text()
        assert "100 and 1,000,000,000" in dialog.problem.text()
        assert not dialog.problem.isHidden()

    dialog = settings_dialog(type_too_small)
    assert dialog.result() != ACCEPTED
    assert stored_settings(window.ws) == {}
    assert window.undo_stack.count() == 0


def test_letters_cannot_be_typed_into_a_number(window, settings_dialog, qtbot) -> None:
    def type_letters(dialog: SettingsDialog) -> None:
        box = page(dialog, ReachPage).rates["facebook"]
        type_into(qtbot, box, "lots")
        assert box.lineEdit().text() in ("", " %")
        ok(dialog)
        assert "Facebook" in dialog.problem.text()
        box.setValue(7.5)  # fixed: now OK saves
        ok(dialog)

    dialog = settings_dialog(type_letters)
    assert dialog.result() == ACCEPTED
    assert stored_settings(window.ws) == {"reach_rates": {"facebook": 0.075}}


def test_a_file_is_refused_as_the_backup_folder(window, settings_dialog, tmp_path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("hello")

    def choose_file(dialog: SettingsDialog) -> None:
        backups = page(dialog, BackupsPage)
        backups.folder.setText(str(not_a_folder))
        assert not backups.folder_warning.isHidden()  # said while typing
        ok(dialog)
        assert "is a file, not a folder" in dialog.problem.text()
        backups.folder.setText("relative/folder")
        ok(dialog)
        assert "not a full folder path" in dialog.problem.text()

    dialog = settings_dialog(choose_file)
    assert dialog.result() != ACCEPTED
    assert stored_settings(window.ws) == {}


def test_browse_chooses_the_backup_folder(window, settings_dialog, tmp_path, monkeypatch):
    target = tmp_path / "offsite"
    target.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *args, **kwargs: str(target)))

    def browse(dialog: SettingsDialog) -> None:
        page(dialog, BackupsPage).browse.click()
        ok(dialog)

    settings_dialog(browse)
    assert workspace_settings(window.ws)["backup_folder"] == str(target)


def test_an_empty_message_is_refused(window, settings_dialog) -> None:
    def empty_press_message(dialog: SettingsDialog) -> None:
        asks = page(dialog, AsksPage)
        asks.kind.setCurrentIndex(asks.kind.findData("press"))
        asks.editor.setPlainText("   ")
        asks.kind.setCurrentIndex(0)
        ok(dialog)
        assert "message for press is empty" in dialog.problem.text()
        assert asks.current_kind == "press"  # shown where it can be fixed
        asks.built_in.click()
        ok(dialog)

    dialog = settings_dialog(empty_press_message)
    assert dialog.result() == ACCEPTED
    assert stored_settings(window.ws) == {}


def test_the_preview_fills_in_the_message_as_it_is_typed(demo) -> None:
    create_application()
    dialog = SettingsDialog(demo)
    asks = page(dialog, AsksPage)
    asks.kind.setCurrentIndex(asks.kind.findData("partner"))
    assert "Corner Café" in asks.preview.toPlainText()
    assert not asks.built_in.isEnabled()  # the built-in message is shown
    asks.editor.setPlainText("")
    asks.insert("name")
    asks.editor.insertPlainText(", about {post_title} on {date} — {nam}")
    preview = asks.preview.toPlainText()
    assert preview.startswith("Corner Café, about ")
    assert asks.context.post_title in preview
    assert "{nam}" in preview
    assert "{nam}" in asks.warning.text() and not asks.warning.isHidden()
    assert asks.built_in.isEnabled()
    asks.built_in.click()
    assert asks.editor.toPlainText() == DEFAULT_TEMPLATES["partner"]
    assert asks.warning.isHidden()


def typed_passphrase(text: str, again: str | None = None):
    def exec_(dialog: PassphraseDialog) -> int:
        dialog.passphrase.setText(text)
        dialog.again.setText(text if again is None else again)
        dialog.accept()
        return dialog.result()

    return exec_


@pytest.mark.usefixtures("fresh_keyring")
def test_set_passphrase_keeps_it_in_the_keyring_never_in_the_workspace(
        window, settings_dialog, monkeypatch) -> None:
    passphrase = "correct horse battery staple"
    monkeypatch.setattr(PassphraseDialog, "exec", typed_passphrase(passphrase))

    def encrypt(dialog: SettingsDialog) -> None:
        backups = page(dialog, BackupsPage)
        backups.encrypt.setChecked(True)  # no passphrase yet: it is asked for at once
        assert "when you click OK" in backups.passphrase_state.text()
        assert secrets.recall(window.ws.path) is None  # not before OK
        ok(dialog)

    settings_dialog(encrypt)
    assert secrets.recall(window.ws.path) == passphrase
    assert workspace_settings(window.ws)["backup_encrypt"] is True
    window.ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    files = [window.ws.path, *window.ws.path.parent.glob(window.ws.path.name + "-*")]
    for file in files:
        assert passphrase.encode() not in file.read_bytes()
        assert passphrase.encode("utf-16-le") not in file.read_bytes()

    # Set passphrase… again replaces the remembered one.
    monkeypatch.setattr(PassphraseDialog, "exec", typed_passphrase("a new one"))

    def change_passphrase(dialog: SettingsDialog) -> None:
        backups = page(dialog, BackupsPage)
        assert "is remembered" in backups.passphrase_state.text()
        backups.set_passphrase.click()
        ok(dialog)

    settings_dialog(change_passphrase)
    assert secrets.recall(window.ws.path) == "a new one"


@pytest.mark.usefixtures("fresh_keyring")
def test_encryption_stays_off_when_no_passphrase_is_chosen(
        window, settings_dialog, monkeypatch) -> None:
    monkeypatch.setattr(PassphraseDialog, "exec",
                        lambda dialog: PassphraseDialog.DialogCode.Rejected)

    def try_encrypt(dialog: SettingsDialog) -> None:
        backups = page(dialog, BackupsPage)
        backups.encrypt.setChecked(True)
        assert not backups.encrypt.isChecked()
        ok(dialog)

    settings_dialog(try_encrypt)
    assert workspace_settings(window.ws)["backup_encrypt"] is False
    assert secrets.recall(window.ws.path) is None


def test_the_planner_recomputes_after_the_universe_changes(
        window, settings_dialog, qtbot) -> None:
    post_id = posts.upcoming_posts(window.ws, today().isoformat(), limit=1)[0].id
    _, before = plan_post(window.ws, post_id, today())
    window.plan_leverage(post_id)
    planner = window.stack.currentWidget()
    qtbot.waitUntil(lambda: not planner.is_busy())  # the planner plans on a worker

    def shown() -> list[str]:
        return [label.text() for label in planner.findChildren(QLabel) if label.isVisible()]

    shown_before = shown()

    def small_market(dialog: SettingsDialog) -> None:
        page(dialog, ReachPage).universe.setValue(2_000)
        ok(dialog)

    settings_dialog(small_market)
    _, after = plan_post(window.ws, post_id, today())
    assert after.expected_reach < before.expected_reach
    assert after.expected_reach <= 2_000
    assert window.stack.currentWidget() is planner
    qtbot.waitUntil(lambda: shown() != shown_before)  # the planner shows the new figures
    window.undo_stack.undo()
    _, undone = plan_post(window.ws, post_id, today())
    assert undone.expected_reach == pytest.approx(before.expected_reach)
    qtbot.waitUntil(lambda: not planner.is_busy() and shown() == shown_before)


def test_the_welcome_panel_stays_after_changing_settings(qtbot, tmp_path, monkeypatch):
    create_application()
    window = MainWindow(Workspace.open(tmp_path / "new.sqlite", create=True), app_settings())
    qtbot.addWidget(window)
    window.show()

    def change(dialog: SettingsDialog) -> None:
        page(dialog, ReachPage).universe.setValue(5_000)
        ok(dialog)

    monkeypatch.setattr(SettingsDialog, "exec",
                        lambda dialog: (change(dialog), dialog.result())[1])
    window.edit_settings()
    assert workspace_settings(window.ws)["universe"] == 5_000
    assert window.stack.currentWidget() is window.welcome
    window.close()


def test_new_contacts_start_with_the_time_per_ask(window, settings_dialog) -> None:
    def slower_asks(dialog: SettingsDialog) -> None:
        page(dialog, ReachPage).default_effort.setValue(25)
        ok(dialog)

    settings_dialog(slower_asks)
    view = window.show_view("contacts")
    view.new_contact()  # type: ignore[attr-defined]
    contact = view.editor.contact  # type: ignore[attr-defined]
    assert contact is not None and contact.effort_minutes == 25


def test_the_model_v2_parameters_are_settings_the_planner_uses(window, settings_dialog) -> None:
    from socialdesk.core.planner.planning import model_params

    defaults = model_params(window.ws)
    assert (defaults.reshare, defaults.extra_platforms, defaults.max_hops,
            defaults.prior_a, defaults.prior_b) == (0.15, 0.2, 2, 0.05, 0.6)
    post_id = posts.upcoming_posts(window.ws, today().isoformat(), limit=1)[0].id
    _, before = plan_post(window.ws, post_id, today())

    def change(dialog: SettingsDialog) -> None:
        reach = page(dialog, ReachPage)
        assert (reach.extra_platforms.value(), reach.max_hops.value(), reach.prior_a.value(),
                reach.prior_b.value(), reach.reshare.value()) == (20, 2, 5, 60, 15)
        reach.extra_platforms.setValue(100)  # every network of a partner, as v1
        reach.max_hops.setValue(3)
        reach.prior_a.setValue(20)
        reach.prior_b.setValue(10)
        ok(dialog)

    settings_dialog(change)
    assert stored_settings(window.ws) == {"extra_platforms": 1.0, "max_hops": 3,
                                          "prior_a": 0.2, "prior_b": 0.1}
    params = model_params(window.ws)
    assert (params.extra_platforms, params.max_hops, params.prior_a, params.prior_b) == (
        1.0, 3, 0.2, 0.1)
    _, after = plan_post(window.ws, post_id, today())
    assert {e.id: e.p for e in after.ranked} != {e.id: e.p for e in before.ranked}
    assert sum(e.reach_if_shared for e in after.ranked) > sum(
        e.reach_if_shared for e in before.ranked)


def test_reach_page_shows_what_was_learned_and_switches_it(window, settings_dialog,
                                                           qtbot) -> None:
    from socialdesk.core.planner import planning, track_record

    ws = window.ws
    ws.conn.execute("UPDATE asks SET planned_p = 0.6, planned_reach = 100, planned_x0 = 0, "
                    "model_version = 2 WHERE status IN ('shared', 'declined', 'no_reply')")
    record = track_record.track_record(ws)
    learned = {k: r for k, r in record.learned_rates.items() if r.rate is not None}
    assert record.calibration.fitted and learned
    seen: dict[str, str] = {}

    def switch(dialog: SettingsDialog) -> None:
        reach = page(dialog, ReachPage)
        qtbot.waitUntil(lambda: reach.calibration is not None)  # read on a worker
        assert reach.calibration_on.isChecked() and not reach.learned_rates_on.isChecked()
        seen["calibration"] = reach.calibration_note.text()
        seen.update({k: reach.learned_labels[k].text() for k in learned})
        reach.calibration_on.setChecked(False)
        reach.learned_rates_on.setChecked(True)
        ok(dialog)

    assert planning.model_params(ws).calibration_alpha == record.calibration.alpha
    settings_dialog(switch)
    assert f"from {record.calibration.resolved:,} answered asks" in seen["calibration"]
    assert f"α {record.calibration.alpha:+.2f}" in seen["calibration"]
    for name, r in learned.items():
        assert seen[name] == f"learned {r.rate:.1%} · {r.posts:,} posts"
    assert stored_settings(ws) == {"calibration_on": False, "learned_rates_on": True}
    params = planning.model_params(ws)
    assert params.calibration_alpha == 0.0
    assert all(params.rate(k) == r.rate for k, r in learned.items())


def test_the_sender_is_edited_on_the_asks_page_and_signs_the_preview(demo) -> None:
    from socialdesk.core.settings import update_setting

    update_setting(demo, "sender_name", "Ana Ruiz")
    demo.conn.execute("UPDATE posts SET link = 'https://bakery.example/news'")
    create_application()
    dialog = SettingsDialog(demo)
    asks = page(dialog, AsksPage)
    assert asks.sender_name.text() == "Ana Ruiz" and asks.sender_business.text() == ""
    asks.kind.setCurrentIndex(asks.kind.findData("press"))
    assert asks.preview.toPlainText().endswith("Best regards,\nAna Ruiz")
    asks.sender_business.setText("Ruiz Bakery")
    assert asks.preview.toPlainText().endswith("Best regards,\nAna Ruiz\nRuiz Bakery")
    asks.editor.setPlainText("{post_text}\n{link}")
    assert asks.warning.isHidden()  # both are filled in
    assert asks.preview.toPlainText().startswith(asks.context.post_text)
    assert "\nhttps://bakery.example/news?utm_source=corner-cafe&utm_medium=partner" in \
        asks.preview.toPlainText()
    ok(dialog)
    _before, after = dialog.changes()
    assert after["sender_business"] == "Ruiz Bakery" and "sender_name" not in after
    assert after["sender_asked"] is True  # set here: the planner need not ask


def test_the_workspace_time_zone_is_chosen_on_the_asks_page(window, settings_dialog,
                                                            qtbot) -> None:
    def choose(dialog: SettingsDialog) -> None:
        asks = page(dialog, AsksPage)
        assert asks.zone.zone() == asks.zone.default  # no setting: the computer's
        asks.zone.setCurrentText("Atlantis/Lost")
        ok(dialog)
        assert dialog.result() != ACCEPTED
        assert dialog.current_page() is asks and "time zone" in dialog.problem.text()
        asks.zone.setCurrentText("Asia/Kolkata")
        ok(dialog)

    assert settings_dialog(choose).result() == ACCEPTED
    assert stored_settings(window.ws) == {"timezone": "Asia/Kolkata"}

    def back_to_the_computers(dialog: SettingsDialog) -> None:
        asks = page(dialog, AsksPage)
        assert asks.zone.zone() == "Asia/Kolkata"
        asks.zone.setCurrentText(asks.zone.default)
        ok(dialog)

    settings_dialog(back_to_the_computers)
    assert stored_settings(window.ws) == {}
