"""The ``socialdesk`` command: the GUI with no subcommand, scripts' operations with one.

Exit codes: 0 success, 1 a user-facing error (one message on stderr), 2 bad usage.
Qt is only imported when the GUI is wanted, so subcommands start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from socialdesk import APP_NAME, __version__
from socialdesk.core import paths
from socialdesk.store.errors import WorkspaceError

VIEWS = ("today", "calendar", "contacts", "partners", "planner", "reports")


class UserError(Exception):
    """A problem to report in one line on stderr, with exit status 1."""


def _workspace_option(parser: argparse.ArgumentParser, *, top: bool) -> None:
    parser.add_argument(
        "--workspace",
        metavar="PATH",
        # Subcommands must not overwrite a --workspace given before their name.
        default=None if top else argparse.SUPPRESS,
        help="workspace file to use (default: $SOCIALDESK_WORKSPACE or the user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="socialdesk",
        description=f"{APP_NAME}: plan posts together with the partners who can spread them. "
        "With no subcommand, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    _workspace_option(parser, top=True)
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

    demo = commands.add_parser("demo", help="write a sample workspace to a new file")
    demo.add_argument("path", metavar="PATH", help="where to write it (must not exist yet)")
    demo.add_argument("--size", choices=("small", "large"), default="small")
    demo.add_argument("--seed", type=int, default=1)
    _workspace_option(demo, top=False)
    demo.set_defaults(run=_run_demo)

    check = commands.add_parser(
        "check", help="check a workspace's integrity and schema version (never changes it)"
    )
    _workspace_option(check, top=False)
    check.set_defaults(run=_run_check)

    export = commands.add_parser("export", help="write the calendar to a file")
    what = export.add_subparsers(dest="what", metavar="WHAT", required=True)
    calendar = what.add_parser(
        "calendar", help="posts as iCalendar (.ics), CSV or Hootsuite bulk-upload files"
    )
    calendar.add_argument("--format", choices=("ics", "csv", "hootsuite"), required=True)
    calendar.add_argument("--out", metavar="FILE", required=True, help="file to write")
    calendar.add_argument("--from", dest="first", metavar="DATE", type=_iso_date,
                          help="first day to include (YYYY-MM-DD; default: everything)")
    calendar.add_argument("--to", dest="last", metavar="DATE", type=_iso_date,
                          help="last day to include (YYYY-MM-DD)")
    _workspace_option(export, top=False)
    _workspace_option(calendar, top=False)
    calendar.set_defaults(run=_run_export_calendar)
    return parser


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-24") from error


def _run_demo(args: argparse.Namespace) -> int:
    from socialdesk.core.demo import create_demo

    target = Path(args.path).expanduser()
    try:
        made = create_demo(target, size=args.size, seed=args.seed)
    except FileExistsError as error:
        raise UserError(f"{target}: already exists; choose a new file name.") from error
    except OSError as error:
        raise UserError(f"{target}: cannot be written ({error.strerror or error}).") from error
    print(
        f"Wrote {target}: {made.contacts:,} contacts, {made.partners:,} partners, "
        f"{made.audiences:,} audiences, {made.links:,} links, {made.campaigns:,} campaigns, "
        f"{made.posts:,} posts, {made.asks:,} asks."
    )
    return 0


def _run_check(args: argparse.Namespace) -> int:
    from socialdesk.store import reports
    from socialdesk.store.workspace import Workspace, check

    path = paths.resolve_workspace(args.workspace)
    result = check(path)
    if not result.ok:
        shown = "; ".join(result.problems[:5])
        more = f" (and {len(result.problems) - 5} more)" if len(result.problems) > 5 else ""
        raise UserError(f"{path}: damaged: {shown}{more}. Restore a backup.")
    with Workspace.open_readonly(path) as ws:
        totals = reports.counts(ws)
    print(
        f"{path}: ok. Schema version {result.schema_version} "
        f"(this SocialDesk writes {result.latest_version}); {totals.contacts:,} contacts, "
        f"{totals.partners:,} partners, {totals.posts:,} posts, {totals.asks:,} asks."
    )
    return 0


def _run_export_calendar(args: argparse.Namespace) -> int:
    from socialdesk.core.exporting import ExportError, export_calendar
    from socialdesk.store.workspace import Workspace

    path = paths.resolve_workspace(args.workspace)
    out = Path(args.out).expanduser()
    with Workspace.open_readonly(path) as ws:
        try:
            result = export_calendar(ws, out, args.format, args.first, args.last)
        except ExportError as error:
            raise UserError(str(error)) from error
    files = ", ".join(str(f) for f in result.files)
    what = f"{result.posts:,} posts" + (f" and {result.todos:,} to-dos" if result.todos else "")
    print(f"Wrote {what} to {files}.")
    for reason, count in result.skipped.items():
        print(f"Left out {count:,} post{'s' if count != 1 else ''}: {reason}.")
    for note in result.notes:
        print(f"Note: {note}")
    return 0


def _run_gui(args: argparse.Namespace) -> int:
    from socialdesk.qt.app import run_gui

    return run_gui(
        paths.resolve_workspace(args.workspace),
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
        return run(args)
    except (UserError, WorkspaceError) as error:
        print(f"socialdesk: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("socialdesk: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
