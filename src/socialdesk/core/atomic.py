"""Atomic file replacement: an export either fully replaces its files or changes nothing."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


class ExportError(Exception):
    """An export that cannot be done; the message is meant for the user."""


class ExportCancelled(ExportError):
    """The user cancelled; the target file was left as it was."""


def _temp_beside(target: Path, binary: bool, encoding: str | None) -> tuple[IO[Any], Path]:
    fd, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    try:
        # mkstemp makes the file private (0600); an export gets the usual permissions,
        # or those of the file it replaces.
        try:
            mode = target.stat().st_mode & 0o777
        except OSError:
            mode = 0o644
        os.chmod(name, mode)
        if binary:
            handle: IO[Any] = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding=encoding, newline="")
    except BaseException:
        os.close(fd)
        Path(name).unlink(missing_ok=True)
        raise
    return handle, Path(name)


class AtomicFiles:
    """Several files written to temporaries beside their targets, then all moved in.

    Use as a context manager; :meth:`open` gives a handle for one target. When the
    block ends normally every temporary is flushed to disk and moved over its target
    with :func:`os.replace`; when it raises, the temporaries are deleted and the
    targets are untouched.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[IO[Any], Path, Path]] = []

    def open(self, target: Path, *, binary: bool = False, encoding: str = "utf-8") -> IO[Any]:
        """Return a writable handle whose content will replace ``target``."""
        handle, temp = _temp_beside(target, binary, None if binary else encoding)
        self._pending.append((handle, temp, target))
        return handle

    def __enter__(self) -> AtomicFiles:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                for handle, _temp, _target in self._pending:
                    handle.flush()
                    os.fsync(handle.fileno())
                    handle.close()
                for _handle, temp, target in self._pending:
                    os.replace(temp, target)
        finally:
            for handle, temp, _target in self._pending:
                with contextlib.suppress(OSError):
                    handle.close()
                temp.unlink(missing_ok=True)
            self._pending.clear()


@contextlib.contextmanager
def atomic_open(
    target: Path, *, binary: bool = False, encoding: str = "utf-8"
) -> Iterator[IO[Any]]:
    """Open ``target`` for writing so that it is replaced only if the block succeeds."""
    with AtomicFiles() as files:
        yield files.open(target, binary=binary, encoding=encoding)
