"""Light or dark: the Appearance setting (System, Light, Dark), kept in the app settings.

Qt's own colour scheme (``QStyleHints.setColorScheme``) is asked first; where the platform
cannot switch (the offscreen platform, older desktops), the Fusion style with a light or
dark palette of its own stands in. On dark colours Fusion is wrapped in
:class:`ReadableFusion`; on light ones Qt's own Fusion paints alone, since a style of
ours runs Python for every primitive painted (a seventh more CPU to start, and each repaint
waits for the interpreter lock while a worker runs).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

from socialdesk.qt.appsettings import app_settings

APPEARANCE_KEY = "appearance/scheme"
SCHEMES = {"system": "System", "light": "Light", "dark": "Dark"}  # stored → shown
_QT_SCHEMES = {"system": Qt.ColorScheme.Unknown, "light": Qt.ColorScheme.Light,
               "dark": Qt.ColorScheme.Dark}
_FALLBACK = "fallbackPalette"  # the application's property: a palette of ours is set


class ReadableFusion(QProxyStyle):
    """Fusion, with check boxes whose outline shows on a dark background too.

    Fusion outlines an unticked box in the window colour darkened, which all but vanishes
    on dark colours; the outline here is the text colour, faded.
    """

    CHECKS = (QStyle.PrimitiveElement.PE_IndicatorCheckBox,
              QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck)

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        """Draw as Fusion does; then a readable outline around a check box."""
        super().drawPrimitive(element, option, painter, widget)
        if element in self.CHECKS:
            outline = QColor(option.palette.color(QPalette.ColorRole.Text))
            outline.setAlphaF(0.55)
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(outline)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
            painter.restore()


def use_fusion(app: QApplication, *, readable: bool = False) -> None:
    """The Fusion style for ``app``; ``readable``: with check boxes readable on dark colours."""
    style = app.style()
    if readable and not isinstance(style, ReadableFusion):
        app.setStyle(ReadableFusion())
    elif not readable and (isinstance(style, ReadableFusion) or style.name() != "fusion"):
        app.setStyle("Fusion")


def _is_fusion(style: QStyle) -> bool:
    return isinstance(style, ReadableFusion) or style.name() == "fusion"


def saved_appearance() -> str:
    """The scheme chosen in Settings (``system`` when none was)."""
    value = str(app_settings().value(APPEARANCE_KEY, "system"))
    return value if value in SCHEMES else "system"


def save_appearance(scheme: str) -> None:
    """Remember ``scheme`` for the next start."""
    app_settings().setValue(APPEARANCE_KEY, scheme)


def dark_palette() -> QPalette:
    """Fusion's colours on a dark background: text, fields and unticked boxes all readable."""
    roles = QPalette.ColorRole
    palette = QPalette()
    for role, colour in (
        (roles.Window, "#2b2b2e"), (roles.WindowText, "#e8e8ea"), (roles.Base, "#1f1f22"),
        (roles.AlternateBase, "#2a2a2e"), (roles.ToolTipBase, "#3a3a3f"),
        (roles.ToolTipText, "#f0f0f2"), (roles.PlaceholderText, "#9a9aa2"),
        (roles.Text, "#e8e8ea"), (roles.Button, "#35353a"), (roles.ButtonText, "#e8e8ea"),
        (roles.BrightText, "#ff6b6b"), (roles.Light, "#5a5a62"), (roles.Midlight, "#47474e"),
        (roles.Mid, "#6b6b74"), (roles.Dark, "#18181a"), (roles.Shadow, "#000000"),
        (roles.Highlight, "#3d7ee0"), (roles.HighlightedText, "#ffffff"),
        (roles.Link, "#7fb2ff"), (roles.LinkVisited, "#b99cff"), (roles.Accent, "#3d7ee0"),
    ):
        palette.setColor(role, QColor(colour))
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7c7c84"))
    return palette


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the colours in use are light text on a dark background."""
    shown = palette or QGuiApplication.palette()
    return shown.color(QPalette.ColorRole.Window).lightness() < 128


def apply_appearance(scheme: str) -> None:
    """Show the app in ``scheme`` now: the platform's own scheme, else a Fusion palette."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    hints = app.styleHints()
    if scheme == "system":
        hints.unsetColorScheme()
    else:
        hints.setColorScheme(_QT_SCHEMES[scheme])
    honoured = scheme != "system" and hints.colorScheme() == _QT_SCHEMES[scheme]
    if scheme == "system" or honoured:
        if app.property(_FALLBACK):  # back to the platform's colours
            app.setProperty(_FALLBACK, False)
            app.setPalette(QPalette())  # an empty palette: the platform's again
        if _is_fusion(app.style()):
            use_fusion(app, readable=scheme == "dark" or is_dark())
    else:
        use_fusion(app, readable=scheme == "dark")  # before the palette: a style resets it
        app.setProperty(_FALLBACK, True)
        app.setPalette(dark_palette() if scheme == "dark" else app.style().standardPalette())
    _restyle(app)


def _restyle(app: QApplication) -> None:
    """Widgets with a style sheet took their palette when it was set: set it again."""
    for widget in app.allWidgets():
        if widget.styleSheet():
            widget.style().unpolish(widget)
            widget.style().polish(widget)
