"""Schema version 1: every table SocialDesk needs, documented in ``docs/schema.md``.

Dates are ISO 8601 text (``YYYY-MM-DD``), times ``HH:MM``, timestamps UTC
``YYYY-MM-DDTHH:MM:SSZ``. Enumerations are checked by the database so that no
writer, present or future, can store a value the app does not understand.
"""

from socialdesk.store.vocabulary import (
    ASK_STATUSES,
    BACKUP_KINDS,
    CONTACT_KINDS,
    DETAIL_KINDS,
    INTERACTION_KINDS,
    POST_STATUSES,
    REPEAT_RULES,
    STAGES,
)

NOW = "(strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


TABLES = f"""
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'customer' CHECK (kind IN {_in(CONTACT_KINDS)}),
    stage TEXT NOT NULL DEFAULT 'aware' CHECK (stage IN {_in(STAGES)}),
    strength REAL CHECK (strength IS NULL OR strength BETWEEN 0 AND 1),
    effort_minutes INTEGER NOT NULL DEFAULT 10 CHECK (effort_minutes >= 0),
    notes TEXT NOT NULL DEFAULT '',
    follow_up_on TEXT,
    uid TEXT UNIQUE,
    created_at TEXT NOT NULL DEFAULT {NOW},
    updated_at TEXT NOT NULL DEFAULT {NOW}
);
CREATE INDEX contacts_name ON contacts(name COLLATE NOCASE);
CREATE INDEX contacts_kind ON contacts(kind);
CREATE INDEX contacts_follow_up ON contacts(follow_up_on) WHERE follow_up_on IS NOT NULL;

CREATE TABLE contact_details (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN {_in(DETAIL_KINDS)}),
    value TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contact_details_contact ON contact_details(contact_id, kind, position);
CREATE INDEX contact_details_value ON contact_details(kind, value COLLATE NOCASE);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags(tag_id);

CREATE TABLE contact_links (
    id INTEGER PRIMARY KEY,
    from_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    to_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'knows',
    weight REAL NOT NULL DEFAULT 0.5 CHECK (weight BETWEEN 0 AND 1),
    directed INTEGER NOT NULL DEFAULT 0 CHECK (directed IN (0, 1)),
    note TEXT NOT NULL DEFAULT '',
    CHECK (from_id <> to_id),
    UNIQUE (from_id, to_id, kind)
);
CREATE INDEX contact_links_to ON contact_links(to_id);

CREATE TABLE topics (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE audiences (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    handle TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL DEFAULT 0 CHECK (size >= 0),
    engagement_rate REAL CHECK (engagement_rate IS NULL OR engagement_rate BETWEEN 0 AND 1),
    last_checked_on TEXT
);
CREATE INDEX audiences_contact ON audiences(contact_id);

CREATE TABLE audience_topics (
    audience_id INTEGER NOT NULL REFERENCES audiences(id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    PRIMARY KEY (audience_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX audience_topics_topic ON audience_topics(topic_id);

CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    happened_on TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'note' CHECK (kind IN {_in(INTERACTION_KINDS)}),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX interactions_contact ON interactions(contact_id, happened_on);

CREATE TABLE channels (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    handle TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    followers INTEGER NOT NULL DEFAULT 0 CHECK (followers >= 0),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    goal TEXT NOT NULL DEFAULT '',
    starts_on TEXT,
    ends_on TEXT,
    colour TEXT NOT NULL DEFAULT '#4c78a8'
);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'idea' CHECK (status IN {_in(POST_STATUSES)}),
    campaign_id INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
    scheduled_on TEXT,
    scheduled_time TEXT,
    timezone TEXT,
    link TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    repeat_rule TEXT CHECK (repeat_rule IS NULL OR repeat_rule IN {_in(REPEAT_RULES)}),
    repeat_until TEXT,
    evergreen_weeks INTEGER CHECK (evergreen_weeks IS NULL OR evergreen_weeks > 0),
    published_url TEXT NOT NULL DEFAULT '',
    reach INTEGER CHECK (reach IS NULL OR reach >= 0),
    clicks INTEGER CHECK (clicks IS NULL OR clicks >= 0),
    engagements INTEGER CHECK (engagements IS NULL OR engagements >= 0),
    sequence INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT {NOW},
    updated_at TEXT NOT NULL DEFAULT {NOW}
);
CREATE INDEX posts_schedule ON posts(scheduled_on, scheduled_time);
CREATE INDEX posts_campaign ON posts(campaign_id);
CREATE INDEX posts_status ON posts(status);

CREATE TABLE post_channels (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    body TEXT,
    PRIMARY KEY (post_id, platform)
) WITHOUT ROWID;

CREATE TABLE post_topics (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX post_topics_topic ON post_topics(topic_id);

CREATE TABLE post_media (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX post_media_post ON post_media(post_id);

CREATE TABLE asks (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    post_id INTEGER REFERENCES posts(id) ON DELETE SET NULL,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'asked' CHECK (status IN {_in(ASK_STATUSES)}),
    asked_on TEXT NOT NULL,
    due_on TEXT,
    answered_on TEXT,
    message TEXT NOT NULL DEFAULT '',
    predicted_reach REAL,
    observed_reach INTEGER CHECK (observed_reach IS NULL OR observed_reach >= 0),
    effort_minutes INTEGER CHECK (effort_minutes IS NULL OR effort_minutes >= 0),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT {NOW},
    updated_at TEXT NOT NULL DEFAULT {NOW}
);
CREATE INDEX asks_contact ON asks(contact_id, asked_on);
CREATE INDEX asks_post ON asks(post_id);
CREATE INDEX asks_open ON asks(due_on) WHERE status IN ('asked', 'agreed');

CREATE TABLE backup_log (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL DEFAULT {NOW},
    path TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN {_in(BACKUP_KINDS)}),
    size INTEGER,
    encrypted INTEGER NOT NULL DEFAULT 0 CHECK (encrypted IN (0, 1)),
    ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
    message TEXT NOT NULL DEFAULT ''
);
"""

