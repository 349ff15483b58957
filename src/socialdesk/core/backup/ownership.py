"""Which backups belong to which workspace: the identity stored in it, never the file name.

Every workspace holds a random id (:mod:`socialdesk.store.identity`), and every backup
carries it together with ``workspace_location``, a fingerprint of where the workspace
file was (its absolute path, hashed, so an encrypted backup's cleartext header names no
folder). Two workspaces called ``shop.sqlite`` in different folders never share backups.

- A backup that carries an id belongs to the workspace with that id, however the
  workspace or the backup file has been renamed or moved since. Only such backups are
  ever rotated, and only by their own workspace.
- A workspace file that cannot be read (damaged, or deleted) is known by its place: its
  backups are those made of a workspace at this path, and every backup carrying the
  same id as those.
- A backup made before workspaces had an identity carries neither. It belongs to a
  workspace only when that workspace's backup log records its path: it is listed and
  restorable there, but never rotated (its owner cannot be proved), so it stays until
  the user removes it.

A copy of a workspace file is the same workspace as far as its backups can tell (as a
moved one is); a restore over a workspace keeps that workspace's id
(:func:`carry_identity`), so restoring never makes two workspaces share one.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from socialdesk.core.backup import catalog
from socialdesk.core.backup.catalog import BackupInfo
from socialdesk.store import backups, identity
from socialdesk.store.errors import WorkspaceError
from socialdesk.store.workspace import Workspace


def _normal(path: Path | str) -> str:
    return os.path.normcase(os.path.abspath(Path(path).expanduser()))


def location(workspace: Path) -> str:
    """The fingerprint of where the workspace file at ``workspace`` is."""
    return hashlib.sha256(_normal(workspace).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def label(conn: sqlite3.Connection, workspace: Path) -> dict[str, str]:
    """What a new backup of the workspace behind ``conn`` carries (assigning its id if new)."""
    return {"workspace_id": identity.assign_id(conn), "workspace_location": location(workspace)}


@dataclass(frozen=True, slots=True)
class Owner:
    """A workspace as its backups know it."""

    workspace_id: str  # empty when the workspace cannot be read or has no id yet
    location: str
    readable: bool
    logged: frozenset[str] = frozenset()  # paths of the backups its log records

    def stamped(self, info: BackupInfo) -> bool:
        """Whether the backup carries this workspace's id (only those are rotated)."""
        return bool(self.workspace_id) and info.workspace_id == self.workspace_id

    def select(self, found: Iterable[BackupInfo]) -> list[BackupInfo]:
        """The backups among ``found`` that are this workspace's, in the same order."""
        found = list(found)
        if self.readable:
            ids = {self.workspace_id} - {""}
        else:
            ids = {b.workspace_id for b in found
                   if b.workspace_id and b.workspace_location == self.location}
        return [b for b in found if (b.workspace_id in ids if b.workspace_id
                                     else _normal(b.path) in self.logged)]


def owner_of(ws: Workspace) -> Owner:
    """The owner of an open workspace's backups."""
    logged = frozenset(_normal(path) for path in backups.logged_paths(ws))
    return Owner(identity.read_id(ws.conn) or "", location(ws.path), True, logged)


def owner_at(workspace: Path) -> Owner:
    """The owner of the workspace file at ``workspace``, read without changing it.

    A damaged or unreadable file gives an owner known only by its place.
    """
    try:
        with Workspace.open_readonly(workspace) as ws:
            return owner_of(ws)
    except (WorkspaceError, sqlite3.Error, OSError, ValueError):
        return Owner("", location(workspace), readable=False)


def backups_of(owner: Owner, folder: Path) -> list[BackupInfo]:
    """The backups in ``folder`` that belong to ``owner``, newest first."""
    return owner.select(catalog.list_backups(folder))


def carry_identity(restored: Path, workspace: Path) -> None:
    """Give the database ``restored`` (about to replace ``workspace``) its identity.

    A workspace replaced by a restore keeps its own identity when it has one, so its
    backups stay its own and two workspaces never share one. Restored into a new place
    (another computer, a moved workspace) or over an unreadable file, the workspace keeps
    the backup's identity, and with it the backups that carry it.
    """
    current = owner_at(workspace).workspace_id if workspace.exists() else ""
    if not current:
        return
    identity.set_id_of_file(restored, current)
