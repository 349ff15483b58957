"""Settings stay where the user (or a portable install) put them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

OPEN_A_FILE_DIALOG = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog
from socialdesk.qt.app import create_application

app = create_application()
dialog = QFileDialog(None, "Export", ".")
dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
QTimer.singleShot(100, dialog.reject)
dialog.exec()
del dialog
"""


def test_the_file_dialog_keeps_its_settings_in_socialdesks_config_folder(tmp_path: Path) -> None:
    """Qt's file dialog saves its recent folders in ``QtProject.conf``: that file belongs
    in ``SOCIALDESK_CONFIG_DIR``, never in the user's ``~/.config``."""
    home, xdg, config = tmp_path / "home", tmp_path / "xdg", tmp_path / "portable-config"
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(xdg),
           "SOCIALDESK_CONFIG_DIR": str(config), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    subprocess.run([sys.executable, "-c", OPEN_A_FILE_DIALOG], env=env, check=True,
                   timeout=60, capture_output=True)
    assert (config / "QtProject.conf").is_file()
    written_elsewhere = [p for p in (home, xdg) if p.exists() and any(p.rglob("*.conf"))]
    assert written_elsewhere == []
