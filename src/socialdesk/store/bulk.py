"""Bulk writes for generators and importers: many rows per statement, fast.

Every function here writes inside the caller's transaction (``with ws.transaction():``)
and refuses to run outside one: row-by-row autocommit would be slow and would leave a
half-written workspace behind if something failed. Table and column names are checked
against the workspace's own schema before they are put into a statement, so a name
that is not a real table or column can never reach SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from socialdesk.store.workspace import Workspace


def _require_transaction(ws: Workspace) -> None:
    if not ws.conn.in_transaction:
        raise RuntimeError("bulk writes must run inside ws.transaction()")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_columns(ws: Workspace, table: str) -> tuple[str, ...]:
    """Return the columns of the ordinary table ``table`` in schema order.

    Raises :class:`ValueError` if the workspace has no such table (views, virtual
    full-text tables and SQLite's internal tables do not count).
    """
    found = ws.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "AND upper(sql) NOT LIKE 'CREATE VIRTUAL TABLE%'",
        (table,),
    ).fetchone()
    if found is None:
        raise ValueError(f"no table named {table!r} in the workspace")
    rows = ws.conn.execute("SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,))
    return tuple(row[0] for row in rows)


def _checked(ws: Workspace, table: str, columns: Sequence[str]) -> tuple[str, ...]:
    """Return ``columns`` after checking that each is a column of ``table``."""
    known = set(table_columns(ws, table))
    unknown = [column for column in columns if column not in known]
    if unknown:
        raise ValueError(f"table {table!r} has no column(s) {', '.join(map(repr, unknown))}")
    if not columns or len(set(columns)) != len(columns):
        raise ValueError(f"columns for {table!r} must be non-empty and distinct: {columns!r}")
    return tuple(columns)


def defer_foreign_keys(ws: Workspace) -> None:
    """Check foreign keys at commit rather than row by row, for this transaction only.

    A bulk load can then write a contact's e-mails and tags before the contact, so the
    search index gets each contact once, complete, instead of once per e-mail and tag.
    """
    _require_transaction(ws)
    ws.conn.execute("PRAGMA defer_foreign_keys = ON")


# What the search index holds for a contact: what the contacts_fts_insert trigger writes.
_INDEX_NEW_CONTACTS = """
INSERT INTO contacts_fts (rowid, name, organisation, emails, tags, notes)
SELECT c.id, c.name, c.organisation,
       (SELECT coalesce(group_concat(value, ' '), '') FROM contact_details
        WHERE contact_id = c.id AND kind = 'email'),
       (SELECT coalesce(group_concat(t.name, ' '), '') FROM contact_tags ct
        JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id),
       c.notes
FROM contacts c WHERE c.id >= ?
"""


@contextmanager
def loading(ws: Workspace, cache_mib: int = 256) -> Iterator[None]:
    """A bulk load of new rows, several times faster than the same inserts alone.

    Foreign keys are checked at commit (:func:`defer_foreign_keys`), the page cache is
    ``cache_mib`` large meanwhile, and the contacts inserted inside the block are added
    to the search index in one statement at its end rather than by a trigger row by
    row. Leaving the block with an error leaves them out of the index: the caller's
    transaction is then rolled back.
    """
    _require_transaction(ws)
    defer_foreign_keys(ws)
    conn = ws.conn
    first = next_id(ws, "contacts")
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'contacts_fts_insert'"
    ).fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-int(cache_mib) * 1024}")
    conn.execute("DROP TRIGGER contacts_fts_insert")
    try:
        yield
        conn.execute(_INDEX_NEW_CONTACTS, (first,))
    finally:
        conn.execute(trigger)
        conn.execute(f"PRAGMA cache_size = {int(cache)}")


def insert_rows(
    ws: Workspace, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ``rows`` (each a sequence of values in ``columns`` order) into ``table``.

    One prepared statement, run with ``executemany`` in the caller's transaction;
    ``rows`` may be a generator and is consumed once. Returns the number of rows
    inserted. Constraint violations raise :class:`sqlite3.IntegrityError` and the
    caller's transaction decides what is kept (normally nothing).
    """
    _require_transaction(ws)
    names = _checked(ws, table, columns)
    placeholders = ", ".join("?" for _ in names)
    sql = (
        f"INSERT INTO {_quote(table)} ({', '.join(map(_quote, names))}) "
        f"VALUES ({placeholders})"
    )
    cursor = ws.conn.executemany(sql, rows)
    return max(cursor.rowcount, 0)


def upsert_names(ws: Workspace, table: str, names: Iterable[str]) -> dict[str, int]:
    """Make sure every name exists in a name table (``tags``, ``topics``); map name → id.

    ``table`` must have an ``id`` and a unique ``name`` column. Existing names keep
    their id; names that differ only in case share one row where the column is
    ``COLLATE NOCASE``. Empty names are refused with :class:`ValueError`.
    """
    _require_transaction(ws)
    _checked(ws, table, ("id", "name"))
    unique_name = ws.conn.execute(
        "SELECT 1 FROM pragma_index_list(?) AS l, pragma_index_info(l.name) AS i "
        "WHERE l.\"unique\" GROUP BY l.name HAVING count(*) = 1 AND max(i.name) = 'name'",
        (table,),
    ).fetchone()
    if unique_name is None:
        raise ValueError(f"table {table!r} has no unique 'name' column")
    quoted = _quote(table)
    ids: dict[str, int] = {}
    for name in dict.fromkeys(names):
        if not name.strip():
            raise ValueError(f"empty name for {table!r}")
        ws.conn.execute(f"INSERT INTO {quoted} (name) VALUES (?) ON CONFLICT DO NOTHING", (name,))
        row = ws.conn.execute(f"SELECT id FROM {quoted} WHERE name = ?", (name,)).fetchone()
        ids[name] = int(row[0])
    return ids


def count_rows(ws: Workspace, table: str) -> int:
    """Return the number of rows in ``table``."""
    table_columns(ws, table)
    return int(ws.conn.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0])


def next_id(ws: Workspace, table: str) -> int:
    """Return an ``id`` above every id now in ``table``, to number new rows explicitly.

    Bulk writers that must refer to the rows they insert (children, links) number
    them from here instead of reading ``lastrowid`` row by row. Only meaningful
    inside the transaction that then inserts them.
    """
    _checked(ws, table, ("id",))
    row = ws.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {_quote(table)}").fetchone()
    return int(row[0])
