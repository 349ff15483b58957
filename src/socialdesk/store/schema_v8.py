"""Schema version 8: visits a partner's tracked link brought, per ask and period.

Filled by ``socialdesk import clicks`` from a web analytics export. A row is one ask's
visits on one day (``first_day`` = ``last_day``) or over a period the export covers
without dates. Importing a period again replaces the rows that overlap it.
"""

from socialdesk.store.schema_v1 import NOW

SQL = f"""
CREATE TABLE ask_visits (
    id INTEGER PRIMARY KEY,
    ask_id INTEGER NOT NULL REFERENCES asks(id) ON DELETE CASCADE,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL CHECK (last_day >= first_day),
    visits INTEGER NOT NULL CHECK (visits >= 0),
    source_file TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL DEFAULT {NOW},
    UNIQUE (ask_id, first_day, last_day)
);
CREATE INDEX ask_visits_days ON ask_visits(first_day, last_day);
"""
