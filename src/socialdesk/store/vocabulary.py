"""The values the database accepts for its enumerated columns.

Every reader, form and importer takes its choices from here. Migration 1
(``schema_v1.py``) builds its CHECK constraints from these tuples, so changing one
changes the database's rules: that takes a new migration that rebuilds the table,
and migration 1's text must stay as it was (see ``docs/adding-a-field.md``).
"""

CONTACT_KINDS = ("customer", "fan", "blogger", "partner", "community", "press", "staff", "other")
STAGES = ("aware", "engaged", "ally", "champion")
DETAIL_KINDS = ("email", "phone", "url")
INTERACTION_KINDS = ("note", "met", "call", "email", "message", "gave", "received", "shared")
POST_STATUSES = ("idea", "draft", "scheduled", "published", "skipped")
ASK_STATUSES = ("asked", "agreed", "shared", "declined", "no_reply")
REPEAT_RULES = ("weekly", "monthly")
BACKUP_KINDS = ("auto", "manual", "safety", "migration")
# Platforms of audiences, own channels and post targets, and kinds of links between
# contacts (schema version 5): anything else is stored as "other" with its text
# (store/known_names.py).
PLATFORMS = (
    "instagram", "facebook", "x", "linkedin", "threads", "mastodon", "bluesky", "tiktok",
    "youtube", "pinterest", "google_business", "newsletter", "blog", "other",
)
LINK_KINDS = ("knows", "works_with", "member_of", "family", "friend", "client_of", "other")
