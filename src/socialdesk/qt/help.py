"""The Help menu's commands: the user guide, the licences and "Report a problem…"."""

from __future__ import annotations

import html
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from socialdesk import APP_NAME, __version__
from socialdesk.core.paths import resources_dir

APP_LICENCE = "MIT"
# The libraries the app is built on, by distribution name, in the order listed.
LIBRARIES = ("PySide6-Essentials", "PySide6-Addons", "shiboken6", "sqlite-utils", "icalendar",
             "python-dateutil", "keyring", "cryptography", "httpx", "numpy", "rapidfuzz",
             "pillow", "platformdirs", "tzlocal", "defusedxml")
QT_NOTE = ("Qt and PySide6 are used under the GNU Lesser General Public License v3 "
           "(LGPL-3.0): you may replace the Qt libraries shipped with the app with your own "
           "build. Their source is at https://code.qt.io.")
LAST_ERROR = "lastError"  # the application object's property: the last unexpected error


def user_guide_path() -> Path:
    """The README shipped with the app (beside ``resources/``, in a bundle as in the source)."""
    return resources_dir().parent / "README.md"


def open_user_guide(parent: QWidget) -> None:
    """Help → User guide: open the README in the program the system uses for it."""
    path = user_guide_path()
    if not path.is_file() or not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        QMessageBox.warning(parent, f"User guide — {APP_NAME}",
                            f"{path}: the user guide could not be opened.")


def _licence(name: str) -> tuple[str, str]:
    """A library's version and licence, as its installed metadata gives them."""
    from importlib import metadata

    try:
        data = metadata.metadata(name)
    except metadata.PackageNotFoundError:
        return "", "not installed"
    licence = data.get("License-Expression") or data.get("License") or ""
    if not licence or len(licence) > 60:  # some packages put the whole text there
        kinds = [c.split(" :: ")[-1] for c in data.get_all("Classifier") or []
                 if c.startswith("License ::")]
        licence = " / ".join(kinds) or "see the package"
    return data.get("Version") or "", licence


def licences_html() -> str:
    """The app's licence and its libraries', as the licences dialog shows them."""
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{html.escape(version)}</td>"
        f"<td>{html.escape(licence)}</td></tr>"
        for name, (version, licence) in ((n, _licence(n)) for n in LIBRARIES))
    return (f"<h3>{APP_NAME} {__version__}</h3><p>{APP_NAME} is free software under the "
            f"{APP_LICENCE} licence.</p><p>{html.escape(QT_NOTE)}</p>"
            f"<p>Qt {qVersion()}; Python {sys.version.split()[0]} (PSF licence).</p>"
            "<table cellpadding='3'><tr><th align='left'>Library</th>"
            "<th align='left'>Version</th><th align='left'>Licence</th></tr>"
            f"{rows}</table>")


class LicencesDialog(QDialog):
    """Help → Licences: the app's licence and the libraries' it is built on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Licences — {APP_NAME}")
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(licences_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(560, 480)


def show_licences(parent: QWidget) -> None:
    """Show the licences dialog (closed with Close or Escape)."""
    dialog = LicencesDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def remember_error(kind: type[BaseException], error: BaseException,
                   trace: TracebackType | None) -> None:
    """Keep an unexpected error for "Report a problem…" (the app's ``sys.excepthook``)."""
    app = QApplication.instance()
    if app is not None:
        app.setProperty(LAST_ERROR, "".join(traceback.format_exception(kind, error, trace)))


def install_error_memory() -> None:
    """Remember each unexpected error, then let the hook there was handle it too."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException,
             trace: TracebackType | None) -> None:
        remember_error(kind, error, trace)
        previous(kind, error, trace)

    sys.excepthook = hook


def problem_report() -> str:
    """What a problem report needs: versions, platform and the last unexpected error."""
    import platform

    import PySide6

    app = QApplication.instance()
    last = app.property(LAST_ERROR) if app is not None else None
    return (f"{APP_NAME} {__version__}\n"
            f"Platform: {platform.platform()} ({QGuiApplication.platformName()})\n"
            f"Python {sys.version.split()[0]}, Qt {qVersion()}, PySide6 {PySide6.__version__}\n"
            f"Last error: {last.strip() if last else 'none'}\n")


def report_problem(parent: QWidget) -> None:
    """Help → Report a problem…: copy the report to the clipboard and say so."""
    text = problem_report()
    QGuiApplication.clipboard().setText(text)
    QMessageBox.information(
        parent, f"Report a problem — {APP_NAME}",
        "These details are now on the clipboard: paste them into your report, with what "
        f"you did just before.\n\n{text}")
