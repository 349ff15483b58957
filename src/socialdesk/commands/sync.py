"""``socialdesk sync``: team sharing over CalDAV/CardDAV (setup, sync, resolve, status)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from socialdesk.commands.common import (
    UserError,
    add_workspace_option,
    open_to_write,
    print_json,
    reading,
    workspace_path,
)

PASSWORD_ENV = "SOCIALDESK_SYNC_PASSWORD"


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``sync`` and its ``setup``, ``resolve`` and ``status``."""
    parser = commands.add_parser(
        "sync", help="sync the workspace with a CalDAV/CardDAV server (team sharing)",
        description="Send this workspace's changes to the team's CalDAV/CardDAV server and "
        "take in the others'. Changes to different fields of an item merge; the same field "
        "changed on both sides, or an edit against a deletion, is a conflict to decide with "
        "`socialdesk sync resolve`. See docs/sync.md.")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--allow-emptied", action="store_true",
                        help="take in a server's calendar or address book that no longer has "
                        "any of the items synced (refused otherwise: it may have been wiped)")
    add_workspace_option(parser)
    parser.set_defaults(run=run_sync)
    actions = parser.add_subparsers(dest="sync_action", metavar="ACTION")

    setup = actions.add_parser(
        "setup", help="connect the workspace to a server",
        description="Find (or make) the calendar and address book named after the workspace "
        f"on the server; the password comes from ${PASSWORD_ENV} or is asked, and is kept "
        "only in the system keyring. A second computer joins with the same --name.")
    setup.add_argument("url", metavar="URL", help="the server's CalDAV/CardDAV address")
    setup.add_argument("--user", required=True, metavar="NAME", help="the user on the server")
    setup.add_argument("--name", metavar="NAME",
                       help="the shared calendar's name (default: the workspace file's name)")
    add_workspace_option(setup)
    setup.set_defaults(run=run_setup)

    resolve = actions.add_parser(
        "resolve", help="decide a conflict", description="Keep this computer's value "
        "(sent at the next sync) or the server's (taken now) for a conflict that "
        "`socialdesk sync` listed.")
    resolve.add_argument("conflict_id", type=int, metavar="ID")
    resolve.add_argument("--keep", required=True, choices=("mine", "theirs"))
    add_workspace_option(resolve)
    resolve.set_defaults(run=run_resolve)

    status = actions.add_parser("status", help="the server, the last sync, pending conflicts")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    add_workspace_option(status)
    status.set_defaults(run=run_status)


def _password() -> str:
    value = os.environ.get(PASSWORD_ENV, "")
    if value:
        return value
    if sys.stdin is None or not sys.stdin.isatty():
        raise UserError(f"No password given: set {PASSWORD_ENV} or run this in a terminal "
                        "to be asked.")
    return getpass.getpass("Password on the sync server: ")


def run_setup(args: argparse.Namespace) -> int:
    """Connect the workspace to the server."""
    from socialdesk.core.sync.account import setup
    from socialdesk.core.sync.dav import SyncError

    password = _password()
    with open_to_write(args) as ws:
        try:
            account = setup(ws, args.url, args.user, password, name=args.name)
        except SyncError as error:
            raise UserError(str(error)) from error
    print(f"Syncing with {account.server_url} as {account.user_name}: calendar "
          f"{account.calendar_url}, task list {account.tasks_url}, address book "
          f"{account.addressbook_url}.")
    return 0


def _conflict_line(c: dict[str, Any]) -> str:
    if c["field"] == "*":
        what = "deleted here, edited on the server" if c["mine"] is None \
            else "edited here, deleted on the server"
    else:
        what = f"{c['field']}: mine {c['mine']!r}, theirs {c['theirs']!r}"
    return f"  #{c['id']} {c['kind']} {c['title']!r}: {what}"


def _print_waiting(lines: list[str]) -> None:
    if lines:
        print(f"{len(lines)} item(s) of the server wait for what they refer to (tried again "
              "at every sync):")
        for line in lines:
            print(f"  {line}")


