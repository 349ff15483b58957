"""What a write changed: the kinds of rows it touched (in the spirit of Anki's ``OpChanges``).

Every write the window makes (an undoable edit and its undo and redo, an import, the
settings, a backup's line in the log) says which kinds it touched; each view says which
kinds it shows, and the window reloads only the views where the two meet. A change made
by another program cannot say what it touched: it is :data:`EVERYTHING`.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = frozenset({
    "contacts",      # contacts with their details, tags and follow-ups
    "audiences",     # partners' audiences and their topics
    "links",         # links between contacts
    "interactions",  # the contacts' history
    "posts",         # posts, their channels, topics and repeat dates
    "campaigns",
    "channels",      # the business's own channels
    "asks",
    "settings",      # the workspace's settings
    "backups",       # the backup log
})


@dataclass(frozen=True, slots=True)
class Changes:
    """The kinds of rows (names in :data:`KINDS`) a write touched; false when none.

    ``posts``: the posts it wrote, by id, when it knows them (an edit, its undo and redo),
    so a view reading its rows on a worker can show those at once.
    """

    kinds: frozenset[str] = frozenset()
    posts: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        unknown = self.kinds - KINDS
        if unknown:
            raise ValueError(f"unknown kinds of rows: {', '.join(sorted(unknown))}")

    @classmethod
    def of(cls, *kinds: str) -> Changes:
        """The changes to ``kinds``."""
        return cls(frozenset(kinds))

    def with_post(self, post_id: int) -> Changes:
        """These changes, naming post ``post_id`` among those written."""
        return Changes(self.kinds | {"posts"}, self.posts | {post_id})

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.kinds | other.kinds, self.posts | other.posts)

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def touches(self, other: Changes) -> bool:
        """Whether any kind of ``other`` changed."""
        return not self.kinds.isdisjoint(other.kinds)


NOTHING = Changes()
EVERYTHING = Changes(KINDS)
# Every kind a view can show (the backup log shows only in the status bar).
VIEWED = Changes(KINDS - {"backups"})
# A contact and what hangs off it (deleting one deletes its asks; undoing brings them back).
CONTACT_ROWS = Changes.of("contacts", "audiences", "links", "interactions", "asks")
POSTS = Changes.of("posts")
# Deleting a post deletes its asks; deleting a campaign leaves its posts without it.
POST_ROWS = Changes.of("posts", "asks")
CAMPAIGNS = Changes.of("campaigns")
CAMPAIGN_ROWS = Changes.of("campaigns", "posts")
CHANNELS = Changes.of("channels")
ASKS = Changes.of("asks")
SETTINGS = Changes.of("settings")
BACKUP_LOG = Changes.of("backups")
CALENDAR_IMPORT = POSTS  # events become posts (of campaigns that exist)
CONTACTS_IMPORT = Changes.of("contacts")
