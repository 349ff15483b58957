"""What every subcommand shares: the workspace option, errors, dates, JSON output."""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialdesk.commands import json_text
from socialdesk.core import paths
from socialdesk.store.errors import WorkspaceCorrupt, storage_problem

if TYPE_CHECKING:
    from socialdesk.store.checks import CheckResult
    from socialdesk.store.workspace import Workspace

SHOWN_PROBLEMS = 5


class UserError(Exception):
    """A problem to report in one line on stderr, with exit status 1."""


def add_workspace_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--workspace PATH``, accepted before or after a subcommand's name."""
    parser.add_argument(
        "--workspace",
        metavar="PATH",
        # Subcommands must not overwrite a --workspace given before their name.
        default=None if top else argparse.SUPPRESS,
        help="workspace file to use (default: $SOCIALDESK_WORKSPACE or the user data folder)",
    )


def workspace_path(args: argparse.Namespace) -> Path:
    """The workspace the command works on."""
    return paths.resolve_workspace(getattr(args, "workspace", None))


def checked(path: Path) -> CheckResult:
    """``socialdesk check``'s verdict on a workspace; raise its message if it is damaged."""
    from socialdesk.store.checks import check

    result = check(path)
    if not result.ok:
        shown = "; ".join(result.problems[:SHOWN_PROBLEMS])
        more = len(result.problems) - SHOWN_PROBLEMS
        shown += f" (and {more} more)" if more > 0 else ""
        raise WorkspaceCorrupt(path, f"damaged: {shown}.")
    return result


@contextlib.contextmanager
def reading(path: Path) -> Iterator[Workspace]:
    """A read command's workspace: checked as ``socialdesk check`` does, then opened read-only.

    A damaged workspace is refused with ``check``'s message before anything is read or
    written; damage the check cannot see (a value that is not valid text) still ends in
    one message naming the file, never a traceback. As when the app opens a workspace, the
    whole-file check runs first only on files up to ``VERIFY_INLINE_BYTES`` (4 MB): on a
    large workspace it costs seconds (about 2 s for 100,000 contacts, 20 s for a million)
    that a report or a plan should not wait for. Damage met while reading one still ends
    in one message naming the file and writes nothing; ``socialdesk check`` checks it all.
    """
    from socialdesk.store.workspace import VERIFY_INLINE_BYTES, Workspace

    if not path.is_file() or path.stat().st_size <= VERIFY_INLINE_BYTES:
        checked(path)
    with Workspace.open_readonly(path) as ws:
        try:
            yield ws
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            raise storage_problem(path, error) or WorkspaceCorrupt(
                path, f"is damaged ({error}). Restore a backup.") from error


def require_latest(ws: Workspace, path: Path, again: str) -> None:
    """Refuse a workspace of an earlier schema version, which a read-only command cannot update.

    ``again``: what to do once it is up to date ("make the report again").
    """
    from socialdesk.store import migrations

    if ws.schema_version < migrations.latest_version():
        raise UserError(
            f"{path} was written by an earlier SocialDesk (schema version "
            f"{ws.schema_version}; this one writes {migrations.latest_version()}). Open "
            f"it once in SocialDesk to bring it up to date, then {again}.")


@contextlib.contextmanager
def locked(path: Path) -> Iterator[Path]:
    """Hold the workspace lock on ``path`` while a command writes it.

    Raises :class:`~socialdesk.core.lock.WorkspaceInUse` (the message a second window
    gets: which process on which computer has it) when SocialDesk has it open elsewhere.
    The process that holds the lock (the app backing up, say) may write.
    """
    from socialdesk.core.lock import WorkspaceLock

    with WorkspaceLock.acquire(path):
        yield path


@contextlib.contextmanager
def open_to_write(args: argparse.Namespace, *, create: bool = False) -> Iterator[Workspace]:
    """The command's workspace, opened under its lock (see :func:`locked`)."""
    from socialdesk.store.errors import WorkspaceNotFound
    from socialdesk.store.workspace import Workspace

    path = workspace_path(args)
    if not create and not path.exists():
        raise WorkspaceNotFound(path)  # before the lock: no lock file beside nothing
    with locked(path), Workspace.open(path, create=create) as ws:
        yield ws


def iso_date(text: str) -> date:
    """An argparse type for YYYY-MM-DD dates."""
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-24") from error


def print_json(value: Any) -> None:
    """Print one JSON object on stdout: valid JSON, so every number must be finite.

    A NaN or infinity would print as ``NaN``/``Infinity``, which JSON readers refuse;
    it is reported as an error instead (the workspace's figures are checked before
    they get here, so this means a fault to report, not a file to fix).
    """
    try:
        pieces = json_text.pieces(value)
    except ValueError as error:
        raise UserError(f"a figure to print is not a finite number ({error}).") from error
    sys.stdout.writelines(pieces)  # not joined: a huge plan's text is 22 MB in memory
    sys.stdout.write("\n")
