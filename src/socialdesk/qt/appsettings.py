"""The app's own settings (window geometry, last view), kept in the config folder."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from socialdesk.core.paths import config_dir


def keep_qt_settings_in_config_folder() -> None:
    """Keep Qt's own user settings (``QtProject.conf``) in SocialDesk's config folder.

    Qt's file dialog saves its recent folders there; pointed here, a portable install (or
    a test) writes nothing under ``~/.config``. Called once the application object exists.
    """
    folder = str(config_dir())
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)


def app_settings() -> QSettings:
    """SocialDesk's settings file (an INI file, so tests can isolate it in a temp folder)."""
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "socialdesk.ini"), QSettings.Format.IniFormat)
