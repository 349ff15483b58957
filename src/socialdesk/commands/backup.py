"""``socialdesk backup``, ``socialdesk backups`` and ``socialdesk restore``."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from socialdesk.commands.common import (
    UserError,
    add_workspace_option,
    open_to_write,
    print_json,
    workspace_path,
)
from socialdesk.core.formatting import plural

if TYPE_CHECKING:
    from socialdesk.core.backup.catalog import BackupInfo


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``backup``, ``backups`` and ``restore``."""
    backup = commands.add_parser(
        "backup", help="back up the workspace (checked, then old backups rotated out)")
    backup.add_argument("--to", metavar="DIR",
                        help="write one portable .sdbackup file into DIR (no rotation)")
    backup.add_argument("--encrypt", action="store_true",
                        help="encrypt with a passphrase ($SOCIALDESK_PASSPHRASE, the keyring, "
                        "or asked)")
    add_workspace_option(backup)
    backup.set_defaults(run=run_backup)

    listing = commands.add_parser("backups", help="list the workspace's backups, newest first")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    add_workspace_option(listing)
    listing.set_defaults(run=run_backups)

    restore = commands.add_parser(
        "restore", help="replace the workspace with a backup (the current state is backed "
        "up first)")
    restore.add_argument("backup", metavar="BACKUP",
                         help="a .sdbackup file, or 'latest' for the newest backup")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_workspace_option(restore)
    restore.set_defaults(run=run_restore)


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _new_passphrase(workspace: Path) -> str:
    from socialdesk.core.backup import secrets

    known = secrets.known_passphrase(workspace)
    if known:
        return known
    if not _interactive():
        raise UserError(
            f"{workspace}: an encrypted backup needs a passphrase: set {secrets.ENV}, "
            "or run this in a terminal to type it.")
    first = getpass.getpass("Passphrase for the backup: ")
    if not first:
        raise UserError("An empty passphrase cannot protect a backup.")
    if getpass.getpass("The same passphrase again: ") != first:
        raise UserError("The two passphrases differ; nothing was backed up.")
    return first


def run_backup(args: argparse.Namespace) -> int:
    """Back up into the backups folder (rotated) or, with ``--to``, into one archive."""
    from socialdesk.core.backup import catalog
    from socialdesk.core.backup import create as backup
    from socialdesk.core.settings import workspace_settings

    with open_to_write(args) as ws:
        encrypt = args.encrypt or bool(workspace_settings(ws)["backup_encrypt"])
        passphrase = _new_passphrase(ws.path) if encrypt else None
        folder = Path(args.to).expanduser() if args.to else None
        try:
            made = backup.make_backup(ws, folder, "manual", passphrase=passphrase)
        except backup.BackupError as error:
            raise UserError(str(error)) from error
    what = f"{plural(made.counts['contacts'], 'contact')}, {plural(made.counts['posts'], 'post')}"
    sealed = ", encrypted" if made.encrypted else ""
    print(f"Backed up {what} to {made.path} ({catalog.human_size(made.size)}{sealed}).")
    if made.pruned:
        print(f"Removed {plural(len(made.pruned), 'older backup')} (keeping the rotation's "
              "daily, weekly and monthly ones).")
    return 0


def _folder_for(path: Path) -> Path:
    from socialdesk.core.backup.create import folder_for

    return folder_for(path)


def _backups_of(path: Path) -> tuple[Path, list[BackupInfo]]:
    """The backup folder of the workspace at ``path``, and its backups there, newest first."""
    from socialdesk.core.backup import ownership

    folder = _folder_for(path)
    return folder, ownership.backups_of(ownership.owner_at(path), folder)


def run_backups(args: argparse.Namespace) -> int:
    """List the workspace's backups, newest first."""
    from socialdesk.core.backup import catalog

    path = workspace_path(args)
    folder, found = _backups_of(path)
    if args.json:
        print_json([info.as_json() for info in found])
        return 0
    if not found:
        print(f"No backups of {path.name} in {folder} yet. Make one with: socialdesk backup")
        return 0
    print(f"Backups of {path} in {folder}, newest first:")
    print(f"{'Made':16}  {'Kind':7}  {'Contacts':>9}  {'Posts':>7}  {'Size':>9}  File")
    for info in found:
        if info.counts is not None:
            contacts, posts = f"{info.counts.get('contacts', 0):,}", \
                f"{info.counts.get('posts', 0):,}"
        else:
            contacts, posts = ("encrypted", "") if info.encrypted else ("damaged", "")
        print(f"{catalog.local_time(info.created):16}  {info.kind:7}  {contacts:>9}  "
              f"{posts:>7}  {catalog.human_size(info.size):>9}  {info.path.name}")
    return 0


def newest_backup(path: Path) -> Path | None:
    """The newest readable backup of the workspace at ``path``, if there is one."""
    found = [info for info in _backups_of(path)[1] if info.usable]
    return found[0].path if found else None


def _confirm(source: Path, path: Path) -> None:
    from socialdesk.core.backup import catalog

    info = catalog.inspect(source)
    counts = "" if info.counts is None else (
        f" ({plural(info.counts.get('contacts', 0), 'contact')}, "
        f"{plural(info.counts.get('posts', 0), 'post')})")
    question = (f"Replace {path} with the backup from {catalog.local_time(info.created)}"
                f"{counts}? The current state is backed up first. [y/N] ")
    if not _interactive():
        raise UserError(f"{path}: restoring replaces this workspace; add --yes to confirm.")
    if input(question).strip().lower() not in ("y", "yes"):
        raise UserError("Nothing was restored.")


def run_restore(args: argparse.Namespace) -> int:
    """Restore a backup into the workspace (creating it if it does not exist)."""
    from socialdesk.core.backup import crypto, restore, secrets

    path = workspace_path(args).expanduser().absolute()
    if args.backup == "latest" and not Path("latest").exists():
        source = newest_backup(path)
        if source is None:
            raise UserError(f"{path}: no backup of this workspace was found in "
                            f"{_folder_for(path)}.")
    else:
        source = Path(args.backup).expanduser().absolute()
    if not source.is_file():
        raise UserError(f"{source}: no backup file here.")
    if path.exists() and not args.yes:
        _confirm(source, path)
    passphrase = None
    if crypto.is_encrypted(source):
        passphrase = secrets.known_passphrase(path)
        if passphrase is None and _interactive():
            passphrase = getpass.getpass(f"Passphrase of {source.name}: ")
        if not passphrase:
            raise UserError(f"{source}: this backup is encrypted; set {secrets.ENV} to its "
                            "passphrase (or run this in a terminal to type it).")
    try:
        result = restore.restore(source, path, passphrase=passphrase)
    except restore.RestoreError as error:
        raise UserError(str(error)) from error
    counts = result.counts
    print(f"Restored {path} from {source.name}: {plural(counts.get('contacts', 0), 'contact')}, "
          f"{plural(counts.get('posts', 0), 'post')}.")
    if result.safety_backup:
        print(f"The state before restoring was backed up to {result.safety_backup}.")
    if result.damaged_kept:
        print(f"The damaged workspace was kept as {result.damaged_kept}.")
    return 0
