"""Reports → Best times: own reach by weekday × hour as a heat map, or how many posts it needs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtGui import QPalette

from socialdesk.core.settings import update_setting
from socialdesk.qt.app import create_application
from socialdesk.qt.reports import view as reports_view
from socialdesk.qt.reports.best_times_panel import heat_colours
from socialdesk.qt.reports.view import TAB_BEST_TIMES, ReportsView
from socialdesk.store.models import PostDraft
from socialdesk.store.post_writes import create_post
from socialdesk.store.workspace import Workspace


def _published(ws: Workspace, count: int) -> None:
    """Two in three on Tuesdays at 18:00 (reach 900), the others Mondays at 09:00 (200)."""
    update_setting(ws, "timezone", "Europe/London")
    start = date(2026, 1, 6)  # a Tuesday
    for number in range(count):
        tuesday = number % 3 != 2
        day = start + timedelta(weeks=number) - timedelta(days=0 if tuesday else 1)
        create_post(ws, PostDraft(
            title=f"Past {number}", status="published", scheduled_on=day.isoformat(),
            scheduled_time="18:00" if tuesday else "09:00", reach=900 if tuesday else 200))


def _view(qtbot, ws: Workspace) -> ReportsView:
    create_application()
    view = ReportsView(ws)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    view.refresh()
    view.tabs.setCurrentIndex(TAB_BEST_TIMES)
    return view


def test_too_few_posts_say_how_many_there_are(qtbot, workspace: Workspace) -> None:
    _published(workspace, 7)
    view = _view(qtbot, workspace)
    panel = view.best_times
    assert panel.currentIndex() == 1  # the message, not the heat map
    assert panel.message.text() == ("Best times appear after 20 published posts with results "
                                     "(you have 7).")


def test_the_heat_map_shows_reach_by_weekday_and_hour_with_the_best_outlined(
        qtbot, workspace: Workspace) -> None:
    _published(workspace, 24)
    view = _view(qtbot, workspace)
    panel = view.best_times
    assert panel.currentIndex() == 0
    heat_map = panel.heat_map
    assert heat_map.grid.posts[1][18] == 16 and heat_map.grid.posts[0][9] == 8
    assert heat_map.best == [(1, 18), (0, 9)]
    assert panel.summary.text().startswith(
        "Best hours, from 24 posts: Tuesdays 18:00–18:59: average reach 900 over 16 posts")
    image = heat_map.grab().toImage()
    empty, low, high = heat_colours(heat_map.palette())
    middle = heat_map.cell_rect(1, 18).center().toPoint()
    assert image.pixelColor(middle) == high  # the most reach: the deepest colour
    assert image.pixelColor(heat_map.cell_rect(0, 9).center().toPoint()) == low
    assert image.pixelColor(heat_map.cell_rect(3, 3).center().toPoint()) == empty


def test_the_colours_read_on_a_dark_palette(qtbot, workspace: Workspace) -> None:
    view = _view(qtbot, workspace)
    palette = QPalette(view.palette())
    palette.setColor(QPalette.ColorRole.Window, "#202020")
    palette.setColor(QPalette.ColorRole.Base, "#181818")
    palette.setColor(QPalette.ColorRole.WindowText, "#eeeeee")
    empty, low, high = heat_colours(palette)
    assert high.lightness() > 128 and empty.lightness() < 60 and low.lightness() < high.lightness()


def test_a_big_workspace_reads_the_grid_on_a_worker(qtbot, workspace: Workspace,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _published(workspace, 21)
    monkeypatch.setattr(reports_view, "BACKGROUND_ABOVE", 0)
    view = _view(qtbot, workspace)
    assert view.overview is None  # not read on the GUI thread
    qtbot.waitUntil(lambda: view.best_times.heat_map.grid.total == 21, timeout=10_000)
    assert view.best_times.currentIndex() == 0
