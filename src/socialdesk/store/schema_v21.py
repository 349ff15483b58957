"""Schema version 21: the team's task list beside its calendar (``docs/sync.md``).

Asks travel as to-dos in a calendar collection of their own, which accepts only VTODO
(phones and Apple's and Nextcloud's programs show such a collection in their tasks
apps), next to the calendar of posts. ``sync_account`` keeps its address and sync token
as it keeps the calendar's; '' until the first sync that finds or makes it.
"""

SQL = """
ALTER TABLE sync_account ADD COLUMN tasks_url TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_account ADD COLUMN tasks_token TEXT NOT NULL DEFAULT '';
"""
