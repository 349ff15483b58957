"""Contacts: search, paging, reading, writing."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from socialdesk.store.columns import field_names, from_row, select_list, select_named
from socialdesk.store.models import Contact, ContactRow, Detail, FollowUp
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    import numpy as np

_WORD = re.compile(r"\w[\w@.'-]*", re.UNICODE)

# Sort keys a view may ask for, mapped to SQL that is safe to interpolate.
SORT_KEYS = {
    "name": "c.name COLLATE NOCASE",
    "organisation": "c.organisation COLLATE NOCASE",
    "kind": "c.kind",
    "stage": "c.stage",
    "follow_up_on": "c.follow_up_on",
    "email": "email COLLATE NOCASE",
    "audience": "audience",
}

# The contacts table's columns, named once. A contact's own columns are the fields of
# :class:`Contact` (its details and tags are rows of other tables); the record columns
# are kept by the store and read by exports and undo only.
CONTACT_COLUMNS = field_names(Contact, leave_out=("details", "tags"))
EDITABLE_COLUMNS = CONTACT_COLUMNS[1:]  # what a save writes: all but the id
# vcard_extra: the card's lines SocialDesk has no field for, written back with the card.
RECORD_COLUMNS = ("uid", "created_at", "updated_at", "vcard_extra")
# A partner's name in tracked links (written by store/share.py); undo keeps it too.
SHARE_COLUMNS = ("slug",)


def new_uid() -> str:
    """A UID for a contact that came without one: random (UUID version 4), kept for good."""
    return f"urn:uuid:{uuid.uuid4()}"
DETAIL_COLUMNS = field_names(Detail)  # a contact_details row as read (besides its position)

# A line of the contacts table: the fields of :class:`ContactRow`, in that order, each a
# column of ``contacts c`` unless computed here. Big reads keep these rows as plain
# tuples (see :func:`row_tuples_for_ids`); ``ROW_*`` name the positions once.
_ROW_EXPRESSIONS = {
    "email": "coalesce((SELECT d.value FROM contact_details d "
    "WHERE d.contact_id = c.id AND d.kind = 'email' ORDER BY d.position LIMIT 1), '')",
    "tags": "coalesce((SELECT group_concat(t.name, ', ') FROM contact_tags ct "
    "JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id), '')",
    "audience": "(SELECT coalesce(sum(a.size), 0) FROM audiences a WHERE a.contact_id = c.id)",
}
ROW_FIELDS = field_names(ContactRow)
ROW_ID, ROW_FOLLOW_UP, ROW_AUDIENCE = (
    ROW_FIELDS.index(name) for name in ("id", "follow_up_on", "audience"))
_ROW_SQL = f"SELECT {select_named(ROW_FIELDS, 'c', _ROW_EXPRESSIONS)}\nFROM contacts c\n"


@dataclass(frozen=True, slots=True)
class ContactQuery:
    """What the contacts table shows: a search text, filters and a sort order."""

    text: str = ""
    kind: str | None = None
    sort: str = "name"
    descending: bool = False
    stage: str | None = None
    tag: str | None = None

    @property
    def filtered(self) -> bool:
        """True when anything narrows the list (text or a filter)."""
        return bool(fts_expression(self.text) or self.kind or self.stage or self.tag)


def fts_expression(text: str) -> str | None:
    """Turn what a user typed into an FTS5 prefix query (every word must match).

    Returns None when nothing searchable was typed.
    """
    words = _WORD.findall(text)
    if not words:
        return None
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def _where(query: ContactQuery, among: str = "") -> tuple[str, list[object]]:
    """The WHERE clause of ``query``; ``among``: a table of ids the text is matched within."""
    clauses: list[str] = []
    params: list[object] = []
    expression = fts_expression(query.text)
    if expression:
        within = f"rowid IN (SELECT id FROM {among}) AND " if among else ""
        clauses.append(f"c.id IN (SELECT rowid FROM contacts_fts WHERE {within}"
                       "contacts_fts MATCH ?)")
        params.append(expression)
    if query.kind:
        clauses.append("c.kind = ?")
        params.append(query.kind)
    if query.stage:
        clauses.append("c.stage = ?")
        params.append(query.stage)
    if query.tag:
        clauses.append(
            "c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id "
            "WHERE t.name = ?)"
        )
        params.append(query.tag)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def count_contacts(ws: Workspace, query: ContactQuery = ContactQuery()) -> int:
    """How many contacts match ``query``."""
    where, params = _where(query)
    return int(ws.conn.execute(f"SELECT count(*) FROM contacts c{where}", params).fetchone()[0])


def highest_contact_id(ws: Workspace) -> int:
    """The largest contact id there is (0 when there are none): bounds the contact count."""
    return int(ws.conn.execute("SELECT coalesce(max(id), 0) FROM contacts").fetchone()[0])


def contact_rows(
    ws: Workspace, query: ContactQuery = ContactQuery(), offset: int = 0, limit: int = 500
) -> list[ContactRow]:
    """One page of contacts matching ``query``, in its sort order."""
    where, params = _where(query)
    order = SORT_KEYS.get(query.sort, SORT_KEYS["name"])
    direction = "DESC" if query.descending else "ASC"
    sql = f"{_ROW_SQL}{where} ORDER BY {order} {direction}, c.id LIMIT ? OFFSET ?"
    rows = ws.conn.execute(sql, [*params, limit, offset]).fetchall()
    return [contact_row(row) for row in rows]


def matching_ids(ws: Workspace, query: ContactQuery) -> list[int]:
    """The ids of the contacts matching ``query``'s text and filters, in no order."""
    where, params = _where(query)
    if not where:
        sql, params = "SELECT id FROM contacts", []
    elif query.kind or query.stage or query.tag:
        sql = f"SELECT c.id FROM contacts c{where}"
    else:  # text only: the full-text index alone answers
        sql, params = "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?", params
    cursor = ws.conn.cursor()
    cursor.row_factory = None
    return [row[0] for row in cursor.execute(sql, params)]


