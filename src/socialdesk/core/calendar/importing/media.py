"""A post's media files as a calendar file lists them, read back within bounds.

Both exports list each file by its path relative to the workspace's media folder, with
its alt text: the CSV in the ``media`` and ``alt_text`` cells (one per line, same
order), the .ics in a ``Media:`` paragraph of the DESCRIPTION. A post keeps at most
:data:`MAX_MEDIA` of them (networks take 20 at most); a path that would leave the media
folder (absolute, ``..``, a drive), holds control characters or is longer than
``core.calendar.media.MAX_PATH`` is left out (``stays_inside``), since publishing sends the
file found there.
"""

from __future__ import annotations

from collections.abc import Iterable

from socialdesk.core.calendar.media import stays_inside

MAX_MEDIA = 100
Media = tuple[str, str]  # (path relative to the media folder, alt text)


def _shown(path: str) -> str:
    return repr(path if len(path) <= 60 else path[:60] + "…")


def first_lines(cell: str, most: int = MAX_MEDIA) -> tuple[list[str], bool]:
    """The first ``most`` lines of a cell (any line break), and whether it has more."""
    lines = cell.replace("\r\n", "\n").replace("\r", "\n").split("\n", most)
    return lines[:most], len(lines) > most


def take_media(entries: Iterable[Media], *, more: bool = False
               ) -> tuple[tuple[Media, ...], list[str]]:
    """The files of ``entries`` a post keeps (alt texts stripped), and notes on the others.

    Entries with a blank path are skipped; reading stops after :data:`MAX_MEDIA` files.
    ``more``: ``entries`` were cut after that many already.
    """
    kept: list[Media] = []
    notes: list[str] = []
    refused, first_refused = 0, ""
    for path, alt in entries:
        if not path.strip():
            continue
        if not stays_inside(path):
            refused += 1
            first_refused = first_refused or path
            continue
        if len(kept) == MAX_MEDIA:
            more = True
            break
        kept.append((path, alt.strip()))
    if more:
        notes.append(f"more than {MAX_MEDIA} media files: those after the first {MAX_MEDIA} "
                     "were left out.")
    if refused:
        others = f" (and {refused - 1} more)" if refused > 1 else ""
        notes.append(f"media file {_shown(first_refused)}{others} left out: a media path is a file "
                     "in the workspace's media folder.")
    return tuple(kept), notes
