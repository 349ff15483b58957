"""What every subcommand shares: the workspace option, errors, dates, JSON output."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialdesk.core import paths

if TYPE_CHECKING:
    from socialdesk.store.workspace import Workspace


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
    """Print one JSON object on stdout."""
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def plural(count: int, word: str) -> str:
    """``3 posts``, ``1 post``, ``2 entries``."""
    if count == 1:
        return f"{count:,} {word}"
    many = word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    return f"{count:,} {many}"
