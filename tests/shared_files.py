"""Where the team's shared folder is: design notes and the interop corpus.

It sits beside the repository (``../shared``). A clone elsewhere can point to it with
``SOCIALDESK_SHARED_DIR``; tests that need it skip when it cannot be found.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The shared folder (which may not exist)."""
    override = os.environ.get("SOCIALDESK_SHARED_DIR")
    return Path(override) if override else REPO.parent / "shared"


SHARED = shared_dir()
INTEROP = SHARED / "interop"
DESIGN_MD = SHARED / "DESIGN.md"
