"""``socialdesk accounts`` and ``socialdesk publish``: own Mastodon and Bluesky accounts."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

from socialdesk.commands.common import (
    UserError,
    add_workspace_option,
    iso_date,
    open_to_write,
    print_json,
    reading,
    require_latest,
    workspace_path,
)

if TYPE_CHECKING:
    from socialdesk.core.publish.publishing import Outcome
    from socialdesk.store.publishing import Account

TOKEN_ENV = "SOCIALDESK_TOKEN"
PASSWORD_ENV = "SOCIALDESK_APP_PASSWORD"
PROBLEMS = ("refused", "failed", "unknown")


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``accounts`` (with ``add`` and ``remove``) and ``publish``."""
    accounts = commands.add_parser(
        "accounts", help="own Mastodon and Bluesky accounts connected for publishing",
        description="List the connected accounts with the name their server verified; add "
        "or remove one. Secrets (access tokens, app passwords) are kept only in the "
        "system keyring.")
    accounts.add_argument("--json", action="store_true", help="print one JSON object")
    add_workspace_option(accounts)
    accounts.set_defaults(run=run_accounts)
    actions = accounts.add_subparsers(dest="action", metavar="ACTION")
    add = actions.add_parser("add", help="connect an account (verified on its server)")
    networks = add.add_subparsers(dest="network", metavar="NETWORK", required=True)
    masto = networks.add_parser(
        "mastodon", help="a Mastodon account: instance and access token",
        description=f"Connect a Mastodon account. The access token (Preferences → "
        f"Development → New application, scopes read and write) is read from ${TOKEN_ENV} "
        "or asked for.")
    masto.add_argument("--instance", required=True, metavar="URL",
                       help="the instance, like https://mastodon.social")
    sky = networks.add_parser(
        "bluesky", help="a Bluesky account: handle and app password",
        description=f"Connect a Bluesky account. The app password (Settings → Privacy "
        f"and security → App passwords) is read from ${PASSWORD_ENV} or asked for.")
    sky.add_argument("--handle", required=True, help="the handle, like name.bsky.social")
    sky.add_argument("--service", metavar="URL", default=None,
                     help="the PDS or entryway (default: https://bsky.social)")
    remove = actions.add_parser("remove", help="disconnect an account and forget its secret")
    remove.add_argument("account", type=int, metavar="ACCOUNT_ID")
    for parser in (masto, sky, remove):
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        add_workspace_option(parser)

    publish = commands.add_parser(
        "publish", help="send a post to its Mastodon and Bluesky accounts",
        description="Send the post's text for each connected account it has a channel on "
        "(never twice). A post whose time is ahead is scheduled on Mastodon and waits for "
        "--due on Bluesky. --due sends every scheduled post whose time has passed: run it "
        "from cron, Task Scheduler or launchd.")
    publish.add_argument("post", type=int, nargs="?", metavar="POST_ID", help="the post's id")
    publish.add_argument("--due", action="store_true",
                         help="send every scheduled post whose time has passed")
    publish.add_argument("--now", action="store_true",
                         help="send the post now even if its time is ahead")
    publish.add_argument("--json", action="store_true", help="print one JSON object")
    add_workspace_option(publish)
    publish.set_defaults(run=run_publish)

    results = commands.add_parser(
        "results", help="read back what published posts gathered on Mastodon and Bluesky")
    results_actions = results.add_subparsers(dest="action", metavar="ACTION", required=True)
    fetch = results_actions.add_parser(
        "fetch", help="read boosts, likes, replies, quotes and who shared each post",
        description="For each post published to a connected account: read its boosts or "
        "reposts, favourites or likes, replies and quotes (their sum becomes the post's "
        "engagements) and who boosted or reposted it. A partner's share turns their ask "
        "for the post into shared, with the evidence; a partner who shared unasked is "
        "recorded as an unprompted reshare.")
    fetch.add_argument("--since", type=iso_date, metavar="DATE",
                       help="only posts published on or after this date (YYYY-MM-DD)")
    fetch.add_argument("--json", action="store_true", help="print one JSON object")
    add_workspace_option(fetch)
    fetch.set_defaults(run=run_results_fetch)


