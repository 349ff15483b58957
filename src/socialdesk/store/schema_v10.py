"""Schema version 10: own accounts on Mastodon and Bluesky, and what was published there.

``accounts`` holds each connected account as its server verified it — never its secret,
which lives in the OS keyring (``core/publish/accounts.py``). A removed account keeps its
row (``removed_at``), so that the posts it published stay known and are not sent again
when it is connected anew.

``publications`` holds one row per post and account: ``intent`` is written and
committed before the request goes out, ``sent`` with the remote id after it came back,
``failed`` when the server refused it (nothing was created there). A row left at
``intent`` means the outcome is unknown (a crash, a lost answer): the account's recent
posts are checked for it, by ``idempotency_key`` (the Mastodon Idempotency-Key, the
Bluesky record key) and ``text``, before anything is sent again.
"""

from socialdesk.store.schema_v1 import NOW

SQL = f"""
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    network TEXT NOT NULL CHECK (network IN ('mastodon', 'bluesky')),
    server TEXT NOT NULL,
    handle TEXT NOT NULL,
    remote_id TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    profile_url TEXT NOT NULL DEFAULT '',
    verified_at TEXT NOT NULL DEFAULT {NOW},
    removed_at TEXT,
    UNIQUE (network, server, remote_id)
);

CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('intent', 'sent', 'failed')),
    idempotency_key TEXT NOT NULL,
    text TEXT NOT NULL,
    intended_at TEXT NOT NULL,
    scheduled_at TEXT,
    remote_id TEXT NOT NULL DEFAULT '',
    remote_uri TEXT NOT NULL DEFAULT '',
    remote_url TEXT NOT NULL DEFAULT '',
    sent_at TEXT,
    error TEXT NOT NULL DEFAULT '',
    UNIQUE (post_id, account_id)
);
CREATE INDEX publications_account ON publications(account_id, state);
"""
