"""Opening, checking and closing a workspace: one SQLite file, WAL, foreign keys on."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from socialdesk.store import identity, migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

from socialdesk.store.errors import (
    CheckTooLong,
    ForeignSchema,
    NotAWorkspace,
    WorkspaceCorrupt,
    WorkspaceError,
    WorkspaceNotFound,
    WorkspaceNotWritable,
    WorkspaceReadOnly,
    WorkspaceTooNew,
    storage_problem,
)

SQLITE_HEADER = b"SQLite format 3\x00"
# Files up to this size are quick-checked while opening (25–35 ms at this size here: a
# workspace of a few thousand contacts); larger ones are checked by the caller in the
# background (see ``store.checks.verify_workspace``). At 32 MB the check took 0.3 s of the
# window's start, so a workspace of 10,000 contacts (12 MB) started slower than one of a
# million (2.37× a bare window against 1.77×).
VERIFY_INLINE_BYTES = 4 * 1024 * 1024
# How long any check of a file may run: far more than a sound workspace of its size needs
# (the large demo, 100 MB, takes 4 s for ``integrity_check``), yet finite for a crafted one.
CHECK_SECONDS, CHECK_SECONDS_PER_MB = 30.0, 0.5


def _check_header(path: Path) -> None:
    """Refuse a path that is a folder or a file that is not a SQLite database."""
    if path.is_dir():
        raise NotAWorkspace(path, "is a folder, not a workspace file.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError as error:
        raise WorkspaceNotWritable(path, f"cannot be read ({error.strerror}).") from error
    if header and header.count(0) == len(header) and path.stat().st_size >= 512:
        raise WorkspaceCorrupt(
            path, "is damaged (its header has been wiped). The file has not been changed."
        )
    if header and header != SQLITE_HEADER:
        raise NotAWorkspace(
            path, "is not a SocialDesk workspace (it is not a SQLite database). "
            "The file has not been changed."
        )


def unreadable(path: Path, error: BaseException, what: str) -> WorkspaceError:
    """A failure to read a workspace: a full or read-only disk if that is the cause, else damage."""
    detail = _damage(error) if isinstance(error, sqlite3.DatabaseError | UnicodeDecodeError) \
        else str(error)
    return storage_problem(path, error) or WorkspaceCorrupt(
        path, f"{what} ({detail}). Restore a backup.")


def _nowhere_to_write_beside(path: Path) -> bool:
    """Whether only an immutable read can open ``path``: its folder cannot be written.

    SQLite reads a WAL workspace through a ``-shm`` index it creates beside the file; on a
    read-only disk or folder it cannot, unless told the file cannot change. That is only
    true when no ``-wal`` holds pages not yet in the file.
    """
    wal = path.with_name(path.name + "-wal")
    return not os.access(path.parent, os.W_OK) and not (wal.exists() and wal.stat().st_size)


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        if _nowhere_to_write_beside(path):
            uri += "&immutable=1"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=5)
    conn.row_factory = sqlite3.Row
    return conn


def _refuse_foreign_or_newer(conn: sqlite3.Connection, path: Path) -> int:
    """Return the workspace's schema version, or raise if it is not ours or too new.

    Nothing but ``sqlite_master`` and ``user_version`` is read until the schema is known
    to be exactly SocialDesk's, so no trigger or view of the file's own ever runs.
    """
    objects = migrations.schema_objects(conn)
    tables = {o.name for o in objects if o.kind == "table"}
    if objects and migrations.MIGRATIONS_TABLE not in tables:
        raise NotAWorkspace(
            path, "is a SQLite database but not a SocialDesk workspace. "
            "The file has not been changed."
        )
    known = migrations.latest_version()
    declared = conn.execute("PRAGMA user_version").fetchone()[0]
    if declared > known:
        raise WorkspaceTooNew(path, declared, known)
    unexpected = migrations.unexpected_schema(conn, declared)
    if unexpected:
        raise ForeignSchema(path, unexpected)
    found = migrations.applied_version(conn)
    if found > known or migrations.unknown_applied(conn):
        raise WorkspaceTooNew(path, found, known)
    return found


class Workspace:
    """An open workspace: the SQLite connection every store function works through.

    Open one per thread; a worker thread opens its own (see DESIGN.md, "one writer,
    many readers").
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, *, readonly: bool) -> None:
        self.path = path
        self.conn = conn
        self.readonly = readonly
        self.blank = False  # read as a new, empty workspace: nothing set up in the file yet
        # What the migrations applied while opening merged or renamed (migrations.notes).
        self.merged: tuple[str, ...] = ()
        self._db: Database | None = None
        self._savepoints = 0
        self.closed = False  # True once closed: work the window put off finds nothing to do

    @property
    def db(self) -> Database:
        """The connection as a sqlite-utils ``Database`` (imported on first use)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn)
        return self._db

    @classmethod
    def open(
        cls, path: Path | str, *, create: bool = False, verify: bool | None = None
    ) -> Workspace:
        """Open (and migrate) the workspace at ``path``; with ``create``, make it if absent.

        Its schema must be exactly the one SocialDesk creates for its version
        (:class:`ForeignSchema` otherwise). ``verify`` runs SQLite's ``quick_check`` first;
        by default only for files up to :data:`VERIFY_INLINE_BYTES`, so that a large
        workspace opens at once — the GUI then checks it in the background. Raises a
        :class:`WorkspaceError` with a user-facing message when the path does not exist
        (and ``create`` is false), is not a workspace, is damaged, is from a newer
        SocialDesk, or cannot be written. The file is never changed in those cases.
        """
        path = Path(path).expanduser()
        if not path.exists():
            if not create:
                raise WorkspaceNotFound(path)
            _ensure_writable_folder(path)
        else:
            _check_header(path)
            if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
                raise WorkspaceReadOnly(path)
        try:
            conn = _connect(path, readonly=False)
        except sqlite3.Error as error:
            raise storage_problem(path, error) or WorkspaceNotWritable(
                path, f"cannot be opened ({error}).") from error
        workspace = cls(path, conn, readonly=False)
        try:
            with workspace.time_limit():
                found = _refuse_foreign_or_newer(conn, path)
                if found and (verify if verify is not None else needs_inline_check(path)):
                    raise_if_damaged(path, problems_found(workspace.conn, thorough=False))
            conn.execute("PRAGMA journal_mode = WAL")
            workspace._configure()
            if found and found < migrations.latest_version():
                backup_before_migration(workspace, found)
            if migrations.pending(conn):
                noted = len(migrations.notes(conn))
                migrations.apply(workspace.db)
                workspace.merged = tuple(n for _, _, n in migrations.notes(conn)[noted:])
            if not found:  # a new workspace: its identity, for its backups
                identity.assign_id(conn)
        except WorkspaceError:
            conn.close()
            raise
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            conn.close()
            raise unreadable(path, error, "is damaged and cannot be opened") from error
        return workspace

    @classmethod
    def open_readonly(cls, path: Path | str) -> Workspace:
        """Open an existing workspace for reading only; it is never modified.

        Works on a read-only disk or folder too. A file with no workspace set up in it yet
        — 0 bytes (what ``touch`` leaves) or an SQLite file without tables (what a crash
        or a full disk while creating a workspace leaves) — reads as a new, empty
        workspace (``blank``), as :meth:`open` would set it up, and stays as it is.
        """
        path = Path(path).expanduser()
        if not path.exists():
            raise WorkspaceNotFound(path)
        _check_header(path)
        if path.stat().st_size == 0:
            return cls._empty(path)
        try:
            conn = _connect(path, readonly=True)
            workspace = cls(path, conn, readonly=True)
            with workspace.time_limit():
                blank = not _refuse_foreign_or_newer(conn, path)
            if blank:
                conn.close()
                return cls._empty(path)
            workspace._configure()
        except WorkspaceError:
            with contextlib.suppress(UnboundLocalError):
                conn.close()
            raise
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            with contextlib.suppress(UnboundLocalError):
                conn.close()
            raise unreadable(path, error, "is damaged and cannot be read") from error
        return workspace

    @classmethod
    def _empty(cls, path: Path) -> Workspace:
        """A new workspace with nothing in it, in memory, read-only: what a blank file holds."""
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.row_factory = sqlite3.Row
        workspace = cls(path, conn, readonly=True)
        workspace.blank = True
        migrations.apply(workspace.db)
        conn.execute("PRAGMA query_only = ON")
        workspace._configure()
        return workspace

    def _configure(self) -> None:
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA busy_timeout = 5000")
        if not self.readonly:
            # FULL: a committed edit survives a power cut, not only a crash.
            self.conn.execute("PRAGMA synchronous = FULL")

    @contextlib.contextmanager
    def time_limit(
        self, seconds: float | None = None, stop: Callable[[], bool] | None = None
    ) -> Iterator[None]:
        """Bound the statements run inside: a check of a crafted file cannot hang.

        A statement still running after ``seconds`` (by default :func:`check_seconds`)
        is interrupted and :class:`CheckTooLong` raised. Once ``stop()`` answers True the
        running statement ends with ``sqlite3.OperationalError`` (interrupted). Both are
        looked at between SQLite's steps and, every tenth of a second, by a thread of
        their own: a check's walk over every page is one step (seconds on a large file).
        """
        limit = check_seconds(self.path) if seconds is None else seconds
        deadline = time.monotonic() + limit
        timed_out = False

        def progress() -> int:
            nonlocal timed_out
            if stop is not None and stop():
                return 1
            if time.monotonic() > deadline:
                timed_out = True
            return int(timed_out)

        ended = threading.Event()

        def watch() -> None:
            while not ended.wait(0.1):
                if progress():
                    self.conn.interrupt()  # the one call SQLite takes from another thread

        watcher = threading.Thread(target=watch, name="time-limit", daemon=True)
        self.conn.set_progress_handler(progress, 10_000)
        watcher.start()
        try:
            yield
        except sqlite3.OperationalError as error:
            if timed_out:
                raise CheckTooLong(
                    self.path, f"checking it took longer than {limit:.0f} s, far longer than "
                    "a workspace of its size needs, so it is refused. The file has not been "
                    "changed."
                ) from error
            raise
        finally:
            ended.set()
            watcher.join()
            self.conn.set_progress_handler(None, 0)

    def holds_data(self) -> bool:
        """True once the workspace holds a contact or a post.

        It answers at once whatever the size, unlike counting the rows
        (:func:`socialdesk.store.reports.counts`, whose ``empty`` says the same).
        """
        return bool(self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM contacts) OR EXISTS (SELECT 1 FROM posts)"
        ).fetchone()[0])

    def data_version(self) -> int:
        """A number that changes when another connection commits to the file.

        This connection's own commits leave it as it was; reading it costs microseconds
        (SQLite keeps it in memory), so a window can poll it to notice other writers.
        """
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    @property
    def schema_version(self) -> int:
        """The schema version recorded in this workspace."""
        return migrations.applied_version(self.conn)

    def write_mark(self) -> tuple[int, int]:
        """How far the database has been written (``data_version``, ``total_changes``).

        It changes with every write on this connection and every commit on another.
        """
        return self.data_version(), self.conn.total_changes

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Workspace]:
        """One user action: everything inside commits together or not at all.

        Nested calls become savepoints, so a store function that makes its own
        transaction can run inside a caller's larger one. A write that fails because the
        disk is full (or has become read-only) is undone and raises :class:`WorkspaceFull`
        (:class:`WorkspaceReadOnly`); a workspace opened read-only refuses to start one.
        """
        if self.readonly:
            raise WorkspaceReadOnly(self.path, "is open read-only, so changes cannot be saved.")
        if self.conn.in_transaction:
            self._savepoints += 1
            name = f"socialdesk_{self._savepoints}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
            except BaseException as error:
                if self.conn.in_transaction:  # an error may have ended it already
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.conn.execute(f"RELEASE SAVEPOINT {name}")
                self._raise_storage_problem(error)
                raise
            finally:
                self._savepoints -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
            self.conn.execute("COMMIT")
        except BaseException as error:
            if self.conn.in_transaction:  # a failed COMMIT (a full disk) leaves it open
                self.conn.execute("ROLLBACK")
            self._raise_storage_problem(error)
            raise

    def _raise_storage_problem(self, error: BaseException) -> None:
        """Raise the full- or read-only-disk error a failed write means, if it means one."""
        if isinstance(error, sqlite3.Error) and (problem := storage_problem(self.path, error)):
            raise problem from error

    def close(self) -> None:
        """Checkpoint the WAL into the main file and close the connection."""
        if not self.readonly:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()
        self.closed = True

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _damage(error: sqlite3.DatabaseError | UnicodeDecodeError) -> str:
    """SQLite's message; when it quotes damaged schema bytes Python cannot even decode it."""
    return "its schema is not readable" if isinstance(error, UnicodeDecodeError) else str(error)


