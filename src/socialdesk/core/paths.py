"""Where SocialDesk keeps its files: platform folders, overridable by environment.

``SOCIALDESK_DATA_DIR``, ``SOCIALDESK_CONFIG_DIR`` and ``SOCIALDESK_CACHE_DIR`` replace
the platform folders (tests and portable installs use them); ``SOCIALDESK_WORKSPACE``
names the workspace.
Nothing is created or read at import time.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from socialdesk import APP_NAME

WORKSPACE_FILENAME = "workspace.sqlite"


def data_dir() -> Path:
    """The folder for workspaces, media and backups."""
    override = os.environ.get("SOCIALDESK_DATA_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs  # here: ~25 ms at startup, which the overrides do without

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The folder for the app's own settings (window geometry, recent workspaces)."""
    override = os.environ.get("SOCIALDESK_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """The folder for what can be worked out again (the planner's partners between runs)."""
    override = os.environ.get("SOCIALDESK_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    data = os.environ.get("SOCIALDESK_DATA_DIR")
    if data:  # a portable install keeps everything in its folders
        return Path(data).expanduser() / "cache"
    if sys.platform.startswith("linux"):  # the XDG cache folder, without platformdirs' import
        return Path(os.environ.get("XDG_CACHE_HOME", "").strip() or "~/.cache").expanduser() \
            / APP_NAME
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_workspace() -> Path:
    """The workspace SocialDesk opens when none is named."""
    return data_dir() / WORKSPACE_FILENAME


def resolve_workspace(explicit: str | os.PathLike[str] | None) -> Path:
    """The workspace to use: ``--workspace``, else ``SOCIALDESK_WORKSPACE``, else the default."""
    chosen = explicit or os.environ.get("SOCIALDESK_WORKSPACE")
    return Path(chosen).expanduser() if chosen else default_workspace()


@cache
def resources_dir() -> Path:
    """The ``resources/`` folder: inside a PyInstaller bundle, or beside ``src/``.

    Worked out once: it cannot move while the app runs, and icons ask for it often.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[3] / "resources"
