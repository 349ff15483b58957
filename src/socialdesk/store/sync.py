"""What team sharing keeps in the workspace: the account, each synced item, conflicts.

And the server's items that wait to be stored (``sync_waiting``, schema version 15).
See ``schema_v13`` and ``docs/schema.md`` ("Team sharing"). Records travel as JSON text.
The item and conflict writes run inside the caller's transaction (the sync engine saves an
item's state together with the local change it goes with).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from socialdesk.store.columns import field_names, rows_as, select_list
from socialdesk.store.workspace import Workspace

Collection = Literal["calendar", "tasks", "addressbook"]


@dataclass(frozen=True, slots=True)
class Account:
    """The server a workspace syncs with and what was found there."""

    server_url: str
    user_name: str
    calendar_url: str = ""
    addressbook_url: str = ""
    calendar_token: str = ""
    addressbook_token: str = ""
    last_sync_at: str | None = None
    devices: str = "[]"  # JSON: [{"id", "name", "synced_at"}], see :func:`devices`
    tasks_url: str = ""  # the task list the asks live in (schema version 21)
    tasks_token: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    """One synced item as last agreed with the server."""

    kind: str
    uid: str
    href: str
    etag: str
    record: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field changed on both sides (``*``: an edit against a deletion, None = deleted)."""

    id: int
    kind: str
    uid: str
    field: str
    mine: Any
    theirs: Any


@dataclass(frozen=True, slots=True)
class Waiting:
    """A server's item that cannot be stored yet, as read, and why."""

    href: str
    kind: str
    uid: str
    etag: str
    record: dict[str, Any]
    reason: str
    since: str = ""


@dataclass(frozen=True, slots=True)
class _Stored:
    """A row of ``sync_items`` or ``sync_conflicts`` as stored (JSON as text)."""

    kind: str
    uid: str
    href: str = ""
    etag: str = ""
    record: str = "null"
    id: int = 0
    field: str = ""
    mine: str = "null"
    theirs: str = "null"


ACCOUNT_COLUMNS = select_list(field_names(Account))
_BEFORE_TASK_LIST = select_list(field_names(Account, ("tasks_url", "tasks_token")))  # v13-20
ITEM_COLUMNS = "kind, uid, href, etag, record"
CONFLICT_COLUMNS = "kind, uid, id, field, mine, theirs"


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)


def account(ws: Workspace) -> Account | None:
    """The workspace's sync account, None when sync is not set up."""
    columns = ACCOUNT_COLUMNS if ws.schema_version >= 21 else _BEFORE_TASK_LIST
    found = rows_as(Account, ws.conn.execute(
        f"SELECT {columns} FROM sync_account WHERE id = 1"))
    return found[0] if found else None


def save_account(ws: Workspace, acct: Account) -> None:
    """Set up (or replace) the account; a different server forgets what was synced."""
    with ws.transaction():
        old = account(ws)
        if old is not None and (old.calendar_url, old.addressbook_url) != (
                acct.calendar_url, acct.addressbook_url):
            ws.conn.execute("DELETE FROM sync_items")
            ws.conn.execute("DELETE FROM sync_conflicts")
            ws.conn.execute("DELETE FROM sync_waiting")
        ws.conn.execute(
            f"INSERT OR REPLACE INTO sync_account (id, {ACCOUNT_COLUMNS}) "
            f"VALUES (1, {', '.join('?' * len(field_names(Account)))})",
            (acct.server_url, acct.user_name, acct.calendar_url, acct.addressbook_url,
             acct.calendar_token, acct.addressbook_token, acct.last_sync_at, acct.devices,
             acct.tasks_url, acct.tasks_token))


def set_task_list(ws: Workspace, url: str) -> None:
    """Remember the task list found or made for a workspace set up before there was one."""
    with ws.transaction():
        ws.conn.execute("UPDATE sync_account SET tasks_url = ?, tasks_token = '' WHERE id = 1",
                        (url,))


def set_token(ws: Workspace, collection: Collection, token: str) -> None:
    """Remember a collection's sync token after a complete pull."""
    column = {"calendar": "calendar_token", "tasks": "tasks_token",
              "addressbook": "addressbook_token"}[collection]
    with ws.transaction():
        ws.conn.execute(f"UPDATE sync_account SET {column} = ? WHERE id = 1", (token,))


def set_last_sync(ws: Workspace, when: str, seen: list[dict[str, str]] | None = None) -> None:
    """Remember when the last sync ended (UTC) and the computers it saw (None: unknown)."""
    with ws.transaction():
        ws.conn.execute("UPDATE sync_account SET last_sync_at = ? WHERE id = 1", (when,))
        if seen is not None:
            ws.conn.execute("UPDATE sync_account SET devices = ? WHERE id = 1", (_dump(seen),))


def devices(acct: Account) -> list[dict[str, str]]:
    """The computers that synced, as the last sync saw them: ``id``, ``name``, ``synced_at``."""
    try:
        found = json.loads(acct.devices)
    except ValueError:
        return []
    return [d for d in found if isinstance(d, dict)] if isinstance(found, list) else []


