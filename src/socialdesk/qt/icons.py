"""Icons: the app icon, UI symbols (Lucide) tinted to the palette, network marks."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QImageReader,
    QPainter,
    QPalette,
    QPixmap,
)

from socialdesk.core.paths import resources_dir


def app_icon() -> QIcon:
    """The SocialDesk icon in every size that ships."""
    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = folder / f"socialdesk-{size}.png"
        if png.exists():
            icon.addFile(str(png), QSize(size, size))
    return icon


def _render(svg: bytes, size: int, ratio: float = 2.0) -> QPixmap:
    """Draw SVG at ``size`` logical pixels, sharp on screens with ``ratio`` device pixels.

    Qt's SVG image plugin draws it, the same renderer as ``QSvgRenderer`` pixel for pixel,
    without importing the QtSvg Python module (30 ms of every start).
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(svg))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, b"svg")
    pixels = round(size * ratio)
    reader.setScaledSize(QSize(pixels, pixels))
    pixmap = QPixmap.fromImage(reader.read())
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


@cache
def _tinted_svg(path: str, colour: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read().replace(b"currentColor", colour.encode())


def ui_icon(name: str, colour: QColor | str, size: int = 24) -> QIcon:
    """A Lucide UI icon (``resources/icons/ui/NAME.svg``) drawn in ``colour``."""
    return _ui_icon(name, QColor(colour).name(), size)


@cache
def _ui_icon(name: str, hex_colour: str, size: int) -> QIcon:
    path = resources_dir() / "icons" / "ui" / f"{name}.svg"
    if not path.exists():
        return QIcon()
    return QIcon(_render(_tinted_svg(str(path), hex_colour), size))


class _PaletteIconEngine(QIconEngine):
    """Draws a UI icon in a colour of the palette in use when painted (light or dark)."""

    def __init__(self, name: str, role: QPalette.ColorRole, size: int) -> None:
        super().__init__()
        self.name, self.role, self.size = name, role, size

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        """The icon in the palette's colour (its disabled colour for a disabled icon)."""
        group = (QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled
                 else QPalette.ColorGroup.Active)
        colour = QGuiApplication.palette().color(group, self.role).name()
        return _ui_icon(self.name, colour, self.size).pixmap(size)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,
              state: QIcon.State) -> None:
        """Draw the pixmap into ``rect``."""
        painter.drawPixmap(rect, self.pixmap(rect.size(), mode, state))

    def clone(self) -> QIconEngine:
        """A copy (QIcon copies its engine)."""
        return _PaletteIconEngine(self.name, self.role, self.size)


def palette_icon(name: str, role: QPalette.ColorRole = QPalette.ColorRole.Text,
                 size: int = 16) -> QIcon:
    """A Lucide UI icon in the palette's ``role`` colour, following light ↔ dark switches."""
    return QIcon(_PaletteIconEngine(name, role, size))


# Each network's own brand colour for its mark (Simple Icons' values).
BRAND_COLOURS = {
    "instagram": "#E4405F", "facebook": "#0866FF", "x": "#000000", "tiktok": "#000000",
    "threads": "#000000", "mastodon": "#6364FF", "bluesky": "#1185FE", "youtube": "#FF0000",
    "pinterest": "#BD081C", "google": "#4285F4", "substack": "#FF6719", "linkedin": "#0A66C2",
}


# Platforms that are not networks get a plain symbol instead of a brand mark.
GENERIC_SYMBOLS = {"newsletter": "mail", "blog": "rss", "email": "mail"}


@cache
def brand_icon(platform: str, size: int = 16, colour: str | None = None) -> QIcon:
    """A network's mark (or a plain symbol for newsletter, blog and other platforms)."""
    name = {"google_business": "google"}.get(platform, platform)
    path = resources_dir() / "icons" / "brands" / f"{name}.svg"
    if not path.exists():
        return ui_icon(GENERIC_SYMBOLS.get(name, "globe"), colour or "#6b6b6b", size)
    fill = colour or BRAND_COLOURS.get(name, "#555555")
    svg = _tinted_svg(str(path), fill)
    if b"currentColor" not in path.read_bytes():
        svg = svg.replace(b"<path ", f'<path fill="{fill}" '.encode(), 1)
    return QIcon(_render(svg, size))


def readable_brand_icon(platform: str, size: int, background: QColor) -> QIcon:
    """A network's mark that stays visible on ``background``.

    Black marks (X, TikTok, Threads) are drawn in a light grey on a dark palette.
    Each (platform, size, light or dark) is drawn once, then comes from a cache.
    """
    return _readable_brand_icon(platform, size, background.lightness() < 110)


@cache
def _readable_brand_icon(platform: str, size: int, dark: bool) -> QIcon:
    name = {"google_business": "google"}.get(platform, platform)
    if dark and BRAND_COLOURS.get(name, "").lower() == "#000000":
        return brand_icon(platform, size, "#e0e0e0")
    if dark and name not in BRAND_COLOURS:  # plain symbols (newsletter, blog, …)
        return brand_icon(platform, size, "#c8c8c8")
    return brand_icon(platform, size)
