"""``socialdesk export calendar`` (and, with its issue, ``export contacts``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from socialdesk.commands.common import (
    UserError,
    add_workspace_option,
    iso_date,
    reading,
    workspace_path,
)
from socialdesk.core.formatting import plural


def register(commands: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """Add ``export`` and its ``calendar`` and ``contacts`` targets; return the targets."""
    export = commands.add_parser("export", help="write the calendar or contacts to a file")
    add_workspace_option(export)
    targets = export.add_subparsers(dest="what", metavar="WHAT", required=True)
    calendar = targets.add_parser(
        "calendar", help="posts as iCalendar (.ics), CSV or Hootsuite bulk-upload files"
    )
    calendar.add_argument("--format", choices=("ics", "csv", "hootsuite"), required=True)
    calendar.add_argument("--out", metavar="FILE", required=True, help="file to write")
    calendar.add_argument("--from", dest="first", metavar="DATE", type=iso_date,
                          help="first day to include (YYYY-MM-DD; default: everything)")
    calendar.add_argument("--to", dest="last", metavar="DATE", type=iso_date,
                          help="last day to include (YYYY-MM-DD)")
    add_workspace_option(calendar)
    calendar.set_defaults(run=run_export_calendar)
    contacts = targets.add_parser(
        "contacts", help="every contact as vCard (.vcf) or CSV, for address books"
    )
    contacts.add_argument("--format", choices=("vcard", "csv"), required=True)
    contacts.add_argument("--out", metavar="FILE", required=True, help="file to write")
    contacts.add_argument("--vcard-version", choices=("4.0", "3.0"), default="4.0",
                          help="vCard version (default 4.0; 3.0 for older programs)")
    add_workspace_option(contacts)
    contacts.set_defaults(run=run_export_contacts)
    return targets


def run_export_calendar(args: argparse.Namespace) -> int:
    """Export the calendar from a checked workspace, opened read-only."""
    from socialdesk.core.calendar.export import ExportError, export_calendar

    out = Path(args.out).expanduser()
    with reading(workspace_path(args)) as ws:
        try:
            result = export_calendar(ws, out, args.format, args.first, args.last)
        except ExportError as error:
            raise UserError(str(error)) from error
    files = ", ".join(str(f) for f in result.files)
    what = plural(result.posts, "post") + (
        f" and {plural(result.todos, 'to-do')}" if result.todos else "")
    print(f"Wrote {what} to {files}.")
    for reason, count in result.skipped.items():
        print(f"Left out {plural(count, 'post')}: {reason}.")
    for note in result.notes:
        print(f"Note: {note}")
    return 0


def run_export_contacts(args: argparse.Namespace) -> int:
    """Export every contact from a checked workspace, opened read-only."""
    from socialdesk.core.atomic import ExportError
    from socialdesk.core.contacts.export import export_contacts

    out = Path(args.out).expanduser()
    with reading(workspace_path(args)) as ws:
        try:
            result = export_contacts(ws, out, args.format, vcard_version=args.vcard_version)
        except ExportError as error:
            raise UserError(str(error)) from error
    kind = f"vCard {args.vcard_version}" if args.format == "vcard" else "CSV"
    print(f"Wrote {plural(result.contacts, 'contact')} to {result.path} ({kind}).")
    return 0