def _items(ws: Workspace, where: str, params: Sequence[str]) -> list[Item]:
    rows = rows_as(_Stored, ws.conn.execute(
        f"SELECT {ITEM_COLUMNS} FROM sync_items WHERE {where}", params))
    return [Item(r.kind, r.uid, r.href, r.etag, json.loads(r.record)) for r in rows]


def items(ws: Workspace, kind: str) -> dict[str, Item]:
    """Every synced item of ``kind``, by UID."""
    return {found.uid: found for found in _items(ws, "kind = ?", (kind,))}


def item(ws: Workspace, kind: str, uid: str) -> Item | None:
    """The synced item ``uid`` of ``kind``, None if it was never synced."""
    found = _items(ws, "kind = ? AND uid = ?", (kind, uid))
    return found[0] if found else None


def items_at(ws: Workspace, hrefs: list[str]) -> dict[str, Item]:
    """The synced items the server keeps at ``hrefs``, by href."""
    found: dict[str, Item] = {}
    for start in range(0, len(hrefs), 500):
        chunk = hrefs[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for stored in _items(ws, f"href IN ({marks})", chunk):
            found[stored.href] = stored
    return found


def hrefs_under(ws: Workspace, prefix: str) -> dict[str, str]:
    """Every synced item's href that starts with ``prefix`` (a collection), with its ETag."""
    rows = rows_as(_Stored, ws.conn.execute(
        f"SELECT {ITEM_COLUMNS} FROM sync_items WHERE substr(href, 1, ?) = ?",
        (len(prefix), prefix)))
    return {r.href: r.etag for r in rows}


def save_item(ws: Workspace, kind: str, uid: str, href: str, etag: str,
              record: dict[str, Any]) -> None:
    """Remember the version of ``uid`` both sides now have."""
    ws.conn.execute(
        "INSERT OR REPLACE INTO sync_items (kind, uid, href, etag, record) VALUES (?, ?, ?, ?, ?)",
        (kind, uid, href, etag, _dump(record)))


def forget_item(ws: Workspace, kind: str, uid: str) -> None:
    """The item is gone on both sides."""
    ws.conn.execute("DELETE FROM sync_items WHERE kind = ? AND uid = ?", (kind, uid))


def conflicts(ws: Workspace, kind: str | None = None, uid: str | None = None) -> list[Conflict]:
    """Pending conflicts, oldest first (of one item when ``kind`` and ``uid`` are given)."""
    sql = f"SELECT {CONFLICT_COLUMNS} FROM sync_conflicts"
    params: tuple[str, ...] = ()
    if kind is not None and uid is not None:
        sql += " WHERE kind = ? AND uid = ?"
        params = (kind, uid)
    rows = rows_as(_Stored, ws.conn.execute(sql + " ORDER BY id", params))
    return [Conflict(r.id, r.kind, r.uid, r.field, json.loads(r.mine), json.loads(r.theirs))
            for r in rows]


def conflict(ws: Workspace, conflict_id: int) -> Conflict | None:
    """The pending conflict ``conflict_id``, None if there is none."""
    found = [c for c in conflicts(ws) if c.id == conflict_id]
    return found[0] if found else None


def keep_conflict(ws: Workspace, kind: str, uid: str, field: str, mine: Any, theirs: Any) -> None:
    """Record (or update) the conflict on ``field`` of ``uid``, keeping its number."""
    ws.conn.execute(
        "INSERT INTO sync_conflicts (kind, uid, field, mine, theirs) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (kind, uid, field) DO UPDATE SET mine = excluded.mine, "
        "theirs = excluded.theirs", (kind, uid, field, _dump(mine), _dump(theirs)))


def drop_conflict(ws: Workspace, conflict_id: int) -> None:
    """The user decided ``conflict_id``."""
    ws.conn.execute("DELETE FROM sync_conflicts WHERE id = ?", (conflict_id,))


def drop_conflicts(ws: Workspace, kind: str, uid: str) -> None:
    """Every conflict of ``uid`` is settled."""
    ws.conn.execute("DELETE FROM sync_conflicts WHERE kind = ? AND uid = ?", (kind, uid))


def waiting(ws: Workspace) -> dict[str, Waiting]:
    """The server's items waiting to be stored, by href (oldest first)."""
    return {row["href"]: Waiting(row["href"], row["kind"], row["uid"], row["etag"],
                                 json.loads(row["record"]), row["reason"], row["since"])
            for row in ws.conn.execute(
                "SELECT href, kind, uid, etag, record, reason, since FROM sync_waiting "
                "ORDER BY since, href")}


def set_waiting(ws: Workspace, kinds: Sequence[str], items: Sequence[Waiting],
                now: str) -> None:
    """Make ``items`` the waiting items of ``kinds`` (an item waiting already keeps its since)."""
    with ws.transaction():
        since = {w.href: w.since for w in waiting(ws).values()}
        marks = ", ".join("?" * len(kinds))
        ws.conn.execute(f"DELETE FROM sync_waiting WHERE kind IN ({marks})", list(kinds))
        ws.conn.executemany(
            "INSERT OR REPLACE INTO sync_waiting (href, kind, uid, etag, record, reason, since) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(w.href, w.kind, w.uid, w.etag, _dump(w.record), w.reason,
              since.get(w.href) or now) for w in items])
