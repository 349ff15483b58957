"""Asks as VTODOs related to their post's VEVENT (``RELATED-TO``), as the .ics export has them.

A phone's task list shows them: STATUS (needs action, in process, completed for a share,
cancelled for a decline or no reply), DUE and the message as DESCRIPTION. Everything an
ask holds travels in ``X-SOCIALDESK-ASK`` (JSON): partner UID, dates, outcome, effort and
the planner's forecast. When a standard property disagrees with it, another program
changed the ask (a phone ticked it done, moved its due date): the standard one wins.

An ask needs its partner: one whose partner is not in the workspace yet cannot be stored,
and :meth:`AskKind.apply` raises :class:`AskDeferred` (the engine tries it again after
the contacts, then keeps it aside until its partner arrives: ``waiting.py``). A post
that is not here is left empty, as for any reference.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from socialdesk.core.calendar.ics import TODO_STATUS, one_line
from socialdesk.core.calendar.ics_lines import Prop
from socialdesk.core.sync import ical_text as ic
from socialdesk.core.sync.kind import ItemDeferred, Record, SyncFormatError
from socialdesk.store import sync_items
from socialdesk.store.vocabulary import ASK_STATUSES
from socialdesk.store.workspace import Workspace

_STATUS = {**TODO_STATUS, "shared": "COMPLETED", "declined": "CANCELLED",
           "no_reply": "CANCELLED"}
_FROM_STATUS = {"NEEDS-ACTION": "asked", "IN-PROCESS": "agreed", "COMPLETED": "shared",
                "CANCELLED": "declined"}
FIELDS = (*sync_items.ASK_COLUMNS, "post", "partner", "visits")


class AskDeferred(ItemDeferred):
    """An ask that cannot be stored yet; nothing was written.

    Its partner is not here, or the partner was already asked about the same post by
    another ask: try again after the contacts (and the other ask) have synced.
    """


def _summary(r: Record) -> str:
    first = one_line(str(r["message"]).strip())[:80]
    return f"Ask to share: {first}" if first else "Ask to share"


def todo_props(uid: str, r: Record) -> list[Prop]:
    """The VTODO's properties."""
    props: list[Prop] = [
        ("UID", uid), ("DTSTAMP", datetime.now(UTC).replace(microsecond=0)),
        ("SUMMARY", _summary(r)), ("STATUS", _STATUS[str(r["status"])])]
    if r["due_on"]:
        props.append(("DUE", date.fromisoformat(str(r["due_on"]))))
    if r["message"]:
        props.append(("DESCRIPTION", str(r["message"])))
    if r["post"]:
        props.append(("RELATED-TO", str(r["post"])))
    props.append((ic.KIND_PROPERTY, "ask"))
    props.append(("X-SOCIALDESK-ASK", ic.as_json(
        {k: r[k] for k in FIELDS if k not in ("message", "post")})))
    return props


def _visit(entry: dict[str, Any]) -> dict[str, Any]:
    first = ic.iso_day(entry["first_day"], "a visit count's first day", optional=False)
    last = ic.iso_day(entry["last_day"], "a visit count's last day", optional=False)
    if str(last) < str(first):
        raise SyncFormatError("a visit count ends before it starts")
    return {"first_day": first, "last_day": last,
            "visits": ic.count(entry["visits"], "visits") or 0,
            "source_file": ic.checked_text(entry.get("source_file", ""), "source_file")}


def read_todo(comp: Any) -> Record:
    """An ask's record from its VTODO."""
    data = ic.x_json(comp, "X-SOCIALDESK-ASK") or {}
    if not isinstance(data, dict):
        raise SyncFormatError("X-SOCIALDESK-ASK is not an object")
    status = data.get("status")
    shown = ic.text_of(comp, "STATUS").upper()
    if status not in ASK_STATUSES or (shown and _STATUS[status] != shown):
        status = _FROM_STATUS.get(shown, "asked")
    due = None
    if comp.get("DUE") is not None:
        try:
            due = ic.day_of(comp.decoded("DUE"), "DUE").isoformat()
        except (ValueError, TypeError, KeyError):
            raise SyncFormatError("DUE is not a date") from None
    asked_on = data.get("asked_on")
    if asked_on is None:  # made by another program: asked when it was made
        try:
            stamp = comp.decoded("CREATED") if comp.get("CREATED") else comp.decoded("DTSTAMP")
            asked_on = ic.day_of(stamp, "CREATED").isoformat()
        except (ValueError, TypeError, KeyError, SyncFormatError):
            asked_on = date.today().isoformat()
    partner = data.get("partner")
    record: dict[str, Any] = {
        "status": status,
        "asked_on": ic.iso_day(asked_on, "asked_on", optional=False),
        "due_on": due,
        "answered_on": ic.iso_day(data.get("answered_on"), "answered_on"),
        "message": ic.text_of(comp, "DESCRIPTION"),
        "predicted_reach": ic.number(data.get("predicted_reach"), "predicted_reach"),
        "observed_reach": ic.count(data.get("observed_reach"), "observed_reach"),
        "effort_minutes": ic.count(data.get("effort_minutes"), "effort_minutes"),
        "note": ic.checked_text(data.get("note", ""), "note"),
        "planned_p": ic.number(data.get("planned_p"), "planned_p", 0, 1),
        "planned_reach": ic.number(data.get("planned_reach"), "planned_reach"),
        "planned_x0": ic.number(data.get("planned_x0"), "planned_x0", 0, 1),
        "model_version": ic.count(data.get("model_version"), "model_version"),
        "post": ic.text_of(comp, "RELATED-TO") or None,
        "partner": ic.opt_text(partner, "partner") or None,
        "visits": ic.items_of(data.get("visits"), "visits", _visit),
    }
    ic.unique(record["visits"], ("first_day", "last_day"), "visits")
    return record


class AskKind:
    """Asks: VTODOs in the team's task list, related to their post in the calendar."""

    name = "ask"
    collection: Literal["tasks"] = "tasks"
    component: Literal["VTODO"] = "VTODO"

    def records(self, ws: Workspace) -> dict[str, Record]:
        """Every local item of this kind by UID, read in one query per table."""
        return {uid: {name: item[name] for name in FIELDS}
                for uid, item in sync_items.ask_items(ws).items()}

    def to_text(self, uid: str, record: Record) -> str:
        """The item as the server stores it (a whole VCALENDAR object)."""
        return ic.calendar_text("VTODO", todo_props(uid, record))

    def owns(self, text: str) -> bool:
        """Whether a server's VTODO is an ask (not another program's to-do)."""
        return ic.kind_of_text(text) == self.name

    def from_text(self, text: str) -> tuple[str, Record]:
        """The UID and record of a server's object; SyncFormatError if unreadable."""
        comp = ic.parse_component(text, "VTODO", self.name)
        uid = ic.text_of(comp, "UID")
        try:
            return uid, read_todo(comp)
        except (ValueError, TypeError, OverflowError) as error:
            if isinstance(error, SyncFormatError):
                raise
            raise SyncFormatError(f"ask {uid[:80]}: {error}") from None

    def apply(self, ws: Workspace, uid: str, record: Record) -> None:
        """Store the ask; :class:`AskDeferred` when its partner is not here (yet)."""
        try:
            sync_items.write_ask(ws, uid, record)
        except sync_items.MissingPartner as error:
            raise AskDeferred(str(error)) from None
        except sync_items.DuplicateAsk as error:
            raise AskDeferred(str(error), same_as=error.other) from None

    def delete(self, ws: Workspace, uid: str) -> None:
        """Remove the local item (nothing when there is none)."""
        sync_items.delete_by_uid(ws, "asks", uid)
