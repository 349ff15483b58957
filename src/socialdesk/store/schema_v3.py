"""Schema version 3: a contact keeps its structured name, and every contact has a UID.

``structured_name`` is the contact's vCard ``N`` value as SocialDesk writes it (family;
given; additional; prefixes; suffixes, each component escaped as RFC 6350 says), or ''
when it has none: an export then works it out from the name. Contacts made before this
version get a random (version 4) ``urn:uuid:`` UID, as new contacts do, so that an export
gives each contact of each workspace an identity of its own. See ``docs/schema.md``.
"""

# A random version-4 UUID as SQL: 8-4-4-4-12 hex digits, "4" and one of "89ab" in place.
_RANDOM_UUID = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
)

SQL = f"""
ALTER TABLE contacts ADD COLUMN structured_name TEXT NOT NULL DEFAULT '';
UPDATE contacts SET uid = 'urn:uuid:' || {_RANDOM_UUID} WHERE uid IS NULL;
"""
