"""The reports' colours: the same meaning wherever they appear (charts, tiles, PDF)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

OWN = QColor("#4c78a8")  # own reach
PARTNER = QColor("#f58518")  # reach through partners
RATIO = QColor("#2f7d32")  # the leverage ratio
PREDICTED = QColor("#7f7f7f")  # "as predicted"


def ratio_colour(palette: QPalette) -> QColor:
    """The leverage ratio's green, lighter on a dark palette so that it stays readable."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QColor("#7bc67e") if dark else RATIO
