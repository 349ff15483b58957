"""A post's media files: copied into a folder beside the workspace file.

The folder of ``bakery.sqlite`` is ``bakery.media/``; the store keeps paths relative to
it, so the workspace and its folder can move together.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def media_folder(workspace_path: Path) -> Path:
    """The media folder of the workspace at ``workspace_path`` (it may not exist yet)."""
    return workspace_path.with_name(f"{workspace_path.stem}.media")


def media_path(workspace_path: Path, relative: str) -> Path:
    """Where a stored media path is on disk."""
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
