"""Schema version 13: team sharing over CalDAV/CardDAV (``core/sync``, ``docs/sync.md``).

``sync_account`` (at most one row) is the server the workspace syncs with: its address,
the user, the calendar and address book found or made there, and each collection's sync
token (RFC 6578; '' before the first sync or when the server has none), and the computers
that synced with it as the last sync saw them (JSON). The password is never here: it
lives in the OS keyring.

``sync_items`` holds, per synced item (kind and UID), where the server keeps it (href),
the ETag of the version last read or written, and that version as JSON (the base of the
three-way merge). ``sync_conflicts`` holds a field changed on both sides (``mine`` and
``theirs`` as JSON) until the user keeps one; field ``*`` is an edit against a deletion
(the deleted side is JSON ``null``).
"""

SQL = """
CREATE TABLE sync_account (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    server_url TEXT NOT NULL,
    user_name TEXT NOT NULL,
    calendar_url TEXT NOT NULL DEFAULT '',
    addressbook_url TEXT NOT NULL DEFAULT '',
    calendar_token TEXT NOT NULL DEFAULT '',
    addressbook_token TEXT NOT NULL DEFAULT '',
    last_sync_at TEXT,
    devices TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(devices))
);
CREATE TABLE sync_items (
    kind TEXT NOT NULL,
    uid TEXT NOT NULL,
    href TEXT NOT NULL,
    etag TEXT NOT NULL DEFAULT '',
    record TEXT NOT NULL CHECK (json_valid(record)),
    PRIMARY KEY (kind, uid)
);
CREATE INDEX sync_items_href ON sync_items (href);
CREATE TABLE sync_conflicts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    uid TEXT NOT NULL,
    field TEXT NOT NULL,
    mine TEXT NOT NULL CHECK (json_valid(mine)),
    theirs TEXT NOT NULL CHECK (json_valid(theirs)),
    UNIQUE (kind, uid, field)
);
"""
