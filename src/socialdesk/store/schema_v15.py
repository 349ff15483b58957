"""Schema version 15: what team sharing keeps so that nothing of the server's is lost.

``contacts.vcard_extra``: the lines of a contact's vCard that SocialDesk has no field for
(a phone's ``BDAY``, ``ADR``, ``PHOTO``, ``NICKNAME``, ``X-…``), as read from the card,
one per line, written back whenever SocialDesk writes the card (sync and ``.vcf`` export).

``sync_waiting``: a server's item that cannot be stored yet (an ask whose partner has not
arrived), by its href, with its ETag, its record as JSON and why it waits; tried again at
every sync, removed once stored or deleted on the server. See ``docs/sync.md``.
"""

SQL = """
ALTER TABLE contacts ADD COLUMN vcard_extra TEXT NOT NULL DEFAULT '';
CREATE TABLE sync_waiting (
    href TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    uid TEXT NOT NULL,
    etag TEXT NOT NULL DEFAULT '',
    record TEXT NOT NULL CHECK (json_valid(record)),
    reason TEXT NOT NULL DEFAULT '',
    since TEXT NOT NULL
);
"""
