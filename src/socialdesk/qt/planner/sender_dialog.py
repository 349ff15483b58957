"""Who signs the asks: asked once, the first time asks are made without a sender set.

The name starts as the computer's user name; both are workspace settings, editable later
in Settings → Asks.
"""

from __future__ import annotations

import getpass
import os

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from socialdesk.qt.keyboard import keyboard_ready
from socialdesk.qt.view_base import muted, section_title


def os_user_name() -> str:
    """The user's full name as the system knows it, else their login name ("" if none)."""
    try:
        import pwd  # not on Windows

        full = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
        if full:
            return full
    except (ImportError, KeyError, AttributeError):
        pass
    try:
        return getpass.getuser().strip()
    except (OSError, KeyError, ImportError):
        return ""


class SenderDialog(QDialog):
    """Your name and your business, to sign the asks and share kits with."""

    def __init__(self, name: str = "", business: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is asking?")
        self.name = QLineEdit(name or os_user_name())
        self.name.setPlaceholderText("Your name")
        self.business = QLineEdit(business)
        self.business.setPlaceholderText("Your business, e.g. Ruiz Bakery")
        for edit in (self.name, self.business):
            edit.setMinimumWidth(320)
        form = QFormLayout()
        form.addRow("Your name:", self.name)
        form.addRow("Business:", self.business)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
        self.skip_button = self.buttons.addButton("Skip",
                                                  QDialogButtonBox.ButtonRole.RejectRole)
        self.skip_button.setToolTip("Send the asks without a name under them")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(section_title("Who signs your asks?"))
        info = muted("Partners are more likely to share when they see who is asking. Your name "
                     "and business go under each message and on the share kits. You can "
                     "change them later in Settings → Asks.")
        layout.addWidget(info)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.business.setFocus()
        keyboard_ready(self)

    def values(self) -> tuple[str, str]:
        """The name and business typed (stripped)."""
        return self.name.text().strip(), self.business.text().strip()
