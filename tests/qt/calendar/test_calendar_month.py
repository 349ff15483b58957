"""The month grid's drawing: today's marker."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette


@pytest.mark.parametrize("size", [(1900, 520), (700, 900)])
def test_the_month_marks_today_with_a_circle_whatever_the_cells_shape(
        calendar_view, monkeypatch, size) -> None:
    from socialdesk.core.clock import today

    monkeypatch.setenv("SOCIALDESK_TODAY", "2031-03-20")
    calendar_view.resize(*size)
    calendar_view.refresh()
    grid = calendar_view.grid
    cell = grid.day_rect(today())
    assert cell is not None and cell.width() != cell.height()
    marker = grid.today_marker(cell)
    assert marker.width() == marker.height()
    assert cell.contains(marker.toRect())
    image = grid.grab().toImage()
    highlight = grid.palette().color(QPalette.ColorRole.Highlight).rgb()
    middle = marker.center().toPoint()
    assert image.pixelColor(middle.x(), int(marker.top()) + 3).rgb() == highlight
    assert image.pixelColor(int(marker.right()) + 2, middle.y()).rgb() != highlight
