"""The one confirmation dialog: its button names the action ("Delete post"), never Yes."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from socialdesk import APP_NAME


def confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    """Ask before ``action`` (the button's text); True when the user chose it.

    Cancel is the default button and what Escape or closing the dialog means.
    """
    box = QMessageBox(QMessageBox.Icon.Question, f"{title} — {APP_NAME}", text,
                      QMessageBox.StandardButton.NoButton, parent)
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    try:
        box.exec()
        return box.clickedButton() is go
    finally:
        box.deleteLater()
