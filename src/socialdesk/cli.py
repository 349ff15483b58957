"""The ``socialdesk`` command: the GUI with no subcommand, scripts' operations with one.

Exit codes: 0 success, 1 a user-facing error (one message on stderr), 2 bad usage.
Qt is only imported when the GUI is wanted, so subcommands start fast. Subcommands
live in :mod:`socialdesk.commands`, one module per feature.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from socialdesk import APP_NAME, __version__
from socialdesk.commands import (
    backup,
    export,
    importing,
    plan,
    publishing,
    report,
    share,
    sync,
    track_record,
    workspace,
)
from socialdesk.commands.common import UserError, add_workspace_option, workspace_path
from socialdesk.store.errors import WorkspaceCorrupt, WorkspaceError

VIEWS = ("today", "calendar", "contacts", "partners", "planner", "reports")
FEATURES = (workspace, importing, export, plan, share, backup, report, track_record,
            publishing, sync)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="socialdesk",
        description=f"{APP_NAME}: plan posts together with the partners who can spread them. "
        "With no subcommand, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    add_workspace_option(parser, top=True)
    parser.add_argument(
        "--quit-after-startup",
        action="store_true",
        help="open the workspace, show the main window, print the startup time in ms, exit",
    )
    parser.add_argument(
        "--screenshot", metavar="FILE.png", help="render a view of the main window to a PNG"
    )
    parser.add_argument(
        "--view", choices=VIEWS, default="today", help="view to show (default: today)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for feature in FEATURES:
        feature.register(commands)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    from socialdesk.qt.app import run_gui

    return run_gui(
        workspace_path(args),
        quit_after_startup=args.quit_after_startup,
        screenshot=Path(args.screenshot) if args.screenshot else None,
        view=args.view,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = getattr(args, "run", _run_gui)
    try:
        status = run(args)
        sys.stdout.flush()  # here, so that a closed pipe is reported below, not at exit
        return status
    except BrokenPipeError:
        return _output_closed()
    except (UserError, WorkspaceError) as error:
        print(f"socialdesk: {error}", file=sys.stderr)
        if isinstance(error, WorkspaceCorrupt):
            from socialdesk.core.backup.restore import restore_hint

            print(restore_hint(error.path), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("socialdesk: interrupted", file=sys.stderr)
        return 130


def _output_closed() -> int:
    """The reader of stdout went away (``socialdesk plan 5 | head``): stop quietly.

    What is still buffered cannot be written, and Python would report that at exit:
    stdout is pointed at the null device first. Exit status 141 is what a shell shows
    for a program stopped by a closed pipe (128 + SIGPIPE).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 141


if __name__ == "__main__":
    sys.exit(main())
