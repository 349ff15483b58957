"""The post editor's media files: the list, with each file's alt text.

A stored file is listed by its path in the workspace's media folder (relative); a file
just picked by its absolute path, shown by name, until saving copies it in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QListWidget, QListWidgetItem, QWidget

from socialdesk.core.calendar import ics

ALT_ROLE = Qt.ItemDataRole.UserRole + 1  # a media item's description (alt text)
MEDIA_FILTER = ("Images and videos (*.jpg *.jpeg *.png *.gif *.webp *.heic *.mp4 *.mov);;"
                "All files (*)")


def _name(item: QListWidgetItem) -> str:
    path = str(item.data(Qt.ItemDataRole.UserRole))
    return Path(path).name if Path(path).is_absolute() else path


class MediaList(QListWidget):
    """The attached files in order, each with its alt text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaximumHeight(70)
        self.setAccessibleName("Media")

    def pick(self) -> None:
        """Pick files to attach (each once)."""
        names, _ = QFileDialog.getOpenFileNames(self, "Add media", str(Path.home()),
                                                MEDIA_FILTER)
        for name in names:
            if name not in self.paths():
                self.add(name)

    def add(self, path: str, alt: str = "") -> None:
        """List a stored path (relative) or a picked file (absolute)."""
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, path)
        self.addItem(item)
        self.set_alt_text(item, alt)

    def set_alt_text(self, item: QListWidgetItem, alt: str) -> None:
        """Give a listed file its description (alt text); one without says so."""
        path = str(item.data(Qt.ItemDataRole.UserRole))
        item.setData(ALT_ROLE, alt.strip())
        item.setText(_name(item) + ("" if alt.strip() else ics.NO_ALT))
        where = path if Path(path).is_absolute() else f"In the workspace's media folder: {path}"
        item.setToolTip(f"{where}\nAlt text: {alt.strip()}" if alt.strip() else
                        f"{where}\nNo alt text yet: choose it and click Alt text…")

    def ask_alt_text(self) -> bool:
        """Ask for the selected file's alt text; False when no file is selected."""
        item = self.currentItem()
        if item is None:
            return False
        text, ok = QInputDialog.getMultiLineText(
            self, "Alt text", f"Describe {_name(item)} for people who cannot see it:",
            str(item.data(ALT_ROLE) or ""))
        if ok:
            self.set_alt_text(item, text)
        return True

    def paths(self) -> tuple[str, ...]:
        """The attached files: stored (relative) paths and newly picked (absolute) ones."""
        return tuple(str(self.item(i).data(Qt.ItemDataRole.UserRole))
                     for i in range(self.count()))

    def alt_texts(self) -> tuple[str, ...]:
        """Each file's alt text, in the same order ("" for none)."""
        return tuple(str(self.item(i).data(ALT_ROLE) or "") for i in range(self.count()))

    def remove_selected(self) -> None:
        """Take the selected files off the list."""
        for item in self.selectedItems():
            self.takeItem(self.row(item))
