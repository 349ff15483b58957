"""A workspace of schema version 2 that breaks the rules of version 5 (merged on opening)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

FIXTURES = Path(__file__).parent / "store" / "fixtures"

# Rows a version-2 workspace may hold that version 5 does not allow, added to the v2
# fixture (contact 2, Corner Café, has an Instagram audience of 4,200 with the topic
# bread and a shared ask for post 1, Sourdough Saturday, which goes to instagram).
BREAKING_RULES = [
    "INSERT INTO contacts (id, name) VALUES (3, 'Mill Lane Market')",
    # A second Instagram audience of Corner Café (written "Instagram"), larger, and
    # one on a platform SocialDesk does not list.
    "INSERT INTO audiences (id, contact_id, platform, handle, url, size, last_checked_on) "
    "VALUES (2, 2, 'Instagram', '', 'https://instagram.com/cornercafe', 9000, '2026-10-01')",
    "INSERT INTO topics (id, name) VALUES (2, 'coffee')",
    "INSERT INTO audience_topics VALUES (2, 2), (2, 1)",
    "INSERT INTO audiences (id, contact_id, platform, size) VALUES (3, 2, 'Substack', 300)",
    # Corner Café asked twice more for the same post: asked, then declined.
    "INSERT INTO asks (uid, post_id, contact_id, status, asked_on, note) "
    "VALUES ('dup-1', 1, 2, 'asked', '2026-11-18', 'first try')",
    "INSERT INTO asks (uid, post_id, contact_id, status, asked_on) "
    "VALUES ('dup-2', 1, 2, 'declined', '2026-11-22')",
    # Corner Café knows Mill Lane Market, written both ways; and a kind not listed.
    "INSERT INTO contact_links (from_id, to_id, kind, weight, note) "
    "VALUES (3, 2, 'knows', 0.4, 'Market stall neighbours')",
    "INSERT INTO contact_links (from_id, to_id, kind, weight) VALUES (2, 3, 'knows', 0.6)",
    "INSERT INTO contact_links (from_id, to_id, kind) VALUES (1, 3, 'Mentor')",
    # The post also goes to "Instagram" (a second spelling, with its own text) and Substack.
    "INSERT INTO post_channels (post_id, platform, body) VALUES (1, 'Instagram', 'Crusty!')",
    "INSERT INTO post_channels (post_id, platform) VALUES (1, 'Substack')",
    "INSERT INTO channels (platform, handle) VALUES ('Twitter', '@hearth')",
]


def make_rule_breaking(path: Path) -> Path:
    """Write the v2 fixture workspace, with :data:`BREAKING_RULES` added, to ``path``."""
    shutil.copyfile(FIXTURES / "workspace-v2.sqlite", path)
    with sqlite3.connect(path) as conn:
        for statement in BREAKING_RULES:
            conn.execute(statement)
    conn.close()
    return path
