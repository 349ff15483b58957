"""A small kind for testing the sync engine: a post's title, notes and day as a VEVENT.

The real kinds carry much more; this one is enough to drive the engine through a real
server, and another calendar program reads and edits its events like any others.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from socialdesk.core.sync.kind import Record, SyncFormatError
from socialdesk.store.workspace import Workspace


class PostNotes:
    """Posts' ``title``, ``notes`` and ``scheduled_on`` (ISO day or '')."""

    name = "post"
    collection: Literal["calendar", "addressbook"] = "calendar"
    component: Literal["VEVENT", "VTODO", "VJOURNAL", "VCARD"] = "VEVENT"

    def records(self, ws: Workspace) -> dict[str, Record]:
        rows = ws.conn.execute("SELECT uid, title, notes, scheduled_on FROM posts")
        return {uid: {"title": title, "notes": notes, "scheduled_on": day or ""}
                for uid, title, notes, day in rows}

    def to_text(self, uid: str, record: Record) -> str:
        import icalendar

        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//SocialDesk tests//EN")
        calendar.add("version", "2.0")
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("summary", str(record["title"]))
        event.add("dtstamp", icalendar.vDatetime.from_ical("20260101T000000Z"))
        if record.get("notes"):
            event.add("description", str(record["notes"]))
        if record.get("scheduled_on"):
            event.add("dtstart", date.fromisoformat(str(record["scheduled_on"])))
        else:  # Radicale refuses an event without DTSTART
            event.add("dtstart", date(2000, 1, 1))
            event.add("x-socialdesk-unscheduled", "TRUE")
        calendar.add_component(event)
        return calendar.to_ical().decode()

    def owns(self, text: str) -> bool:
        return True

    def from_text(self, text: str) -> tuple[str, Record]:
        import icalendar

        try:
            calendar = icalendar.Calendar.from_ical(text)
        except ValueError as error:
            raise SyncFormatError(f"not iCalendar: {error}") from error
        events = [c for c in calendar.walk("VEVENT")]
        if not events or not events[0].get("uid"):
            raise SyncFormatError("no event with a UID")
        event = events[0]
        start = event.get("dtstart")
        day = start.dt if start is not None and not event.get("x-socialdesk-unscheduled") \
            else None
        day_text = (day.date() if hasattr(day, "date") else day).isoformat() if day else ""
        return str(event["uid"]), {"title": str(event.get("summary", "")),
                                   "notes": str(event.get("description", "")),
                                   "scheduled_on": day_text}

    def apply(self, ws: Workspace, uid: str, record: Record) -> None:
        day = record.get("scheduled_on") or None
        ws.conn.execute(
            "INSERT INTO posts (uid, title, notes, scheduled_on) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (uid) DO UPDATE SET title = excluded.title, notes = excluded.notes, "
            "scheduled_on = excluded.scheduled_on",
            (uid, record["title"], record.get("notes", ""), day))

    def delete(self, ws: Workspace, uid: str) -> None:
        ws.conn.execute("DELETE FROM posts WHERE uid = ?", (uid,))


KINDS = [PostNotes()]
