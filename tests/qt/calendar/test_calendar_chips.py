"""What a post's chip in the month grid shows when the grid is narrow."""

from __future__ import annotations

from calendar_helpers import add_post
from PySide6.QtGui import QFontMetrics

from socialdesk.qt.calendar.chips import chip_contents


def test_month_cells_beside_the_editor_show_the_title_not_three_letters(window, qtbot) -> None:
    view = window.show_view("calendar")
    day = view.anchor.replace(day=12)
    post_id = add_post(window.ws, "Coffee and sausage rolls", day.isoformat(),
                       scheduled_time="17:30", channels=(("instagram", None),
                                                         ("facebook", None)))
    view.reload()
    view.edit_post(post_id)
    assert view.side.isVisible()
    rect = view.grid.chip_rect(post_id, day)
    assert rect is not None and rect.width() < 130  # at 1280 wide, beside the editor
    row = next(r for r in view.rows if r.id == post_id)
    _marks, text = chip_contents(row, rect.width(), rect.height(), QFontMetrics(view.grid.font()))
    shown = text.rstrip("…")
    assert len(shown) >= len("Coffee a") and "Coffee and sausage rolls".startswith(shown)