def check_seconds(path: Path) -> float:
    """How long a check of the file at ``path`` may take (see :data:`CHECK_SECONDS`)."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return CHECK_SECONDS + size / 1e6 * CHECK_SECONDS_PER_MB


def problems_found(conn: sqlite3.Connection, *, thorough: bool) -> list[str]:
    """What SQLite's ``quick_check`` (or, ``thorough``, ``integrity_check``) finds wrong."""
    pragma = "integrity_check" if thorough else "quick_check"
    rows = conn.execute(f"PRAGMA {pragma}(5)").fetchall()
    return [row[0] for row in rows if row[0] != "ok"]


def raise_if_damaged(path: Path, problems: list[str]) -> None:
    """Raise :class:`WorkspaceCorrupt` listing ``problems``, if there are any."""
    if problems:
        raise WorkspaceCorrupt(
            path,
            f"is damaged ({'; '.join(problems)}). Restore a backup. "
            "The file has not been changed.",
        )


def needs_inline_check(path: Path) -> bool:
    """Whether ``open`` quick-checks this file itself (small enough to do it at once)."""
    return path.stat().st_size <= VERIFY_INLINE_BYTES


def _ensure_writable_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WorkspaceNotWritable(
            path, f"its folder cannot be created ({error.strerror})."
        ) from error
    if not os.access(path.parent, os.W_OK):
        raise WorkspaceNotWritable(path, "its folder cannot be written.")


def backup_before_migration(workspace: Workspace, version: int) -> Path:
    """Copy the workspace with SQLite's backup API before migrating it from ``version``."""
    target = workspace.path.with_name(f"{workspace.path.name}.schema-{version}.bak")
    dest = sqlite3.connect(str(target))
    try:
        workspace.conn.backup(dest)
    finally:
        dest.close()
    return target