def first_matching_ids(ws: Workspace, query: ContactQuery, limit: int) -> np.ndarray:
    """The ids of up to ``limit`` contacts matching ``query``'s filters, in no order.

    Read as one string (:func:`ids_from_text`), so no Python object is made per id.
    """
    where, params = _where(query)
    sql = f"SELECT group_concat(id) FROM (SELECT c.id FROM contacts c{where} LIMIT ?)"
    return ids_from_text(ws.conn.execute(sql, [*params, limit]).fetchone()[0])


def among_ids_sql(query: ContactQuery) -> tuple[str, list[object]]:
    """SQL for the ids matching ``query`` among a JSON list of ids (its first parameter).

    The text is matched within those ids only, so a look-up costs as many ids as asked.
    """
    where, params = _where(query, among="chunk")
    where = where.replace(" WHERE ", " AND ", 1)
    return ("WITH chunk(id) AS (SELECT value FROM json_each(?)) SELECT c.id FROM contacts c "
            f"WHERE c.id IN (SELECT id FROM chunk){where}"), params


def _ordered_ids_sql(sort: str, descending: bool) -> str:
    """Every contact id (first column) in a sort order, ties broken by id."""
    order = SORT_KEYS.get(sort, SORT_KEYS["name"])
    direction = "DESC" if descending else "ASC"
    select = "c.id" if sort not in ("email", "audience") else _SORT_SELECT[sort]
    return f"SELECT {select} FROM contacts c ORDER BY {order} {direction}, c.id {direction}"


def sorted_ids(ws: Workspace, sort: str = "name", descending: bool = False) -> np.ndarray:
    """Every contact id in a sort order (ties broken by id), as a numpy array.

    SQLite joins the ids into one string (an aggregate keeps its ordered subquery's
    order), so no Python object is made per contact, and :func:`ids_from_text` parses it
    a piece at a time: a worker thread reading this holds Python's interpreter lock for
    a millisecond at a time.
    """
    sql = f"SELECT group_concat(id) FROM ({_ordered_ids_sql(sort, descending)})"
    return ids_from_text(ws.conn.execute(sql).fetchone()[0])


