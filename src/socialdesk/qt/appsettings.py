"""The app's own settings (window geometry, last view), kept in the config folder."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from socialdesk.core.paths import config_dir


def app_settings() -> QSettings:
    """SocialDesk's settings file (an INI file, so tests can isolate it in a temp folder)."""
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "socialdesk.ini"), QSettings.Format.IniFormat)
