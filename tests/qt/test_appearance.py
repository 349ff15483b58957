"""Settings → Appearance: System, Light or Dark, applied at once and at the next start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QStyle, QStyleOptionButton

from socialdesk.qt.app import create_application
from socialdesk.qt.appearance import ReadableFusion, apply_appearance, is_dark, save_appearance
from socialdesk.qt.settings_dialog import SettingsDialog
from socialdesk.qt.settings_pages.appearance import AppearancePage


@pytest.fixture
def system_afterwards():
    create_application()
    yield
    apply_appearance("system")


def appearance_page(qtbot, workspace) -> tuple[SettingsDialog, AppearancePage]:
    dialog = SettingsDialog(workspace)
    qtbot.addWidget(dialog)
    page = dialog.page(AppearancePage)
    assert isinstance(page, AppearancePage)
    return dialog, page


def test_dark_is_applied_at_once_and_kept_for_the_next_dialog(qtbot, workspace,
                                                              system_afterwards) -> None:
    _dialog, page = appearance_page(qtbot, workspace)
    assert page.scheme.currentText() == "System" and not is_dark()
    page.scheme.setCurrentIndex(page.scheme.findText("Dark"))
    assert is_dark()
    _again, shown = appearance_page(qtbot, workspace)
    assert shown.scheme.currentText() == "Dark"
    page.scheme.setCurrentIndex(page.scheme.findText("System"))
    assert not is_dark()


def test_an_unticked_check_box_stands_out_on_dark(qtbot, system_afterwards) -> None:
    apply_appearance("dark")
    box = QCheckBox("Asked")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    image = box.grab().toImage()
    option = QStyleOptionButton()
    box.initStyleOption(option)
    square = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    background = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    edge = [image.pixelColor(square.left(), y).lightness()
            for y in range(square.top() + 2, square.bottom() - 1)]
    assert min(edge) - background.lightness() >= 40, "the unticked box's outline shows"


def test_light_colours_paint_without_python_in_each_primitive(qtbot,
                                                              system_afterwards) -> None:
    """Qt's own Fusion on light colours: a style of ours would run Python for every
    primitive painted (startup +15 % of CPU; each repaint waits for the interpreter lock
    while a worker runs). The readable outline is needed on dark colours only."""
    for scheme, dark in (("system", False), ("dark", True), ("light", False),
                         ("dark", True), ("system", False)):
        apply_appearance(scheme)
        style = QApplication.style()
        assert is_dark() == dark, scheme
        assert isinstance(style, ReadableFusion) == dark, scheme
        assert dark or style.name() == "fusion", scheme


def test_the_saved_appearance_is_applied_at_startup(demo_path: Path, tmp_path: Path,
                                                    system_afterwards) -> None:
    save_appearance("dark")
    shot = tmp_path / "dark.png"
    subprocess.run([sys.executable, "-m", "socialdesk", "--workspace", str(demo_path),
                    "--screenshot", str(shot)], check=True, timeout=120, env=os.environ)
    image = QImage(str(shot))
    assert image.pixelColor(image.width() - 5, image.height() // 2).lightness() < 100


def test_switching_to_dark_repaints_the_sidebar_and_the_charts(window, qtbot,
                                                               system_afterwards) -> None:
    from socialdesk.qt.reports.charts import ChartView

    window.show_view("reports")
    qtbot.waitUntil(lambda: any(v.chart() and v.chart().axes()
                                for v in window.findChildren(ChartView)), timeout=20_000)
    apply_appearance("dark")
    text = QGuiApplication.palette().color(QPalette.ColorRole.Text)
    sidebar = window.sidebar

    def sidebar_is_dark() -> bool:
        image = sidebar.grab().toImage()
        return image.pixelColor(sidebar.width() // 2, sidebar.height() - 10).lightness() < 80

    qtbot.waitUntil(sidebar_is_dark, timeout=5_000)
    for view in window.findChildren(ChartView):
        if view.chart() is not None:
            assert {a.labelsColor().name() for a in view.chart().axes()} - {"#7bc67e"} \
                <= {text.name()}, type(view).__name__


def test_button_icons_follow_a_switch_to_dark(window, qtbot, system_afterwards) -> None:
    window.show_view("contacts")
    qtbot.waitUntil(lambda: window.pending_view is None)
    button = window.views["contacts"].new_button

    def lightest() -> int:
        image = button.icon().pixmap(16, 16).toImage()
        return max(image.pixelColor(x, y).lightness() for x in range(image.width())
                   for y in range(image.height()) if image.pixelColor(x, y).alpha() > 200)

    assert lightest() < 100
    apply_appearance("dark")
    assert lightest() > 180, "drawn in the dark palette's light text colour"
