"""The Help menu: the user guide, the licences and "Report a problem…"."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QUrl, Slot, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication

from socialdesk import __version__
from socialdesk.qt.help import LicencesDialog, remember_error


def help_action(window, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


class Opened(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_the_user_guide_opens_the_readme_shipped_with_the_app(window) -> None:
    from pathlib import Path

    opened = Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        help_action(window, "User guide").trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    [url] = opened.urls
    guide = Path(url.toLocalFile())
    assert guide.name == "README.md" and guide.read_text(encoding="utf-8").startswith("#")
    spec = (Path(__file__).parents[2] / "packaging" / "socialdesk.spec").read_text()
    assert 'ROOT / "README.md"' in spec, "the packaged app ships the guide too"


def test_the_licences_name_the_apps_and_qts(window, qtbot) -> None:
    help_action(window, "Licences").trigger()
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, LicencesDialog) and w.isVisible())
    text = dialog.text.toPlainText()
    assert "MIT licence" in text
    assert "LGPL-3.0" in text and "PySide6-Essentials" in text and "icalendar" in text
    dialog.close()


def test_report_a_problem_copies_versions_and_the_last_error(window, confirmations) -> None:
    confirmations.answer = "OK"
    try:
        raise RuntimeError("the planner fell over")
    except RuntimeError as error:
        remember_error(type(error), error, error.__traceback__)
    help_action(window, "Report a problem…").trigger()
    copied = QGuiApplication.clipboard().text()
    assert f"SocialDesk {__version__}" in copied and f"Qt {qVersion()}" in copied
    assert sys.platform[:3].lower() in copied.lower() or "Platform:" in copied
    assert "RuntimeError: the planner fell over" in copied
    assert "clipboard" in confirmations.texts[0]
