"""Icons: every symbol the app uses draws, sharp, in the colour asked for."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from socialdesk.core.paths import resources_dir
from socialdesk.qt.app import create_application
from socialdesk.qt.icons import BRAND_COLOURS, brand_icon, readable_brand_icon, ui_icon
from socialdesk.qt.main_window import VIEWS


def _opaque_colours(image: QImage) -> set[str]:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    pixels = (QColor.fromRgba(image.pixel(x, y))
              for x in range(image.width()) for y in range(image.height()))
    return {colour.name() for colour in pixels if colour.alpha() == 255}


def _image(icon, size: int) -> QImage:
    return icon.pixmap(QSize(size, size), 2.0).toImage()


@pytest.fixture(autouse=True)
def _app(qapp):
    create_application()


@pytest.mark.parametrize("name", sorted({icon for _, _, icon, _ in VIEWS}))
def test_sidebar_icons_draw_at_twice_the_size_in_the_colour_asked(name: str) -> None:
    image = _image(ui_icon(name, "#336699", 24), 24)

    assert image.width() == 48  # sharp on a high-DPI screen
    assert _opaque_colours(image) == {"#336699"}


def test_every_ui_symbol_file_draws() -> None:
    for svg in sorted((resources_dir() / "icons" / "ui").glob("*.svg")):
        assert _opaque_colours(_image(ui_icon(svg.stem, "#000000"), 24)), svg.name


def test_an_unknown_ui_icon_is_empty_rather_than_an_error() -> None:
    assert ui_icon("no-such-symbol", "#000000").isNull()


@pytest.mark.parametrize("platform", sorted(BRAND_COLOURS))
def test_networks_show_their_mark_in_their_brand_colour(platform: str) -> None:
    colours = _opaque_colours(_image(brand_icon(platform, 16), 16))

    assert BRAND_COLOURS[platform].lower() in colours


def test_platforms_that_are_not_networks_get_a_plain_symbol() -> None:
    assert _opaque_colours(_image(brand_icon("newsletter", 16), 16)) == {"#6b6b6b"}
    assert _opaque_colours(_image(brand_icon("fax-machine", 16), 16)) == {"#6b6b6b"}


def test_black_marks_turn_light_on_a_dark_background() -> None:
    on_dark = _image(readable_brand_icon("x", 16, QColor("#202020")), 16)
    on_light = _image(readable_brand_icon("x", 16, QColor("#ffffff")), 16)

    assert _opaque_colours(on_dark) == {"#e0e0e0"}
    assert _opaque_colours(on_light) == {"#000000"}
