"""Schema version 10: own accounts on Mastodon and Bluesky, and what was published there.

``accounts`` holds each connected account as its server verified it — never its secret,
which lives in the OS keyring (``core/publish/accounts.py``). A removed account keeps its
row (``removed_at``), so that the posts it published stay known and are not sent again
when it is connected anew. Due posts go out only from ``connected_at`` on: posts whose
time passed before the account was first connected are sent only when asked for.

``publications`` holds one row per post and account: ``intent`` is written and
committed before the request goes out, ``sent`` with the remote id after it came back,
``failed`` when the server refused it (nothing was created there); ``retry_at`` is when
a server that limited requests (429) said to try again, and nothing is sent before then.
A row left at ``intent`` means the outcome is unknown (a crash, a lost answer): the account's recent
posts are checked for it, by ``idempotency_key`` (the Mastodon Idempotency-Key, the
Bluesky record key) and ``text``, before anything is sent again.

``publication_results`` holds the counts last read back (``socialdesk results fetch``):
boosts/reposts, favourites/likes, replies and quotes, with the time read.
``publication_sharers`` holds who boosted or reposted it, each once, matched to a
contact by the handle of their audience on that network where one matches, and to the
ask it answered (or none: an unprompted reshare).

``post_media.alt`` is each media file's description (alt text), sent with it.
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
    connected_at TEXT NOT NULL DEFAULT {NOW},
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
    retry_at TEXT,
    UNIQUE (post_id, account_id)
);
CREATE INDEX publications_account ON publications(account_id, state);

CREATE TABLE publication_results (
    publication_id INTEGER PRIMARY KEY REFERENCES publications(id) ON DELETE CASCADE,
    boosts INTEGER NOT NULL CHECK (boosts >= 0),
    likes INTEGER NOT NULL CHECK (likes >= 0),
    replies INTEGER NOT NULL CHECK (replies >= 0),
    quotes INTEGER NOT NULL CHECK (quotes >= 0),
    read_at TEXT NOT NULL
);

CREATE TABLE publication_sharers (
    publication_id INTEGER NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL,
    handle TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    ask_id INTEGER REFERENCES asks(id) ON DELETE SET NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (publication_id, remote_id)
) WITHOUT ROWID;
CREATE INDEX publication_sharers_contact ON publication_sharers(contact_id);

ALTER TABLE post_media ADD COLUMN alt TEXT NOT NULL DEFAULT '';
"""
