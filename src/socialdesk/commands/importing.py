"""``socialdesk import contacts FILE`` and ``socialdesk import calendar FILE.ics``.

Importing writes, so the workspace is created when it does not exist yet, and it is
refused while SocialDesk has the workspace open elsewhere. A file that fails as a whole
imports nothing and exits 1 with one message naming the file and line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from socialdesk.commands.common import (
    UserError,
    add_workspace_option,
    iso_date,
    open_to_write,
    print_json,
)
from socialdesk.core.formatting import plural

CONTACT_FORMATS = ("auto", "vcard", "google", "outlook", "linkedin", "csv")
SHOWN_PROBLEMS = 20


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``import contacts`` and ``import calendar``."""
    parser = commands.add_parser("import", help="bring contacts or a calendar into a workspace")
    add_workspace_option(parser)
    targets = parser.add_subparsers(dest="what", metavar="WHAT", required=True)

    contacts = targets.add_parser("contacts", help="contacts from a vCard or CSV file")
    contacts.add_argument("file", metavar="FILE")
    contacts.add_argument("--format", choices=CONTACT_FORMATS, default="auto",
                          help="the file's layout (default: recognise it)")
    contacts.add_argument("--json", action="store_true", help="print the result as JSON")
    add_workspace_option(contacts)
    contacts.set_defaults(run=run_import_contacts)

    calendar = targets.add_parser("calendar", help="events from an iCalendar (.ics) file")
    calendar.add_argument("file", metavar="FILE.ics")
    calendar.add_argument("--from", dest="since", metavar="DATE", type=iso_date,
                          help="repeating events become posts from this date on, for a "
                               "year (default: today)")
    calendar.add_argument("--json", action="store_true", help="print the result as JSON")
    add_workspace_option(calendar)
    calendar.set_defaults(run=run_import_calendar)


def _source(args: argparse.Namespace) -> Path:
    source = Path(args.file).expanduser()
    if not source.is_file():
        raise UserError(f"{source}: no such file.")
    return source


def _report(result: object, source: Path, as_json: bool, noun: str) -> None:
    summary = result.as_json()  # type: ignore[attr-defined]
    if as_json:
        print_json(summary)
        return
    unchanged = summary.get("unchanged", 0)
    if unchanged and not (summary["imported"] or summary["merged"]):
        are = "is" if unchanged == 1 else "are"
        print(f"Nothing changed: the {plural(unchanged, noun)} in {source.name} {are} "
              "already there.")
    else:
        line = f"Imported {plural(summary['imported'], noun)} from {source.name}"
        if summary["merged"]:
            line += f"; merged {summary['merged']:,} into existing ones"
        if unchanged:
            line += f"; {unchanged:,} already there unchanged"
        print(line + ".")
    if summary["skipped"]:
        print(f"Skipped {plural(summary['skipped'], 'entry' if noun == 'post' else 'row')}:")
    problems = summary["problems"]
    for problem in problems[:SHOWN_PROBLEMS]:
        print(f"  {source}, line {problem['line']}: {problem['message']}")
    if len(problems) > SHOWN_PROBLEMS:
        print(f"  … and {len(problems) - SHOWN_PROBLEMS:,} more (--json lists them all)")


def run_import_contacts(args: argparse.Namespace) -> int:
    """Import contacts into the workspace (created if absent) in one transaction."""
    from socialdesk.core.contacts.importing import ContactImportError, import_contacts

    source = _source(args)
    with open_to_write(args, create=True) as ws:
        try:
            result = import_contacts(ws, source, args.format)
        except ContactImportError as error:
            raise UserError(f"{str(error).rstrip('.')}. Nothing was imported.") from error
    _report(result, source, args.json, "contact")
    likely = getattr(result, "likely_duplicates", ())
    if likely and not args.json:
        print(f"{plural(len(likely), 'contact')} look like people you already have; "
              "review them in the app (Contacts).")
    return 0


def run_import_calendar(args: argparse.Namespace) -> int:
    """Import posts from an iCalendar file in one transaction."""
    from socialdesk.core.calendar.importing import CalendarImportError, import_calendar

    source = _source(args)
    with open_to_write(args, create=True) as ws:
        try:
            result = import_calendar(ws, source, since=args.since)
        except CalendarImportError as error:
            raise UserError(f"{str(error).rstrip('.')}. Nothing was imported.") from error
    _report(result, source, args.json, "post")
    return 0
