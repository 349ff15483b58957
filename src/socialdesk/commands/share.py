"""``socialdesk share-kit``: the kit that makes sharing one click for the partner of an ask."""

from __future__ import annotations

import argparse
from pathlib import Path

from socialdesk.commands.common import UserError, add_workspace_option, open_to_write, print_json


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``share-kit``."""
    kit = commands.add_parser(
        "share-kit", help="an ask's share kit: text and one-click links per network",
        description="Print (or save as a self-contained HTML page) the share kit of an "
        "ask: for each network the partner is on, the post's text with the partner's "
        "tracked link, fitted to the network's limit, and a one-click share link. The "
        "first kit of a partner gives them the slug their links carry (utm_source).")
    kit.add_argument("ask", type=int, metavar="ASK_ID", help="the ask's id")
    kit.add_argument("--out", metavar="FILE.html", help="write the kit as an HTML page")
    kit.add_argument("--json", action="store_true", help="print the kit as JSON")
    add_workspace_option(kit)
    kit.set_defaults(run=run_share_kit)


def run_share_kit(args: argparse.Namespace) -> int:
    """Make the kit of one ask; print it, or write its page."""
    from socialdesk.core.atomic import atomic_open
    from socialdesk.core.share.kit import kit_text
    from socialdesk.core.share.kits import KitError, make_kit

    out = Path(args.out).expanduser() if args.out else None
    if out is not None and out.suffix.lower() not in (".html", ".htm"):
        raise UserError(f"{out}: the kit is a web page; give a file name ending in .html.")
    if out is not None and not out.parent.is_dir():
        raise UserError(f"{out}: the folder {out.parent} does not exist.")
    with open_to_write(args) as ws:
        try:
            made = make_kit(ws, args.ask)
        except KitError as error:
            raise UserError(str(error)) from error
    if out is not None:
        with atomic_open(out) as handle:
            handle.write(made.page())
    if args.json:
        print_json(made.kit.as_json())
    elif out is not None:
        print(f"Wrote the share kit of ask #{args.ask} for {made.kit.partner} to {out}.")
    else:
        print(kit_text(made.kit))
    return 0