PARSE_PIECE = 200_000  # characters of ids parsed in one call (~30,000 ids, ~1 ms)


def ids_from_text(joined: str | None) -> np.ndarray:
    """Comma-separated ids (``group_concat``) as an array of int64.

    Parsed :data:`PARSE_PIECE` characters at a time: numpy holds the interpreter lock
    while it parses, so a million ids in one call (25–50 ms) would keep the GUI thread
    waiting that long; between pieces another thread may take the lock.
    """
    import numpy as np  # imported on first use, not at startup

    if not joined:
        return np.zeros(0, dtype=np.int64)
    pieces, start = [], 0
    while start < len(joined):
        end = joined.find(",", start + PARSE_PIECE)
        end = len(joined) if end < 0 else end
        pieces.append(np.fromstring(joined[start:end], dtype=np.int64, sep=","))
        start = end + 1
    return np.concatenate(pieces)


def first_sorted_ids(ws: Workspace, sort: str, descending: bool, limit: int) -> list[int]:
    """The first ``limit`` ids of :func:`sorted_ids` (fast where an index gives the order)."""
    cursor = ws.conn.cursor()
    cursor.row_factory = None
    sql = f"{_ordered_ids_sql(sort, descending)} LIMIT ?"
    return [row[0] for row in cursor.execute(sql, (limit,))]


_SORT_SELECT = {
    "email": "c.id, (SELECT d.value FROM contact_details d WHERE d.contact_id = c.id "
    "AND d.kind = 'email' ORDER BY d.position LIMIT 1) AS email",
    "audience": "c.id, (SELECT coalesce(sum(a.size), 0) FROM audiences a "
    "WHERE a.contact_id = c.id) AS audience",
}

RowTuple = tuple[int, str, str, str, str, str, str, str | None, int]  # ROW_FIELDS' types


def contact_row(row: Sequence[Any]) -> ContactRow:
    """A :class:`ContactRow` from a row of ``_ROW_SQL`` (a tuple or a ``sqlite3.Row``)."""
    return ContactRow(**dict(zip(ROW_FIELDS, row, strict=True)))  # the SELECT's own order


def row_tuples_for_ids(ws: Workspace, ids: Sequence[int]) -> list[RowTuple]:
    """The rows of the contacts ``ids`` as plain tuples (fields as in :class:`ContactRow`).

    In the order of ``ids``; missing contacts are left out. Tuples of strings and numbers
    are not tracked by the garbage collector, so keeping 100k of them costs full
    collections nothing (100k ``ContactRow`` objects cost tens of milliseconds a pass).
    """
    wanted = ids.tolist() if hasattr(ids, "tolist") else list(ids)
    found: dict[int, RowTuple] = {}
    cursor = ws.conn.cursor()
    cursor.row_factory = None
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in cursor.execute(f"{_ROW_SQL} WHERE c.id IN ({marks})", chunk):
            found[row[0]] = row
    return [found[i] for i in wanted if i in found]


def rows_for_ids(ws: Workspace, ids: Sequence[int]) -> list[ContactRow]:
    """The table rows of the contacts ``ids``, in that order (missing ones left out)."""
    return [contact_row(row) for row in row_tuples_for_ids(ws, ids)]


def get_contact(ws: Workspace, contact_id: int) -> Contact | None:
    """The contact with its details and tags, or None if it does not exist."""
    row = ws.conn.execute(
        f"SELECT {select_list(CONTACT_COLUMNS)} FROM contacts WHERE id = ?", (contact_id,)
    ).fetchone()
    if row is None:
        return None
    details = ws.conn.execute(
        f"SELECT {select_list(DETAIL_COLUMNS)} FROM contact_details WHERE contact_id = ? "
        "ORDER BY kind, position, id",
        (contact_id,),
    ).fetchall()
    tags = ws.conn.execute(
        "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id "
        "WHERE ct.contact_id = ? ORDER BY t.name COLLATE NOCASE",
        (contact_id,),
    ).fetchall()
    return from_row(
        Contact, row, CONTACT_COLUMNS,
        details=tuple(from_row(Detail, d, DETAIL_COLUMNS) for d in details),
        tags=tuple(t["name"] for t in tags),
    )


