"""Settings → Appearance: System, Light or Dark, for this computer.

Like the Team page's sync interval, the choice takes effect at once and is kept in the
app's settings (not in the workspace): OK and Cancel do not undo it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QComboBox

from socialdesk.qt.appearance import SCHEMES, apply_appearance, save_appearance, saved_appearance
from socialdesk.qt.settings_pages import FieldGrid, SettingsPage, explanation
from socialdesk.store.workspace import Workspace


class AppearancePage(SettingsPage):
    """The colour scheme: the system's, light or dark."""

    title = "Appearance"
    icon = "sun"

    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(ws, parent)
        self.layout_.addWidget(explanation(
            "How SocialDesk looks on this computer. “System” follows the light or dark "
            "setting of your desktop. The choice takes effect at once."))
        self.scheme = QComboBox()
        for key, name in SCHEMES.items():
            self.scheme.addItem(name, key)
        self.scheme.setCurrentIndex(self.scheme.findData(saved_appearance()))
        self.scheme.currentIndexChanged.connect(self._chosen)
        grid = FieldGrid()
        grid.add("Appearance:", self.scheme, "Light or dark colours, or the system's.")
        self.layout_.addLayout(grid)
        self.layout_.addStretch(1)

    def _chosen(self) -> None:
        scheme = str(self.scheme.currentData())
        save_appearance(scheme)
        apply_appearance(scheme)

    def load(self, values: Mapping[str, Any]) -> None:
        """No workspace settings: the scheme is this computer's."""

    def values(self) -> dict[str, Any]:
        """No workspace settings."""
        return {}

    def restore_defaults(self) -> None:
        """Back to the system's scheme."""
        self.scheme.setCurrentIndex(self.scheme.findData("system"))
