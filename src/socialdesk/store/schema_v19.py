"""Schema version 19: a mark that changes whenever what the leverage planner reads changes.

``planner_mark`` holds one random ``token``. Triggers give it a new random value on every
change to the rows the planner reads for every partner, whatever post it plans: the
partners (contacts with an audience: name, strength, stage, effort), their audiences and
the audiences' topics, the topics' names, the asks (each partner's history, the
recalibration's outcomes) and the visits that confirm an ask as shared. A token names
one state of those rows: what was worked out from them when it was read may be used again
while it is unchanged (``core/planner/input_cache.py``).
"""

_NEW_TOKEN = "UPDATE planner_mark SET token = lower(hex(randomblob(16)));"

# (table, event): every change of the table's rows that the planner could see. A contact
# becomes a partner when given an audience; one inserted in place of another (INSERT OR
# REPLACE, which fires no DELETE trigger) is watched when audiences name its id.
_WATCHED = (
    ("contacts", "INSERT"),
    ("contacts", "DELETE"),
    ("contacts", "UPDATE OF id, name, strength, stage, effort_minutes"),
    ("audiences", "INSERT"),
    ("audiences", "DELETE"),
    ("audiences", "UPDATE OF id, contact_id, platform, platform_label, size"),
    ("audience_topics", "INSERT"),
    ("audience_topics", "DELETE"),
    ("audience_topics", "UPDATE"),
    ("topics", "INSERT"),
    ("topics", "DELETE"),
    ("topics", "UPDATE"),
    ("asks", "INSERT"),
    ("asks", "DELETE"),
    ("asks", "UPDATE OF id, contact_id, status, asked_on, answered_on, planned_p, "
             "planned_raw_p"),
    ("ask_visits", "INSERT"),
    ("ask_visits", "DELETE"),
    ("ask_visits", "UPDATE OF ask_id, visits"),
)


_WHEN = {("contacts", "INSERT"): " WHEN EXISTS (SELECT 1 FROM audiences WHERE contact_id = new.id)"}


def _trigger(table: str, event: str) -> str:
    name = f"planner_mark_{table}_{event.split()[0].lower()}"
    when = _WHEN.get((table, event), "")
    return f"CREATE TRIGGER {name} AFTER {event} ON {table}{when} BEGIN {_NEW_TOKEN} END;"


SQL = (
    "CREATE TABLE planner_mark (\n"
    "    id INTEGER PRIMARY KEY CHECK (id = 1),\n"
    "    token TEXT NOT NULL\n"
    ");\n"
    "INSERT INTO planner_mark (id, token) VALUES (1, lower(hex(randomblob(16))));\n"
    + "\n".join(_trigger(table, event) for table, event in _WATCHED) + "\n"
)