def run_sync(args: argparse.Namespace) -> int:
    """Sync now and print what it did."""
    from socialdesk.core.sync import engine
    from socialdesk.core.sync.account import client_for
    from socialdesk.core.sync.dav import SyncError
    from socialdesk.core.sync.kinds import default_kinds

    kinds = default_kinds()
    if not kinds:
        raise UserError("This SocialDesk has no kinds of item to sync yet.")
    with open_to_write(args) as ws:
        try:
            with client_for(ws) as client:
                summary = engine.sync(ws, client, kinds,
                                      allow_emptied=getattr(args, "allow_emptied", False))
        except SyncError as error:
            raise UserError(str(error)) from error
    for problem in summary.unreadable:
        print(f"socialdesk: could not take in an item of the server (left there as it is): "
              f"{problem}", file=sys.stderr)
    if args.json:
        print_json(summary.as_json())
        return 0
    print(f"Sent {summary.sent}, received {summary.received}, merged {summary.merged}, "
          f"deleted {summary.deleted}.")
    if summary.more:
        print("More changes wait on the server than one sync reads: sync again.")
    if summary.foreign:
        print(f"Left alone {summary.foreign} item(s) of other programs on the server "
              "(to-dos, journal entries).")
    if summary.listed_etags:
        print("The server has no sync-collection: its items' ETags were compared instead.")
    _print_waiting(summary.waiting)
    if summary.conflicts:
        print(f"{len(summary.conflicts)} conflict(s) to decide with "
              "`socialdesk sync resolve ID --keep mine|theirs`:")
        for c in summary.conflicts:
            print(_conflict_line(c))
    return 0


def run_resolve(args: argparse.Namespace) -> int:
    """Decide one conflict."""
    from socialdesk.core.sync.kinds import default_kinds
    from socialdesk.core.sync.merge import resolve

    with open_to_write(args) as ws:
        try:
            resolve(ws, args.conflict_id, args.keep, default_kinds())
        except KeyError as error:
            raise UserError(str(error.args[0])) from error
    then = "it is sent at the next sync" if args.keep == "mine" else "the server's value is kept"
    print(f"Conflict {args.conflict_id} decided: {then}.")
    return 0


def run_status(args: argparse.Namespace) -> int:
    """Print the account, the last sync and the pending conflicts."""
    from socialdesk.core.sync.kinds import default_kinds
    from socialdesk.core.sync.merge import pending
    from socialdesk.core.sync.waiting import waiting_lines
    from socialdesk.store import sync as state

    path = workspace_path(args)
    with reading(path) as ws:
        waiting: list[str] = []
        if ws.schema_version < 13:
            account, conflicts = None, []
        else:
            account = state.account(ws)
            conflicts = pending(ws, default_kinds()) if account else []
            if account and ws.schema_version >= 15:
                waiting = waiting_lines(ws)
    if args.json:
        print_json({"set_up": account is not None,
                    "server": account.server_url if account else None,
                    "user": account.user_name if account else None,
                    "calendar": account.calendar_url if account else None,
                    "tasks": account.tasks_url if account else None,
                    "addressbook": account.addressbook_url if account else None,
                    "last_sync": account.last_sync_at if account else None,
                    "devices": state.devices(account) if account else [],
                    "conflicts": conflicts, "waiting": waiting})
        return 0
    if account is None:
        print("Sync is not set up: run `socialdesk sync setup URL --user NAME`.")
        return 0
    print(f"Server:       {account.server_url} as {account.user_name}")
    print(f"Calendar:     {account.calendar_url}")
    print(f"Task list:    {account.tasks_url or '(made at the next sync)'}")
    print(f"Address book: {account.addressbook_url}")
    print(f"Last sync:    {account.last_sync_at or 'never'}")
    for device in state.devices(account):
        print(f"Synced:       {device['name']} ({device['id']}) at {device['synced_at']}")
    print(f"Conflicts:    {len(conflicts)}")
    for c in conflicts:
        print(_conflict_line(c))
    _print_waiting(waiting)
    return 0
