"""Schema version 4: a post keeps where it happens (an event's iCalendar LOCATION).

Version 3 is another change; the numbers of migrations written side by side may have
gaps on one branch (:func:`socialdesk.store.migrations.latest_version` takes the highest).
"""

SQL = """
ALTER TABLE posts ADD COLUMN location TEXT NOT NULL DEFAULT '';
"""
