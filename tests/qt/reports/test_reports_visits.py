"""Reports: the visits each partner's tracked links brought, beside the reach via them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from clicks_samples import two_partners
from socialdesk.core.share.clicks import import_clicks
from socialdesk.qt.main_window import MainWindow
from socialdesk.qt.reports.view import ReportsView


def test_the_partner_table_shows_imported_visits(open_window, demo_path: Path,
                                                 tmp_path: Path, qtbot) -> None:
    from socialdesk.store.workspace import Workspace

    with Workspace.open(demo_path) as ws:
        corner, _ = two_partners(ws)
        export = tmp_path / "clicks.csv"
        export.write_text("date,utm_source,visits\n2026-11-02,corner-cafe,1234\n",
                          encoding="utf-8")
        import_clicks(ws, export)
    window: MainWindow = open_window(demo_path)
    view = window.show_view("reports")
    assert isinstance(view, ReportsView)
    model = view.partner_model
    column = next(c for c in range(model.columnCount())
                  if model.headerData(c, Qt.Orientation.Horizontal) == "Visits")
    shown = {model.rows[r].name: model.index(r, column) for r in range(model.rowCount())}
    assert model.data(shown[corner.name]) == "1.2k"
    assert model.data(shown[corner.name], Qt.ItemDataRole.ToolTipRole) == "1,234"
    assert {model.data(index) for name, index in shown.items() if name != corner.name} == {"0"}
