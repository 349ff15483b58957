"""``socialdesk demo`` and ``socialdesk check``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from socialdesk.commands.common import (
    UserError,
    add_workspace_option,
    checked,
    locked,
    workspace_path,
)

NOTES_SHOWN = 20  # what migrations merged, listed by ``check`` (the rest counted)


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``demo`` and ``check``."""
    demo = commands.add_parser("demo", help="write a sample workspace to a new file")
    demo.add_argument("path", metavar="PATH", help="where to write it (must not exist yet)")
    demo.add_argument("--size", choices=("small", "large", "huge"), default="small",
                      help="small: 150 contacts; large: 100k (under a minute); huge: 1M "
                      "(minutes, with progress on stderr)")
    demo.add_argument("--seed", type=int, default=1)
    add_workspace_option(demo)
    demo.set_defaults(run=run_demo)

    check = commands.add_parser(
        "check", help="check a workspace's integrity and schema version (never changes it)"
    )
    add_workspace_option(check)
    check.set_defaults(run=run_check)


def run_demo(args: argparse.Namespace) -> int:
    """Write a sample workspace to a new file."""
    from socialdesk.core.demo import create_demo

    target = Path(args.path).expanduser()
    try:
        with locked(target):
            made = create_demo(target, size=args.size, seed=args.seed,
                               progress=_to_stderr if args.size == "huge" else None)
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


def _to_stderr(step: str) -> None:
    print(step, file=sys.stderr, flush=True)


def run_check(args: argparse.Namespace) -> int:
    """Check integrity and schema version without modifying the file."""
    from socialdesk.store import migrations, reports
    from socialdesk.store.workspace import Workspace

    path = workspace_path(args)
    result = checked(path)
    if result.empty:
        print(f"{path}: ok. Nothing is set up in it yet: a new, empty workspace "
              "(SocialDesk sets it up when it first opens it for writing).")
        return 0
    with Workspace.open_readonly(path) as ws:
        totals = reports.counts(ws)
        merged = migrations.notes(ws.conn)
    print(
        f"{path}: ok. Schema version {result.schema_version} "
        f"(this SocialDesk writes {result.latest_version}); {totals.contacts:,} contacts, "
        f"{totals.partners:,} partners, {totals.posts:,} posts, {totals.asks:,} asks."
    )
    if merged:
        print("Updating its schema merged or renamed what broke the workspace's rules:")
        for migration, applied_at, note in merged[:NOTES_SHOWN]:
            print(f"  {applied_at[:10]} ({migration}): {note}")
        if len(merged) > NOTES_SHOWN:
            print(f"  … and {len(merged) - NOTES_SHOWN:,} more (the table migration_notes "
                  "lists them all).")
    return 0