# Full-text search over contacts. The FTS table keeps its own copy of the
# searchable text (rowid = contacts.id) and triggers keep it in step with
# contacts, their e-mail addresses and their tags, whoever writes them.
SEARCH_TEMPLATE = """
CREATE VIRTUAL TABLE contacts_fts USING fts5(
    name, organisation, emails, tags, notes,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts(rowid, name, organisation, emails, tags, notes)
    VALUES (new.id, new.name, new.organisation, {emails}, {tags}, new.notes);
END;

CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name, organisation, notes ON contacts BEGIN
    UPDATE contacts_fts SET name = new.name, organisation = new.organisation, notes = new.notes
    WHERE rowid = new.id;
END;

CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contacts_fts WHERE rowid = old.id;
END;
"""

_EMAILS_OF = (
    "(SELECT coalesce(group_concat(value, ' '), '') FROM contact_details "
    "WHERE contact_id = {id} AND kind = 'email')"
)
_TAGS_OF = (
    "(SELECT coalesce(group_concat(t.name, ' '), '') FROM contact_tags ct "
    "JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = {id})"
)


def _search_triggers() -> str:
    parts = []
    for event, row in (("INSERT", "new"), ("DELETE", "old")):
        parts.append(
            f"CREATE TRIGGER contact_details_fts_{event.lower()} AFTER {event} ON contact_details "
            f"WHEN {row}.kind = 'email' BEGIN UPDATE contacts_fts SET emails = "
            f"{_EMAILS_OF.format(id=row + '.contact_id')} WHERE rowid = {row}.contact_id; END;"
        )
        parts.append(
            f"CREATE TRIGGER contact_tags_fts_{event.lower()} AFTER {event} ON contact_tags "
            f"BEGIN UPDATE contacts_fts SET tags = {_TAGS_OF.format(id=row + '.contact_id')} "
            f"WHERE rowid = {row}.contact_id; END;"
        )
    parts.append(
        "CREATE TRIGGER contact_details_fts_update AFTER UPDATE OF value, kind, contact_id "
        "ON contact_details BEGIN "
        f"UPDATE contacts_fts SET emails = {_EMAILS_OF.format(id='old.contact_id')} "
        "WHERE rowid = old.contact_id; "
        f"UPDATE contacts_fts SET emails = {_EMAILS_OF.format(id='new.contact_id')} "
        "WHERE rowid = new.contact_id; END;"
    )
    parts.append(
        "CREATE TRIGGER tags_fts_rename AFTER UPDATE OF name ON tags BEGIN "
        f"UPDATE contacts_fts SET tags = {_TAGS_OF.format(id='contacts_fts.rowid')} "
        "WHERE rowid IN (SELECT contact_id FROM contact_tags WHERE tag_id = new.id); END;"
    )
    return "\n".join(parts)


# A contact's e-mails and tags are looked up when it is inserted, so a bulk load can
# write them first (with foreign keys deferred) and index each contact only once.
SEARCH = SEARCH_TEMPLATE.format(
    emails=_EMAILS_OF.format(id="new.id"), tags=_TAGS_OF.format(id="new.id")
)
SQL = TABLES + SEARCH + _search_triggers()
