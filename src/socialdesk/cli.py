"""The ``socialdesk`` command: the GUI with no subcommand, scripts' operations with one.

Exit codes: 0 success, 1 a user-facing error (one message on stderr), 2 bad usage.
Qt is only imported when the GUI is wanted, so subcommands start fast; and the
subcommands' parsers are only built when a subcommand (or ``--help``) is given, so the
app starts fast too. Subcommands live in :mod:`socialdesk.commands`, one module per
feature.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import typing
from collections.abc import Callable, Sequence
from pathlib import Path

from socialdesk import APP_NAME, __version__
from socialdesk.commands.common import UserError, add_workspace_option, workspace_path
from socialdesk.store.errors import WorkspaceCorrupt, WorkspaceError

VIEWS = ("today", "calendar", "contacts", "partners", "planner", "reports")
FEATURES = ("workspace", "importing", "export", "plan", "share", "backup", "report",
            "track_record", "publishing", "sync", "templates")  # modules of socialdesk.commands
# Each subcommand's module: a command given, only its module is imported and its parser built.
COMMANDS = {"demo": "workspace", "check": "workspace", "import": "importing",
            "export": "export", "plan": "plan", "share-kit": "share", "backup": "backup",
            "backups": "backup", "restore": "backup", "report": "report",
            "track-record": "track_record", "accounts": "publishing", "publish": "publishing",
            "results": "publishing", "sync": "sync", "templates": "templates"}
# numpy's OpenBLAS starts a thread per core when it loads, each spinning for a while after
# every call: ~40 ms of CPU at import and ~50 ms more in `socialdesk plan`, for matrices
# far too small to share; in the app, a core taken from the window while a worker plans.
# The app and every subcommand run it on one thread (unless the user says otherwise).
ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1"}


class _NotTheApp(Exception):
    """The arguments are not (only) the app's options: the whole parser must read them."""


class _AppParser(argparse.ArgumentParser):
    """The top-level options alone, which raises instead of reporting a usage error."""

    def error(self, message: str) -> typing.NoReturn:
        raise _NotTheApp(message)


def build_parser(*, subcommands: bool = True,
                 features: Sequence[str] = FEATURES) -> argparse.ArgumentParser:
    """The argument parser for every subcommand (``subcommands=False``: the app's alone).

    ``features``: the modules whose subcommands it knows (all of them by default).
    """
    parser = (argparse.ArgumentParser if subcommands else _AppParser)(
        prog="socialdesk",
        description=f"{APP_NAME}: plan posts together with the partners who can spread them. "
        "With no subcommand, opens the app.",
        add_help=subcommands,
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
    if subcommands:
        commands = parser.add_subparsers(dest="command", metavar="COMMAND")
        for feature in features:
            importlib.import_module(f"socialdesk.commands.{feature}").register(commands)
    return parser


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The parsed command line, building the subcommands' parsers only when they are needed.

    Opening the app takes only the top-level options: those are read first, without
    ``-h`` (so that help lists the subcommands), and anything else they do not take (a
    subcommand, help, a usage error) is read again by the whole parser, whose answer and
    messages are the same as ever. A known subcommand is read by a parser that knows only
    its module's subcommands (``socialdesk plan`` imports no other command's module): its
    answer and messages are the same too, as only an unknown command lists them all.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    with contextlib.suppress(_NotTheApp):
        args, rest = build_parser(subcommands=False).parse_known_args(argv)
        if not rest:
            args.command = None
            return args
        if rest[0] in COMMANDS:
            return build_parser(features=(COMMANDS[rest[0]],)).parse_args(argv)
    return build_parser().parse_args(argv)


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
    args = parse(argv)
    run: Callable[[argparse.Namespace], int] = getattr(args, "run", _run_gui)
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)
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
