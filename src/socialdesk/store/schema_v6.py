"""Schema version 6: a partner's slug, the name their tracked links carry (``utm_source``).

Made once from the name when the first share kit is made, unique in the workspace, and
never changed afterwards, so that visits counted under it stay the partner's.
"""

SQL = """
ALTER TABLE contacts ADD COLUMN slug TEXT;
CREATE UNIQUE INDEX contacts_slug ON contacts(slug) WHERE slug IS NOT NULL;
"""
