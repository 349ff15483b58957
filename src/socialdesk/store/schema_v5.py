"""Schema version 5: the store says what the data may be (``docs/schema.md``, "Rules").

- A platform (audience, own channel, post target) is one of ``PLATFORMS`` and a link's
  kind one of ``LINK_KINDS``; anything else is ``other`` with its text in
  ``platform_label`` / ``kind_label`` (``store/known_names.py``).
- One audience per partner and platform; one ask per partner and post; one link per
  pair of contacts and kind, an undirected link stored once, the smaller id first.

A workspace that breaks a rule is merged, never refused (:func:`merge`), and every merge
is written to ``migration_notes``, which ``socialdesk check`` lists.

How the rules are enforced. SQLite adds a CHECK constraint only by rebuilding the table.
That is done for ``contact_links``, ``post_channels`` and ``channels``: no table refers to
them, and the first two must lose a uniqueness rule (``UNIQUE (from_id, to_id, kind)``,
the primary key ``(post_id, platform)``) that a table keeps until rebuilt. Their rows are
set aside in temporary tables, the tables dropped and created anew under their own names,
and the rows copied back: ``ALTER TABLE … RENAME`` would rewrite the whole schema, 30 ms
that every start would pay again, since opening a workspace replays its migrations on an
empty database (``migrations.expected_schema``). ``audiences`` is not rebuilt:
``audience_topics`` refers to it, and dropping it inside the migration's transaction
(foreign keys cannot be switched off there) would delete every audience's topics. It gets
a column (``ALTER TABLE … ADD COLUMN`` writes no row), triggers that refuse an unknown
platform, and a unique index; ``asks`` needs only a unique index. On the 100,000-contact
demo (15,000 audiences, 36,000 post targets, 50,000 links, 30,000 asks) the migration
takes about two seconds, most of it SQLite checking the foreign keys of the copied rows.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from socialdesk.store.columns import rows_as
from socialdesk.store.known_names import stored_link_kind, stored_platform
from socialdesk.store.schema_v1 import NOW
from socialdesk.store.vocabulary import LINK_KINDS, PLATFORMS

NAME = "0005_store_rules"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


_UNKNOWN_PLATFORM = (
    f"new.platform NOT IN {_in(PLATFORMS)}\n"
    "    OR (new.platform <> 'other' AND new.platform_label <> '')"
)
_REFUSED = ("SELECT RAISE(ABORT, 'an audience''s platform must be a known one, "
            "or other with its name in platform_label');")

# The rows of the tables to rebuild, set aside (the temp schema is not the workspace's).
SET_ASIDE = """
CREATE TEMP TABLE old_contact_links AS SELECT * FROM main.contact_links;
CREATE TEMP TABLE old_post_channels AS SELECT * FROM main.post_channels;
CREATE TEMP TABLE old_channels AS SELECT * FROM main.channels;
DROP TABLE main.contact_links;
DROP TABLE main.post_channels;
DROP TABLE main.channels;
"""

# The new tables, written before the old rows are copied into them.
NEW_TABLES = f"""
CREATE TABLE migration_notes (
    id INTEGER PRIMARY KEY,
    migration TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT {NOW},
    note TEXT NOT NULL
);

CREATE TABLE contact_links (
    id INTEGER PRIMARY KEY,
    from_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    to_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'knows' CHECK (kind IN {_in(LINK_KINDS)}),
    weight REAL NOT NULL DEFAULT 0.5 CHECK (weight BETWEEN 0 AND 1),
    directed INTEGER NOT NULL DEFAULT 0 CHECK (directed IN (0, 1)),
    note TEXT NOT NULL DEFAULT '',
    kind_label TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    CHECK (from_id <> to_id),
    CHECK (directed = 1 OR from_id < to_id),
    CHECK (kind = 'other' OR kind_label = '')
);

CREATE TABLE post_channels (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    platform TEXT NOT NULL CHECK (platform IN {_in(PLATFORMS)}),
    body TEXT,
    platform_label TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    CHECK (platform = 'other' OR platform_label = ''),
    PRIMARY KEY (post_id, platform, platform_label)
) WITHOUT ROWID;

CREATE TABLE channels (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL CHECK (platform IN {_in(PLATFORMS)}),
    handle TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    followers INTEGER NOT NULL DEFAULT 0 CHECK (followers >= 0),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    platform_label TEXT NOT NULL DEFAULT '',
    CHECK (platform = 'other' OR platform_label = '')
);