def _secret(env: str, prompt: str) -> str:
    value = os.environ.get(env, "")
    if value:
        return value
    if sys.stdin is None or not sys.stdin.isatty():
        raise UserError(f"No secret given: set {env} or run this in a terminal to be asked.")
    return getpass.getpass(prompt)


def _account_line(account: Account) -> str:
    name = f" ({account.display_name})" if account.display_name else ""
    return f"#{account.id}  {account.network:<8}  {account.handle}{name}  {account.server}"


def run_accounts(args: argparse.Namespace) -> int:
    """List, add or remove accounts."""
    from socialdesk.core.publish import accounts as connect
    from socialdesk.core.publish.web import PublishError
    from socialdesk.store import publishing

    if args.action == "add":
        try:
            with open_to_write(args) as ws:
                if args.network == "mastodon":
                    token = _secret(TOKEN_ENV, "Access token: ")
                    account = connect.add_mastodon(ws, args.instance, token)
                else:
                    password = _secret(PASSWORD_ENV, "App password: ")
                    account = connect.add_bluesky(
                        ws, args.handle, password,
                        args.service or connect.DEFAULT_SERVICE)
        except PublishError as error:
            raise UserError(str(error)) from error
        if args.json:
            print_json(connect.as_json(account))
        else:
            print(f"Connected {_account_line(account)}")
        return 0
    if args.action == "remove":
        with open_to_write(args) as ws:
            try:
                account = connect.remove(ws, args.account)
            except LookupError as error:
                raise UserError(str(error)) from error
        if args.json:
            print_json(connect.as_json(account))
        else:
            print(f"Removed {_account_line(account)}")
        return 0
    path = workspace_path(args)
    with reading(path) as ws:
        require_latest(ws, path, "list the accounts again")
        found = publishing.accounts(ws)
    if args.json:
        print_json({"accounts": [connect.as_json(a) for a in found]})
    elif not found:
        print("No account connected: socialdesk accounts add mastodon|bluesky …")
    else:
        print("\n".join(_account_line(a) for a in found))
    return 0


def _outcome_line(outcome: Outcome) -> str:
    url = f"  {outcome.url}" if outcome.url else ""
    return f"Post {outcome.post_id} → {outcome.account.handle}: {outcome.message}{url}"


def run_publish(args: argparse.Namespace) -> int:
    """Publish one post, or every due one; exit 1 when one could not be sent."""
    from socialdesk.core.lock import WorkspaceInUse
    from socialdesk.core.publish.publishing import Publisher
    from socialdesk.core.publish.web import PublishError

    if args.due == (args.post is not None):
        raise UserError("give a POST_ID or --due (one of them).")
    try:
        with open_to_write(args) as ws, Publisher(ws) as publisher:
            try:
                outcomes = publisher.due() if args.due else publisher.publish(
                    args.post, at_once=args.now)
            except (LookupError, PublishError) as error:
                raise UserError(str(error)) from error
    except WorkspaceInUse as error:
        if not args.due:
            raise
        # The app (or another run) has it: the app sends due posts itself; cron tries again.
        print(f"Nothing sent: {error}", file=sys.stderr)
        if args.json:
            print_json({"outcomes": [], "skipped": str(error)})
        return 0
    problems = [o for o in outcomes if o.state in PROBLEMS]
    if args.json:
        print_json({"outcomes": [o.as_json() for o in outcomes]})
    else:
        for outcome in outcomes:
            if outcome.state not in PROBLEMS:
                print(_outcome_line(outcome))
        if args.due and not outcomes:
            print("Nothing is due.")
    for outcome in problems:
        print(f"socialdesk: {_outcome_line(outcome)}", file=sys.stderr)
    return 1 if problems else 0


def run_results_fetch(args: argparse.Namespace) -> int:
    """Read every published post's results; exit 1 when some could not be read."""
    from socialdesk.core.publish.results import fetch_results

    with open_to_write(args) as ws:
        report = fetch_results(ws, since=args.since)
    if args.json:
        print_json(report.as_json())
    else:
        print(f"Read the results of {report.read} "
              f"{'post' if report.read == 1 else 'posts'}.")
        for line in report.shared + report.reshares:
            print(line)
    for problem in report.problems:
        print(f"socialdesk: {problem}", file=sys.stderr)
    return 1 if report.problems else 0
