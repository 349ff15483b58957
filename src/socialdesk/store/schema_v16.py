"""Schema version 16: post templates, saved posts to start new ones from.

``post_templates``: a name, the post's title, text, link and campaign, its target
channels with their own texts (JSON ``[[platform, text or null], …]``) and its topics
(JSON ``[name, …]``). A template has no date, status or results; "New post from
template" copies it into the post editor.
"""

SQL = """
CREATE TABLE post_templates (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (trim(name) <> ''),
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    campaign_id INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
    channels TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(channels)),
    topics TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(topics)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX post_templates_campaign ON post_templates(campaign_id);
"""
