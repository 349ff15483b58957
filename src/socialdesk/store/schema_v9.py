"""Schema version 9: a repeating event imported as one post per date keeps its rule.

A row of ``post_series`` is the recurring event (the "master") of an imported calendar
file that SocialDesk could not keep as a repeat of its own: its UID, DTSTART (value and
IANA zone), RRULE, RDATE and EXDATE values, SEQUENCE, the dates the import made posts
for, and what the event said (title, text, status word, link, location, categories,
channels) — what every date shows unless its post says otherwise. Each of those posts
points at its series (``posts.series_id``) and names its date in the series
(``posts.recurrence_id``, the iCalendar RECURRENCE-ID value), so that the calendar export
writes the series as one repeating event again. See ``docs/schema.md``.

Posts imported before the location had a column of its own (``0004_post_location``) kept
an event's LOCATION as their whole notes, one line ``Location: …``. Such a post without a
location gets that place as its location, and its notes are emptied; notes of more than
that one line are left alone (nothing tells the place from what the user added). The
number of posts changed is written to ``migration_notes``.
"""

from socialdesk.store.schema_v1 import NOW

SQL = f"""
CREATE TABLE post_series (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    starts TEXT NOT NULL,
    timezone TEXT,
    rrules TEXT NOT NULL DEFAULT '',
    rdates TEXT NOT NULL DEFAULT '',
    exdates TEXT NOT NULL DEFAULT '',
    occurrences TEXT NOT NULL DEFAULT '',
    sequence INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    modified TEXT,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    categories TEXT NOT NULL DEFAULT '',
    channels TEXT,
    created_at TEXT NOT NULL DEFAULT {NOW},
    updated_at TEXT NOT NULL DEFAULT {NOW}
);
ALTER TABLE posts ADD COLUMN series_id INTEGER REFERENCES post_series(id) ON DELETE SET NULL;
ALTER TABLE posts ADD COLUMN recurrence_id TEXT;
CREATE INDEX posts_series ON posts(series_id) WHERE series_id IS NOT NULL;
INSERT INTO migration_notes (migration, note)
SELECT '0009_post_series', count(*) || ' imported post(s) had their place as the note '
    || '"Location: …": it is now their location, and the note is gone.'
FROM posts
WHERE location = '' AND substr(notes, 1, 10) = 'Location: ' AND trim(substr(notes, 11)) <> ''
    AND instr(notes, char(10)) = 0 AND instr(notes, char(13)) = 0
HAVING count(*) > 0;
UPDATE posts SET location = trim(substr(notes, 11)), notes = ''
WHERE location = '' AND substr(notes, 1, 10) = 'Location: ' AND trim(substr(notes, 11)) <> ''
    AND instr(notes, char(10)) = 0 AND instr(notes, char(13)) = 0;
"""