ALTER TABLE audiences ADD COLUMN platform_label TEXT NOT NULL DEFAULT '';
"""

# The rules, once every row keeps them.
RULES = f"""
CREATE INDEX contact_links_from ON contact_links(from_id);
CREATE INDEX contact_links_to ON contact_links(to_id);
CREATE UNIQUE INDEX contact_links_pair
    ON contact_links(min(from_id, to_id), max(from_id, to_id), kind, kind_label);

CREATE UNIQUE INDEX audiences_platform
    ON audiences(contact_id, platform, platform_label COLLATE NOCASE);
CREATE TRIGGER audiences_platform_insert BEFORE INSERT ON audiences
WHEN {_UNKNOWN_PLATFORM}
BEGIN
    {_REFUSED}
END;
CREATE TRIGGER audiences_platform_update BEFORE UPDATE OF platform, platform_label ON audiences
WHEN {_UNKNOWN_PLATFORM}
BEGIN
    {_REFUSED}
END;

CREATE UNIQUE INDEX asks_partner_post ON asks(contact_id, post_id) WHERE post_id IS NOT NULL;
"""

SQL = SET_ASIDE + NEW_TABLES + RULES

# How far an ask got: a duplicate keeps the furthest (shared beats agreed beats an answer
# of no; any answer beats none).
_ASK_PROGRESS = {"asked": 0, "no_reply": 1, "declined": 2, "agreed": 3, "shared": 4}


@dataclass(frozen=True, slots=True)
class _Link:
    """A link as set aside, with its kind as stored (``name``) and its ``label``."""

    id: int
    from_id: int
    to_id: int
    name: str
    label: str
    weight: float
    directed: int
    note: str


@dataclass(frozen=True, slots=True)
class _Audience:
    """An audience, with its platform as stored (``name``) and its ``label``."""

    id: int
    contact_id: int
    platform: str
    handle: str
    url: str
    size: int
    engagement_rate: float | None
    last_checked_on: str | None
    name: str
    label: str


@dataclass(frozen=True, slots=True)
class _Ask:
    id: int
    status: str
    asked_on: str
    note: str


def _names(conn: sqlite3.Connection, table: str, column: str, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        found.update({row["id"]: row["name"] for row in conn.execute(
            f"SELECT id, {column} AS name FROM {table} "
            f"WHERE id IN ({', '.join('?' * len(chunk))})", chunk)})
    return found


def _shown(name: str, label: str) -> str:
    return label or name


def _kept_as_other(what: str, labels: dict[str, int]) -> list[str]:
    if not labels:
        return []
    listed = ", ".join(f"“{label}” ({n})" for label, n in sorted(labels.items()))
    return [f"{what} SocialDesk does not list are kept as “other” with their own names: "
            f"{listed}."]


def _joined_notes(notes: Iterable[str]) -> str:
    return "\n".join(dict.fromkeys(n.strip() for n in notes if n.strip()))


def _map_names(conn: sqlite3.Connection, table: str, column: str,
               stored: Callable[[str], tuple[str, str]]) -> dict[str, int]:
    """Fill ``temp.given_names`` (text as stored → name, label) for ``table.column``.

    Only the distinct values pass through Python; the rows are copied by SQL joining
    this table. Returns how many rows each label (a name kept as ``other``) has.
    """
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS given_names "
                 "(given TEXT PRIMARY KEY, name TEXT NOT NULL, label TEXT NOT NULL)")
    conn.execute("DELETE FROM temp.given_names")
    conn.executemany("INSERT INTO temp.given_names VALUES (?, ?, ?)", [
        (row["given"], *stored(row["given"]))
        for row in conn.execute(f"SELECT DISTINCT {column} AS given FROM {table}")])
    return {row["label"]: row["n"] for row in conn.execute(
        f"SELECT m.label AS label, count(*) AS n FROM {table} t JOIN temp.given_names m "
        f"ON m.given = t.{column} WHERE m.label <> '' GROUP BY m.label")}


def _copy_channels(conn: sqlite3.Connection) -> list[str]:
    labels = _map_names(conn, "temp.old_channels", "platform", stored_platform)
    conn.execute(
        "INSERT INTO channels (id, platform, platform_label, handle, url, followers, active) "
        "SELECT c.id, m.name, m.label, c.handle, c.url, c.followers, c.active "
        "FROM temp.old_channels c JOIN temp.given_names m ON m.given = c.platform")
    return _kept_as_other("Own channels on platforms", labels)


def _copy_post_channels(conn: sqlite3.Connection) -> list[str]:
    """Copy each post's targets; two spellings of one platform become one target.

    The target keeps the first text of its own (in the order of the spellings).
    """
    labels = _map_names(conn, "temp.old_post_channels", "platform", stored_platform)
    twice = conn.execute(
        "SELECT pc.post_id AS post_id, m.name AS name, min(m.label) AS label, count(*) AS n "
        "FROM temp.old_post_channels pc JOIN temp.given_names m ON m.given = pc.platform "
        "GROUP BY pc.post_id, m.name, m.label COLLATE NOCASE HAVING count(*) > 1").fetchall()
    conn.execute(
        "INSERT INTO post_channels (post_id, platform, platform_label, body) "
        "SELECT pc.post_id, m.name, m.label, pc.body FROM temp.old_post_channels pc "
        "JOIN temp.given_names m ON m.given = pc.platform "
        "ORDER BY pc.post_id, m.name, coalesce(trim(pc.body), '') = '', pc.platform "
        "ON CONFLICT DO NOTHING")
    titles = _names(conn, "posts", "title", (row["post_id"] for row in twice))
    return [*_kept_as_other("Post targets on platforms", labels), *(
        f"Post “{titles.get(row['post_id'], row['post_id'])}” went to "
        f"{_shown(row['name'], row['label'])} {row['n']} times: now once (with the first "
        "text of its own)." for row in twice)]


def _copy_links(conn: sqlite3.Connection) -> list[str]:
    """Copy the links: one per pair of contacts and kind; an undirected one smaller id first.

    Two links of one pair and kind (A knows B and B knows A) become one: the lowest id,
    the larger weight, every note, and undirected unless both point the same way.
    """
    labels = _map_names(conn, "temp.old_contact_links", "kind", stored_link_kind)
    pair = "min(l.from_id, l.to_id), max(l.from_id, l.to_id), m.name, m.label COLLATE NOCASE"
    conn.execute("CREATE TEMP TABLE merged_links (id INTEGER PRIMARY KEY)")
    conn.execute(
        "INSERT INTO temp.merged_links SELECT l.id FROM temp.old_contact_links l "
        "JOIN temp.given_names m ON m.given = l.kind "
        f"WHERE ({pair}) IN (SELECT {pair} FROM temp.old_contact_links l "
        f"JOIN temp.given_names m ON m.given = l.kind GROUP BY {pair} HAVING count(*) > 1)")
    conn.execute(
        "INSERT INTO contact_links (id, from_id, to_id, kind, kind_label, weight, directed,"
        " note) SELECT l.id, "
        "CASE WHEN l.directed THEN l.from_id ELSE min(l.from_id, l.to_id) END, "
        "CASE WHEN l.directed THEN l.to_id ELSE max(l.from_id, l.to_id) END, "
        "m.name, m.label, l.weight, l.directed, l.note FROM temp.old_contact_links l "
        "JOIN temp.given_names m ON m.given = l.kind WHERE l.id NOT IN temp.merged_links")
    groups: dict[tuple[int, int, str, str], list[_Link]] = defaultdict(list)
    for link in rows_as(_Link, conn.execute(
            "SELECT l.id AS id, l.from_id AS from_id, l.to_id AS to_id, m.name AS name, "
            "m.label AS label, l.weight AS weight, l.directed AS directed, l.note AS note "
            "FROM temp.old_contact_links l JOIN temp.given_names m ON m.given = l.kind "
            "WHERE l.id IN temp.merged_links ORDER BY l.id")):
        a, b = link.from_id, link.to_id
        groups[(min(a, b), max(a, b), link.name, link.label.casefold())].append(link)
    conn.execute("DROP TABLE temp.merged_links")
    notes = []
    for (low, high, _, _), links in groups.items():
        first = links[0]
        kind, label = first.name, first.label
        a, b = first.from_id, first.to_id
        directed = all(link.directed and (link.from_id, link.to_id) == (a, b) for link in links)
        if not directed:
            a, b = low, high
        weight = max(link.weight for link in links)
        conn.execute(
            "INSERT INTO contact_links (id, from_id, to_id, kind, kind_label, weight, "
            "directed, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (first.id, a, b, kind, label, weight, int(directed),
             _joined_notes(link.note for link in links)))
        names = _names(conn, "contacts", "name", (low, high))
        notes.append(
            f"{len(links)} “{_shown(kind, label)}” links between {names.get(low, low)} and "
            f"{names.get(high, high)} became one{'' if directed else ' that counts both ways'}"
            f" (weight {weight:.0%}, the larger).")
    return [*_kept_as_other("Links of kinds", labels), *notes]


def _merge_audiences(conn: sqlite3.Connection) -> list[str]:
    """One audience per partner and platform.

    Two audiences of one partner on one platform become one: the larger (its size,
    handle, address and engagement, each filled from the other where empty), with the
    topics of both and the later date checked.
    """
    labels = _map_names(conn, "audiences", "platform", stored_platform)
    groups: dict[tuple[int, str, str], list[_Audience]] = defaultdict(list)
    for audience in rows_as(_Audience, conn.execute(
            "SELECT a.id AS id, a.contact_id AS contact_id, a.platform AS platform, "
            "a.handle AS handle, a.url AS url, a.size AS size, "
            "a.engagement_rate AS engagement_rate, a.last_checked_on AS last_checked_on, "
            "m.name AS name, m.label AS label FROM audiences a "
            "JOIN temp.given_names m ON m.given = a.platform ORDER BY a.id")):
        groups[(audience.contact_id, audience.name, audience.label.casefold())].append(audience)
    notes = []
    for (contact_id, _, _), rows in groups.items():
        rows.sort(key=lambda r: (-r.size, r.id))
        keep, *others = rows
        platform, label = keep.name, keep.label

        def first(column: str, rows: list[_Audience] = rows) -> object:
            return next((getattr(r, column) for r in rows
                         if getattr(r, column) not in (None, "")), getattr(rows[0], column))

        checked = max((r.last_checked_on for r in rows if r.last_checked_on), default=None)
        for other in others:
            conn.execute("UPDATE OR IGNORE audience_topics SET audience_id = ? "
                         "WHERE audience_id = ?", (keep.id, other.id))
            conn.execute("DELETE FROM audiences WHERE id = ?", (other.id,))
        if others or (platform, label) != (keep.platform, ""):
            conn.execute(
                "UPDATE audiences SET platform = ?, platform_label = ?, handle = ?, url = ?, "
                "engagement_rate = ?, last_checked_on = ? WHERE id = ?",
                (platform, label, first("handle"), first("url"), first("engagement_rate"),
                 checked, keep.id))
        if others:
            name = conn.execute("SELECT name FROM contacts WHERE id = ?",
                                (contact_id,)).fetchone()
            notes.append(
                f"{len(rows)} audiences of {name[0] if name else contact_id} on "
                f"{_shown(platform, label)} became one: size {keep.size:,} (the larger), the "
                "topics of all.")
    return [*_kept_as_other("Audiences on platforms", labels), *notes]


def _merge_asks(conn: sqlite3.Connection) -> list[str]:
    """One ask per partner and post: the one that got furthest, asked on the first date.

    Furthest: shared, then agreed, declined, no reply, asked; between equals the first
    made. The notes of all are kept.
    """
    notes = []
    pairs = conn.execute(
        "SELECT contact_id, post_id FROM asks WHERE post_id IS NOT NULL "
        "GROUP BY contact_id, post_id HAVING count(*) > 1").fetchall()
    for pair in pairs:
        contact_id, post_id = pair["contact_id"], pair["post_id"]
        asks = rows_as(_Ask, conn.execute(
            "SELECT id, status, asked_on, note FROM asks WHERE contact_id = ? AND post_id = ? "
            "ORDER BY id", (contact_id, post_id)))
        keep = max(asks, key=lambda a: (_ASK_PROGRESS[a.status], -a.id))
        asked_on = min(a.asked_on for a in asks)
        conn.execute(
            "UPDATE asks SET asked_on = ?, note = ? WHERE id = ?",
            (asked_on, _joined_notes(a.note for a in asks), keep.id))
        conn.executemany("DELETE FROM asks WHERE id = ?",
                         [(a.id,) for a in asks if a.id != keep.id])
        name = conn.execute("SELECT name FROM contacts WHERE id = ?", (contact_id,)).fetchone()
        title = conn.execute("SELECT title FROM posts WHERE id = ?", (post_id,)).fetchone()
        notes.append(
            f"{len(asks)} asks of {name[0] if name else contact_id} to share "
            f"“{title[0] if title else post_id}” became one: the one "
            f"{keep.status.replace('_', ' ')} (the furthest), asked on {asked_on}.")
    return notes


def merge(conn: sqlite3.Connection) -> list[str]:
    """Copy and merge the rows into the shape the rules need; return what was merged.

    Runs after :data:`SET_ASIDE` and :data:`NEW_TABLES` and before :data:`RULES`, in the
    migration's transaction.
    """
    notes = [*_copy_channels(conn), *_copy_post_channels(conn), *_copy_links(conn),
             *_merge_audiences(conn), *_merge_asks(conn)]
    for table in ("given_names", "old_contact_links", "old_post_channels", "old_channels"):
        conn.execute(f"DROP TABLE temp.{table}")
    return notes
