"""Schema version 19: marks that change whenever what the leverage planner reads changes.

``planner_mark`` holds two random tokens by ``name``. Triggers give one a new random value
on every change to the rows the planner reads for every partner, whatever post it plans:
``partners`` for the partners (contacts with an audience: name, strength, stage, effort),
their audiences, the audiences' topics and the topics' names; ``asks`` for the asks (each
partner's history, the recalibration's outcomes) and the visits that confirm an ask as
shared. A token names one state of those rows: what was worked out from them when it was
read may be used again while it is unchanged (``core/planner/input_cache.py``).
"""


def _new_token(name: str) -> str:
    return f"UPDATE planner_mark SET token = lower(hex(randomblob(16))) WHERE name = '{name}';"


# (mark, table, event): every change of the table's rows that the planner could see. A
# contact becomes a partner when given an audience; one inserted in place of another
# (INSERT OR REPLACE, which fires no DELETE trigger) is watched when audiences name its id.
WATCHED = (
    ("partners", "contacts", "INSERT"),
    ("partners", "contacts", "DELETE"),
    ("partners", "contacts", "UPDATE OF id, name, strength, stage, effort_minutes"),
    ("partners", "audiences", "INSERT"),
    ("partners", "audiences", "DELETE"),
    ("partners", "audiences", "UPDATE OF id, contact_id, platform, platform_label, size"),
    ("partners", "audience_topics", "INSERT"),
    ("partners", "audience_topics", "DELETE"),
    ("partners", "audience_topics", "UPDATE"),
    ("partners", "topics", "INSERT"),
    ("partners", "topics", "DELETE"),
    ("partners", "topics", "UPDATE"),
    ("asks", "asks", "INSERT"),
    ("asks", "asks", "DELETE"),
    ("asks", "asks", "UPDATE OF id, contact_id, status, asked_on, answered_on, planned_p, "
                     "planned_raw_p"),
    ("asks", "ask_visits", "INSERT"),
    ("asks", "ask_visits", "DELETE"),
    ("asks", "ask_visits", "UPDATE OF ask_id, visits"),
)
WHEN = {("contacts", "INSERT"): " WHEN EXISTS (SELECT 1 FROM audiences WHERE contact_id = new.id)"}


def _trigger(mark: str, table: str, event: str) -> str:
    name = f"planner_mark_{table}_{event.split()[0].lower()}"
    when = WHEN.get((table, event), "")
    return f"CREATE TRIGGER {name} AFTER {event} ON {table}{when} BEGIN {_new_token(mark)} END;"


SQL = (
    "CREATE TABLE planner_mark (\n"
    "    name TEXT PRIMARY KEY CHECK (name IN ('partners', 'asks')),\n"
    "    token TEXT NOT NULL\n"
    ") WITHOUT ROWID;\n"
    "INSERT INTO planner_mark (name, token) VALUES ('partners', lower(hex(randomblob(16)))),\n"
    "    ('asks', lower(hex(randomblob(16))));\n"
    + "\n".join(_trigger(*watched) for watched in WATCHED) + "\n"
)
