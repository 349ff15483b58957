"""One SocialDesk per workspace: a lock file beside it (``NAME.sqlite.lock``).

The lock file holds the owner's process id, host name and start time, so a refusal can
say who has the workspace open. While a process owns the lock it also holds an OS lock on
the file (``flock`` / ``msvcrt.locking``), which the system releases when the process
dies — so a lock left by a crash is recognised and taken over. Where the OS lock is not
available, a lock from this host whose process is no longer alive counts as stale. A lock
from another host (a workspace on a shared folder) is never taken over silently.

The owner is written and read back before the lock counts as taken; when that fails (a
full disk) the file is removed, so a lock file is whole or absent. An empty or partial
one that an older crash left behind names nobody and is taken over like a stale one.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from socialdesk.store.errors import WorkspaceError, storage_problem

LOCK_SUFFIX = ".lock"


class WorkspaceInUse(WorkspaceError):
    """Another SocialDesk has the workspace open."""


@dataclass(frozen=True, slots=True)
class LockOwner:
    """Who holds a lock, as written in the lock file."""

    pid: int
    host: str
    started: str

    def describe(self) -> str:
        """``process 1234 on laptop, since 2026-11-24 09:12 UTC``."""
        since = self.started.replace("T", " ").removesuffix("Z")[:16]
        return f"process {self.pid} on {self.host}, since {since} UTC"


def lock_path(workspace: Path) -> Path:
    """The lock file of a workspace."""
    return workspace.with_name(workspace.name + LOCK_SUFFIX)


def host_name() -> str:
    """The name of this computer, as the lock file records it."""
    if hasattr(os, "uname"):  # POSIX: the same name, without importing socket (~3 ms)
        return os.uname().nodename or "this computer"
    import socket

    return socket.gethostname() or "this computer"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_owner(path: Path) -> LockOwner | None:
    """The owner written in a lock file, or None if it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockOwner(int(data["pid"]), str(data["host"]), str(data.get("started", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _os_lock(fd: int) -> bool | None:
    """Try to lock the open file without waiting: True got it, False held, None unsupported."""
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    except OSError:
        return None  # e.g. a network file system without locks
    return True


class WorkspaceLock:
    """The lock on one workspace, held until :meth:`release` (or the process ends)."""

    def __init__(self, workspace: Path, fd: int | None) -> None:
        self.workspace = workspace
        self.path = lock_path(workspace)
        self._fd = fd

    @property
    def owned(self) -> bool:
        """False for a lock this process already held when it was asked again."""
        return self._fd is not None

    @classmethod
    def acquire(cls, workspace: Path | str) -> WorkspaceLock:
        """Lock ``workspace`` for this process; raise :class:`WorkspaceInUse` if it is taken.

        Asking again from the process that holds the lock returns a lock that does not
        own it (releasing that one does nothing), so a restore inside the app works.
        """
        workspace = Path(workspace).expanduser().absolute()
        path = lock_path(workspace)
        for _ in range(20):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as error:
                raise storage_problem(workspace, error) or WorkspaceError(
                    workspace, f"cannot create its lock file {path.name} "
                    f"({error.strerror or error})."
                ) from error
            got = _os_lock(fd)
            owner = read_owner(path)
            if got is False:
                os.close(fd)
                if owner and owner.pid == os.getpid() and owner.host == host_name():
                    return cls(workspace, None)
                raise _in_use(workspace, owner)
            if got is None and owner and not _stale(owner):
                os.close(fd)
                if owner.pid == os.getpid() and owner.host == host_name():
                    return cls(workspace, None)
                raise _in_use(workspace, owner)
            if got and owner and owner.host != host_name():
                os.close(fd)
                raise _in_use(workspace, owner, elsewhere=True)
            if not _same_file(fd, path):  # the previous owner removed it meanwhile
                os.close(fd)
                time.sleep(0.01)
                continue
            try:
                _write_owner(fd)
            except OSError as error:
                with contextlib.suppress(OSError):
                    path.unlink()  # ours (same file, OS-locked): nobody else's lock goes
                os.close(fd)
                raise storage_problem(workspace, error) or WorkspaceError(
                    workspace, f"cannot write its lock file {path.name} "
                    f"({error.strerror or error})."
                ) from error
            return cls(workspace, fd)
        raise WorkspaceError(workspace, f"cannot take its lock file {path.name}.")

    def release(self) -> None:
        """Give the workspace back: remove the lock file and drop the OS lock."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if sys.platform == "win32":  # pragma: no cover - Windows cannot remove open files
            os.close(fd)
            with contextlib.suppress(OSError):
                self.path.unlink()
        else:
            with contextlib.suppress(OSError):
                self.path.unlink()
            os.close(fd)

    def __enter__(self) -> WorkspaceLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _stale(owner: LockOwner) -> bool:
    return owner.host == host_name() and not pid_alive(owner.pid)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def _write_owner(fd: int) -> None:
    """Write who holds the lock, then read it back; OSError if it is not all on disk."""
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = json.dumps({"pid": os.getpid(), "host": host_name(), "started": started}).encode()
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    written = 0
    while written < len(data):
        step = os.write(fd, data[written:])
        if not step:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written += step
    os.fsync(fd)
    os.lseek(fd, 0, os.SEEK_SET)
    if os.read(fd, len(data) + 1) != data:
        raise OSError(errno.EIO, "the lock file did not keep what was written to it")


def _in_use(workspace: Path, owner: LockOwner | None, *, elsewhere: bool = False) -> WorkspaceInUse:
    who = owner.describe() if owner else "another program"
    if elsewhere:
        return WorkspaceInUse(
            workspace,
            f"is open in SocialDesk on another computer ({who}). Close it there first. "
            f"If SocialDesk is not running there any more, delete {lock_path(workspace).name} "
            "beside the workspace and try again.",
        )
    return WorkspaceInUse(
        workspace, f"is already open in another SocialDesk ({who}). Close it there first, "
        "or switch to that window."
    )
