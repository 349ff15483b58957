"""``socialdesk import contacts FILE``, ``import calendar FILE``, ``import clicks FILE``.

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
CLICK_FORMATS = ("auto", "plausible", "matomo", "ga4", "umami", "csv")  # clicks.model.FORMATS
SHOWN_PROBLEMS = 20


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``import contacts``, ``import calendar`` and ``import clicks``."""
    parser = commands.add_parser("import", help="bring contacts, a calendar or clicks into a "
                                 "workspace")
    add_workspace_option(parser)
    targets = parser.add_subparsers(dest="what", metavar="WHAT", required=True)

    contacts = targets.add_parser("contacts", help="contacts from a vCard or CSV file")
    contacts.add_argument("file", metavar="FILE")
    contacts.add_argument("--format", choices=CONTACT_FORMATS, default="auto",
                          help="the file's layout (default: recognise it)")
    contacts.add_argument("--json", action="store_true", help="print the result as JSON")
    add_workspace_option(contacts)
    contacts.set_defaults(run=run_import_contacts)

    calendar = targets.add_parser(
        "calendar", help="posts from an iCalendar (.ics) file, SocialDesk's calendar CSV or a "
        "Hootsuite bulk-upload CSV")
    calendar.add_argument("file", metavar="FILE")
    calendar.add_argument("--from", dest="since", metavar="DATE", type=iso_date,
                          help="repeating events become posts from this date on, for a "
                               "year (default: today)")
    calendar.add_argument("--json", action="store_true", help="print the result as JSON")
    add_workspace_option(calendar)
    calendar.set_defaults(run=run_import_calendar)

    clicks = targets.add_parser(
        "clicks", help="visits partners' tracked links brought, from a web analytics export")
    clicks.add_argument("file", metavar="FILE")
    clicks.add_argument("--format", choices=CLICK_FORMATS, default="auto",
                        help="the tool that wrote the file (default: recognise it)")
    clicks.add_argument("--from", dest="first_day", metavar="YYYY-MM-DD", type=iso_date,
                        help="first day the export covers (for an export without dates)")
    clicks.add_argument("--to", dest="last_day", metavar="YYYY-MM-DD", type=iso_date,
                        help="last day the export covers (for an export without dates)")
    clicks.add_argument("--json", action="store_true", help="print the result as JSON")
    add_workspace_option(clicks)
    clicks.set_defaults(run=run_import_clicks)


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
    """Import posts from an iCalendar file or a calendar CSV in one transaction."""
    from socialdesk.core.calendar.importing import CalendarImportError, import_calendar

    source = _source(args)
    with open_to_write(args, create=True) as ws:
        try:
            result = import_calendar(ws, source, since=args.since)
        except CalendarImportError as error:
            raise UserError(f"{str(error).rstrip('.')}. Nothing was imported.") from error
    _report(result, source, args.json, "post")
    return 0


def run_import_clicks(args: argparse.Namespace) -> int:
    """Record the visits of an analytics export per ask, replacing its period's figures."""
    from socialdesk.core.share.clicks import ClicksImportError, import_clicks

    source = _source(args)
    if (args.first_day is None) != (args.last_day is None):
        raise UserError("Give both --from and --to (the period the export covers).")
    with open_to_write(args, create=True) as ws:
        try:
            report = import_clicks(
                ws, source, args.format,
                first_day=args.first_day.isoformat() if args.first_day else None,
                last_day=args.last_day.isoformat() if args.last_day else None)
        except ClicksImportError as error:
            hint = " (with --from and --to)" if "holds no dates" in error.message else ""
            raise UserError(f"{str(error).rstrip('.')}{hint}. Nothing was imported.") \
                from error
    if args.json:
        print_json(report.as_json())
        return 0
    period = (report.first_day if report.first_day == report.last_day
              else f"{report.first_day} to {report.last_day}")
    print(f"Recorded {plural(report.visits, 'visit')} for {plural(len(report.asks), 'ask')} "
          f"from {source.name} ({period}).")
    for _ask, partner, visits in report.asks[:SHOWN_PROBLEMS]:
        print(f"  {partner}: {plural(visits, 'visit')}")
    if len(report.asks) > SHOWN_PROBLEMS:
        print(f"  … and {len(report.asks) - SHOWN_PROBLEMS:,} more asks")
    if report.unmatched:
        print(f"Sources that match no partner's ask ({plural(len(report.unmatched), 'source')}):")
        for label, visits in report.unmatched[:SHOWN_PROBLEMS]:
            print(f"  {label}: {plural(visits, 'visit')}")
        if len(report.unmatched) > SHOWN_PROBLEMS:
            print(f"  … and {len(report.unmatched) - SHOWN_PROBLEMS:,} more (--json lists "
                  "them all)")
    for problem in report.problems[:SHOWN_PROBLEMS]:
        print(f"  {source}, line {problem.line}: {problem.message}")
    return 0