def save_contact(ws: Workspace, contact: Contact) -> int:
    """Insert (``id`` 0) or update a contact with its details and tags; return its id."""
    contact = replace(contact, name=contact.name.strip(),
                      organisation=contact.organisation.strip())
    fields = editable_values(contact)
    if not contact.name:
        raise ValueError("A contact needs a name.")
    with ws.transaction():
        if contact.id:
            assignments = "".join(f"{name} = ?, " for name in EDITABLE_COLUMNS)
            ws.conn.execute(
                f"UPDATE contacts SET {assignments}"
                "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
                (*fields, contact.id),
            )
            contact_id = contact.id
            ws.conn.execute("DELETE FROM contact_details WHERE contact_id = ?", (contact_id,))
            ws.conn.execute("DELETE FROM contact_tags WHERE contact_id = ?", (contact_id,))
        else:
            marks = ", ".join("?" * (1 + len(EDITABLE_COLUMNS)))
            contact_id = int(ws.conn.execute(
                f"INSERT INTO contacts (uid, {select_list(EDITABLE_COLUMNS)}) VALUES ({marks})",
                (new_uid(), *fields),
            ).lastrowid or 0)
        ws.conn.executemany(
            "INSERT INTO contact_details (contact_id, kind, value, label, position) "
            "VALUES (?, ?, ?, ?, ?)",
            [(contact_id, d.kind, d.value, d.label, i) for i, d in enumerate(contact.details)],
        )
        _set_tags(ws, contact_id, contact.tags)
    return int(contact_id)


def editable_values(contact: Contact) -> tuple[object, ...]:
    """The values of :data:`EDITABLE_COLUMNS` for ``contact``, in that order."""
    return tuple(getattr(contact, name) for name in EDITABLE_COLUMNS)


def _set_tags(ws: Workspace, contact_id: int, tags: Sequence[str]) -> None:
    unique: dict[str, str] = {}
    for tag in tags:  # the first spelling of a tag wins: "VIP" and "vip" are one tag
        if tag.strip():
            unique.setdefault(tag.strip().casefold(), tag.strip())
    names = list(unique.values())
    ws.conn.executemany("INSERT OR IGNORE INTO tags (name) VALUES (?)", [(n,) for n in names])
    ws.conn.executemany(
        "INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) "
        "SELECT ?, id FROM tags WHERE name = ?",
        [(contact_id, n) for n in names],
    )


def delete_contact(ws: Workspace, contact_id: int) -> None:
    """Delete a contact with its details, audiences, interactions and asks."""
    with ws.transaction():
        ws.conn.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))


_FOLLOW_UP_FIELDS = field_names(FollowUp)


def follow_ups_due(ws: Workspace, until: str, limit: int = 50) -> list[FollowUp]:
    """Contacts whose follow-up date is on or before ``until`` (ISO date), oldest first."""
    rows = ws.conn.execute(
        f"SELECT {select_named(_FOLLOW_UP_FIELDS, 'c', {'contact_id': 'c.id'})} FROM contacts c "
        "WHERE c.follow_up_on IS NOT NULL AND c.follow_up_on <= ? "
        "ORDER BY c.follow_up_on, c.name LIMIT ?",
        (until, limit),
    ).fetchall()
    return [from_row(FollowUp, row, _FOLLOW_UP_FIELDS) for row in rows]


def all_tags(ws: Workspace) -> list[str]:
    """Every tag name, alphabetically."""
    return [r[0] for r in ws.conn.execute("SELECT name FROM tags ORDER BY name COLLATE NOCASE")]
