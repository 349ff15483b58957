"""A post's media files: copied into a folder beside the workspace file.

The folder of ``bakery.sqlite`` is ``bakery.media/``; the store keeps paths relative to
it, so the workspace and its folder can move together. A stored path comes from
elsewhere too (an import, a synced event, a restored backup), and publishing uploads the
file found there: :func:`stays_inside` is the one check of such a path, and
:func:`media_path` never resolves one that leaves the folder.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path, PurePosixPath, PureWindowsPath

MAX_PATH = 4096
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class MediaPathError(ValueError):
    """A stored media path that would leave the media folder."""


def stays_inside(relative: str) -> bool:
    r"""Whether ``relative`` names a file inside the media folder on every system.

    Refused: empty, absolute (``/x``, ``\x``), with a drive (``C:x``, ``C:\x``), with
    ``..``, with control characters, or longer than :data:`MAX_PATH`.
    """
    if not relative or len(relative) > MAX_PATH or _CONTROL.search(relative):
        return False
    posix, windows = PurePosixPath(relative), PureWindowsPath(relative)
    return not (posix.is_absolute() or windows.anchor or ".." in posix.parts
                or ".." in windows.parts)


def media_folder(workspace_path: Path) -> Path:
    """The media folder of the workspace at ``workspace_path`` (it may not exist yet)."""
    return workspace_path.with_name(f"{workspace_path.stem}.media")


def media_path(workspace_path: Path, relative: str) -> Path:
    """Where a stored media path is on disk; :class:`MediaPathError` if it leaves the folder."""
    if not stays_inside(relative):
        raise MediaPathError(f"{relative[:80]!r} is not a file of the media folder")
    return media_folder(workspace_path) / relative


def copy_into_media(workspace_path: Path, source: Path) -> str:
    """Copy ``source`` into the media folder under a free name; return the stored path.

    A file already in the media folder is not copied again. Raises ``OSError`` when the
    file cannot be read or the folder cannot be written.
    """
    folder = media_folder(workspace_path)
    source = Path(source)
    try:
        return source.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        pass  # outside the media folder: copy it in
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    number = 2
    while target.exists():
        target = folder / f"{source.stem} ({number}){source.suffix}"
        number += 1
    shutil.copy2(source, target)
    return target.name
