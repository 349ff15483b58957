"""Schema version 2: each date of a repeating post can have its own status and results.

A post's own row holds the series: its first date's status and results, and the default
status of its later dates. A row of ``post_occurrences`` is one later date (``occurs_on``,
at the series' time) that the user marked: its status and results replace the defaults.
See ``docs/schema.md`` for the whole rule.
"""

from socialdesk.store.schema_v1 import NOW
from socialdesk.store.vocabulary import POST_STATUSES

_STATUSES = "(" + ", ".join(f"'{s}'" for s in POST_STATUSES) + ")"

SQL = f"""
CREATE TABLE post_occurrences (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    occurs_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN {_STATUSES}),
    published_url TEXT NOT NULL DEFAULT '',
    reach INTEGER CHECK (reach IS NULL OR reach >= 0),
    clicks INTEGER CHECK (clicks IS NULL OR clicks >= 0),
    engagements INTEGER CHECK (engagements IS NULL OR engagements >= 0),
    updated_at TEXT NOT NULL DEFAULT {NOW},
    PRIMARY KEY (post_id, occurs_on)
) WITHOUT ROWID;
CREATE INDEX post_occurrences_day ON post_occurrences(occurs_on);
"""
