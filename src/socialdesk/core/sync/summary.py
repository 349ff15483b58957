"""What one sync did: the counts ``socialdesk sync --json`` prints, and what is pending."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from socialdesk.core.changes import Changes


@dataclass
class Summary:
    """What a sync did (the counts of ``socialdesk sync --json``) and what is pending.

    ``sent``: items written to or deleted from the server; ``received``: items created or
    changed locally from the server's; ``merged``: items where changes of both sides were
    combined; ``deleted``: local items deleted because they were deleted on the server.
    """

    sent: int = 0
    received: int = 0
    merged: int = 0
    deleted: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # SocialDesk's, refused: why
    foreign: int = 0  # items of other programs (a phone's to-dos) or kinds, left alone
    waiting: list[str] = field(default_factory=list)  # items not storable yet (waiting.py)
    listed_etags: bool = False  # the server has no sync-collection: ETag listings were used
    more: bool = False  # more changes wait on the server than one sync reads: sync again
    changes: Changes = field(default_factory=Changes)

    def as_json(self) -> dict[str, Any]:
        """The summary as ``socialdesk sync --json`` prints it."""
        return {"sent": self.sent, "received": self.received, "merged": self.merged,
                "deleted": self.deleted, "conflicts": self.conflicts}
