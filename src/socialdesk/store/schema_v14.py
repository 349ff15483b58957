"""Schema version 14: every campaign has a stable random ``uid`` (team sharing).

Sync refers to a campaign by this UID, never by its row id (ids differ between
computers). Existing campaigns get one now; a campaign inserted without one (by any
program) gets one from the trigger. See ``docs/schema.md``.
"""

SQL = """
ALTER TABLE campaigns ADD COLUMN uid TEXT;
UPDATE campaigns SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
CREATE UNIQUE INDEX campaigns_uid ON campaigns(uid);
CREATE TRIGGER campaigns_uid_insert AFTER INSERT ON campaigns WHEN new.uid IS NULL
BEGIN
    UPDATE campaigns SET uid = lower(hex(randomblob(16))) WHERE id = new.id;
END;
"""
