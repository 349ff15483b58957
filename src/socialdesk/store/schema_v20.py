"""Schema version 20: which partners and asks changed, for the planner to read only those.

``planner_changes`` lists, change by change (``seq`` increasing), the contact and the ask
whose rows the leverage planner reads changed: a contact's name, strength, stage or
effort, its audiences and their topics, a topic's name (every audience with it), its
asks and their visits — what ``planner_mark`` (version 19) marks. The triggers that
replaced a random token in ``planner_mark`` on each such change (their names kept) add a
row here instead, so what was worked out from every partner can be brought up to date
by reading again only the contacts named since (``core/planner/input_cache.py``).

Each row carries a random ``tag``: a copy worked out after row ``seq`` is up to date
only while that row is still there with its tag (a workspace restored from a backup, or
the list emptied by another program, names other rows). A NULL ``contact_id`` stands for
every partner (the list's first row). A row inserted every 1,000th change removes those
more than 20,000 changes old: a copy older than that is worked out anew.
"""

from socialdesk.store import schema_v19

KEEP = 20_000  # changes listed; an older copy is read again whole
_PRUNE_EVERY = 1_000

_LOG = "INSERT INTO planner_changes (contact_id, ask_id)"
_OF_AUDIENCE = "SELECT contact_id, NULL FROM audiences WHERE id = {0}.audience_id"
_OF_TOPIC = ("SELECT DISTINCT a.contact_id, NULL FROM audience_topics t JOIN audiences a "
             "ON a.id = t.audience_id WHERE t.topic_id = {0}.id")
_OF_VISIT = "SELECT contact_id, id FROM asks WHERE id = {0}.ask_id"

# What each (table, event) adds to planner_changes: the rows of a SELECT over old/new.
_ROWS = {
    "contacts": "SELECT {0}.id, NULL",
    "audiences": "SELECT {0}.contact_id, NULL",
    "audience_topics": _OF_AUDIENCE,
    "topics": _OF_TOPIC,
    "asks": "SELECT {0}.contact_id, {0}.id",
    "ask_visits": _OF_VISIT,
}
# An update adds the new row's too when it names another partner or ask than the old one.
# (Two INSERTs, not one of a UNION: a compound SELECT in a trigger costs ten times more.)
_MOVED = {
    "contacts": "new.id IS NOT old.id",
    "audiences": "new.contact_id IS NOT old.contact_id",
    "audience_topics": "new.audience_id IS NOT old.audience_id",
    "topics": "new.id IS NOT old.id",
    "asks": "new.contact_id IS NOT old.contact_id OR new.id IS NOT old.id",
    "ask_visits": "new.ask_id IS NOT old.ask_id",
}


# What an INSERT or UPDATE OR REPLACE removes without a DELETE trigger (SQLite fires none
# for a REPLACE): the rows that hold the new row's id or one of its unique keys, listed
# before the change (planner_changes_TABLE_before_insert/update), with their columns.
_REPLACED = {
    "contacts": ("id, uid, slug", "SELECT id, NULL FROM contacts WHERE (id = new.id OR "
                 "uid = new.uid OR slug = new.slug) AND EXISTS (SELECT 1 FROM audiences "
                 "WHERE contact_id = contacts.id)"),
    "audiences": ("id, contact_id, platform, platform_label",
                  "SELECT contact_id, NULL FROM audiences WHERE id = new.id OR "
                  "(contact_id = new.contact_id AND platform = new.platform AND "
                  "platform_label = new.platform_label)"),
    "topics": ("id, name", "SELECT DISTINCT a.contact_id, NULL FROM topics p JOIN "
               "audience_topics t ON t.topic_id = p.id JOIN audiences a ON a.id = "
               "t.audience_id WHERE p.id = new.id OR p.name = new.name"),
    "asks": ("id, uid, contact_id, post_id", "SELECT contact_id, id FROM asks WHERE "
             "id = new.id OR uid = new.uid OR (contact_id = new.contact_id AND "
             "post_id = new.post_id)"),
    "ask_visits": ("id, ask_id, first_day, last_day",
                   "SELECT a.contact_id, a.id FROM ask_visits v JOIN asks a ON a.id = "
                   "v.ask_id WHERE v.id = new.id OR (v.ask_id = new.ask_id AND "
                   "v.first_day = new.first_day AND v.last_day = new.last_day)"),
}


def _before(table: str) -> str:
    columns, select = _REPLACED[table]
    return "\n".join(
        f"CREATE TRIGGER planner_changes_{table}_before_{kind.lower()} BEFORE {event} "
        f"ON {table} BEGIN {_LOG} {select}; END;"
        for kind, event in (("INSERT", "INSERT"), ("UPDATE", f"UPDATE OF {columns}")))


def _trigger(table: str, event: str) -> str:
    kind = event.split()[0]
    select = _ROWS[table].format("old" if kind == "DELETE" else "new")
    body = f"{_LOG} {select};"
    if kind == "UPDATE":
        moved = _ROWS[table].format("new")
        moved += (" AND " if " WHERE " in moved else " WHERE ") + f"({_MOVED[table]})"
        body = f"{_LOG} {_ROWS[table].format('old')}; {_LOG} {moved};"
    name = f"planner_mark_{table}_{kind.lower()}"
    when = schema_v19.WHEN.get((table, event), "")
    return (f"DROP TRIGGER {name};\n"
            f"CREATE TRIGGER {name} AFTER {event} ON {table}{when} BEGIN {body} END;")


SQL = (
    "CREATE TABLE planner_changes (\n"
    "    seq INTEGER PRIMARY KEY,\n"
    "    contact_id INTEGER,\n"
    "    ask_id INTEGER,\n"
    "    tag INTEGER NOT NULL DEFAULT (random())\n"
    ");\n"
    "INSERT INTO planner_changes (contact_id, ask_id) VALUES (NULL, NULL);\n"
    f"CREATE TRIGGER planner_changes_prune AFTER INSERT ON planner_changes "
    f"WHEN new.seq % {_PRUNE_EVERY} = 0 BEGIN "
    f"DELETE FROM planner_changes WHERE seq <= new.seq - {KEEP}; END;\n"
    + "\n".join(_trigger(table, event) for _, table, event in schema_v19.WATCHED) + "\n"
    + "\n".join(_before(table) for table in _REPLACED) + "\n"
)
