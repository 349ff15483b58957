"""Helpers for the calendar import tests: the interop corpus, small calendars, row counts."""

from __future__ import annotations

from pathlib import Path

from shared_files import INTEROP
from socialdesk.store.calendar_import import count_rows
from socialdesk.store.workspace import Workspace

# tests/core/calendar/importing -> /work/shared/interop (read in place, never copied here).
ICS_DIR = INTEROP / "ics"


def interop_ics() -> list[Path]:
    """The corpus's .ics files (empty when the corpus is absent)."""
    return sorted(ICS_DIR.glob("*.ics")) if ICS_DIR.is_dir() else []


def calendar(*components: str, prodid: str = "-//Test//Test//EN", head: str = "") -> bytes:
    """A VCALENDAR around ``components`` (each already BEGIN…END text), CRLF lines."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}"]
    if head:
        lines.append(head)
    lines += [c.strip("\r\n") for c in components]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def event(*props: str, uid: str = "e1@test", summary: str | None = "Hello",
          start: str | None = "DTSTART:20300107T100000") -> str:
    """A VEVENT with a UID, SUMMARY and DTSTART (each can be left out) and ``props``."""
    lines = ["BEGIN:VEVENT"]
    if uid:
        lines.append(f"UID:{uid}")
    if summary is not None:
        lines.append(f"SUMMARY:{summary}")
    if start:
        lines.append(start)
    lines += list(props)
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


def counts(ws: Workspace) -> dict[str, int]:
    """Rows of every table an import writes."""
    return count_rows(ws)


def posts(ws: Workspace) -> dict[str, dict[str, object]]:
    """Every post by UID, with its campaign name, channels, topics and media (path, alt)."""
    rows = ws.conn.execute(
        "SELECT p.*, c.name AS campaign FROM posts p LEFT JOIN campaigns c "
        "ON c.id = p.campaign_id ORDER BY p.uid"
    ).fetchall()
    found: dict[str, dict[str, object]] = {}
    for row in rows:
        post = dict(row)
        post["channels"] = {
            platform: body for platform, body in ws.conn.execute(
                "SELECT coalesce(nullif(platform_label, ''), platform), body FROM post_channels "
                "WHERE post_id = ?", (row["id"],))
        }
        post["topics"] = sorted(
            name for (name,) in ws.conn.execute(
                "SELECT t.name FROM post_topics pt JOIN topics t ON t.id = pt.topic_id "
                "WHERE pt.post_id = ?", (row["id"],))
        )
        post["media"] = [tuple(r) for r in ws.conn.execute(
            "SELECT path, alt FROM post_media WHERE post_id = ? ORDER BY position, id",
            (row["id"],))]
        found[row["uid"]] = post
    return found
