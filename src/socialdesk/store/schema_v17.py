"""Schema version 17: what the post editor adds to a post, and saved hashtag groups.

``posts.first_comment``: the comment to post under the post right after it goes out
(hashtags, a link), kept with the post and exported (CSV, ICS, sync) for whoever posts it.

``hashtag_groups``: saved sets of hashtags and mentions ("#bakery #sourdough
@localfarm") by name, inserted into a post's text from the editor.
"""

from socialdesk.store.schema_v1 import NOW

SQL = f"""
ALTER TABLE posts ADD COLUMN first_comment TEXT NOT NULL DEFAULT '';
CREATE TABLE hashtag_groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (trim(name) <> ''),
    body TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT {NOW},
    updated_at TEXT NOT NULL DEFAULT {NOW}
);
"""
