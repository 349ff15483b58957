"""The welcome panel an empty workspace opens on."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from socialdesk.qt.icons import app_icon
from socialdesk.qt.view_base import heading, muted


class WelcomePanel(QWidget):
    """Offers sample data or an import, so a new user never faces an empty window."""

    load_sample = Signal()
    import_contacts = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(96, 96))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = heading("Welcome to SocialDesk")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = muted(
            "Plan each post together with the people who already have an audience — "
            "partner businesses, bloggers, community groups and fans — and see how far "
            "it could go. Start with your own contacts, or look around a sample bakery first."
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setFixedWidth(520)
        text.setMinimumHeight(text.heightForWidth(520))
        self.sample_button = QPushButton("Load sample data")
        self.sample_button.setToolTip("Fill this workspace with a sample bakery's contacts, "
                                      "partners and three months of posts")
        self.import_button = QPushButton("Import contacts…")
        self.import_button.setToolTip("Bring in contacts from a vCard (.vcf) or CSV file "
                                      "exported from Google, Outlook, LinkedIn or Thunderbird")
        self.import_button.setDefault(True)
        for button in (self.sample_button, self.import_button):
            button.setMinimumHeight(36)
            button.setMinimumWidth(180)
        self.sample_button.clicked.connect(self.load_sample)
        self.import_button.clicked.connect(self.import_contacts)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.sample_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(logo)
        layout.addWidget(title)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(3)
