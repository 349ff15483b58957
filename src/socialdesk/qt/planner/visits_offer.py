"""Evidence of sharing: "Corner Café's link brought 42 visits — mark as shared?".

An ask still waiting whose tracked link brought visits (imported clicks) is offered as
shared, one at a time, the most visits first; nothing changes until the user says so.
"Not now" sets the offer aside while the view is open.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from socialdesk.store.models import AskRow


def offer_text(ask: AskRow, visits: int, *, with_post: bool = False) -> str:
    """``Corner Café's link brought 42 visits — mark as shared?``."""
    post = f" for “{ask.post_title}”" if with_post and ask.post_title else ""
    noun = "visit" if visits == 1 else "visits"
    return f"{ask.contact_name}'s link{post} brought {visits:,} {noun} — mark as shared?"


class VisitsOffer(QFrame):
    """One waiting ask with visits, offered as shared (hidden when there is none)."""

    mark_shared = Signal(object)  # the AskRow to record as shared

    def __init__(self, parent: QWidget | None = None, *, with_post: bool = False) -> None:
        """``with_post``: name the post too (a list of several posts' asks)."""
        super().__init__(parent)
        self.with_post = with_post
        self.offers: list[tuple[AskRow, int]] = []
        self.set_aside: set[int] = set()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setToolTip("Visits counted by your web analytics under this partner's "
                             "tracked link (File → Import… clicks)")
        self.accept_button = QPushButton("Mark as shared")
        self.accept_button.setToolTip("Record that they shared it (you can undo this)")
        self.accept_button.clicked.connect(self._accept)
        self.later_button = QPushButton("Not now")
        self.later_button.setToolTip("Leave the ask as it is")
        self.later_button.clicked.connect(self._later)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.accept_button)
        layout.addWidget(self.later_button)
        self.setVisible(False)

    @property
    def shown(self) -> tuple[AskRow, int] | None:
        """The ask offered now and its visits, or None."""
        return next(((a, v) for a, v in self.offers if a.id not in self.set_aside), None)

    def set_offers(self, offers: Sequence[tuple[AskRow, int]]) -> None:
        """Waiting asks with their visits, most visits first."""
        self.offers = list(offers)
        self._show()

    def _show(self) -> None:
        shown = self.shown
        if shown is not None:
            ask, visits = shown
            more = sum(1 for a, _v in self.offers if a.id not in self.set_aside) - 1
            self.text.setText(offer_text(ask, visits, with_post=self.with_post) + (
                f" ({more} more ask{'s' if more != 1 else ''} with visits)" if more else ""))
        self.setVisible(shown is not None)

    def _accept(self) -> None:
        shown = self.shown
        if shown is not None:
            self.set_aside.add(shown[0].id)
            self._show()
            self.mark_shared.emit(shown[0])

    def _later(self) -> None:
        shown = self.shown
        if shown is not None:
            self.set_aside.add(shown[0].id)
            self._show()
