"""Posts as VEVENTs: what a phone or Thunderbird shows, plus ``X-SOCIALDESK-*`` for the rest.

The standard properties are those of the .ics export (:func:`ics.post_event` writes them):
SUMMARY, DTSTART/DTEND, RRULE, STATUS, DESCRIPTION (the post's text), LOCATION, URL and
CATEGORIES (its topics). What iCalendar lacks travels beside them: ``X-SOCIALDESK-STATUS``
(idea or draft), ``-TITLE`` (a title with line breaks), ``-TIMEZONE`` (the post's zone
where DTSTART does not say it: a zone zoneinfo lacks, or a post that does not repeat,
sent in UTC without a VTIMEZONE), ``-REPEAT``, ``-CAMPAIGN`` (its UID), ``-NOTES``,
``-FIRST-COMMENT`` (only when there is one, as the record has it), and JSON in
``-CHANNELS``, ``-MEDIA`` (each file's path and alt text) and ``-RESULTS``.

Reading, a standard property wins over its ``X-`` shadow when they disagree: another
program changed it (Thunderbird moved the event, a phone renamed it). An event written by
another program (only SUMMARY and DTSTART) reads as a post with defaults for the rest: an
idea, no channels. A post without a date is an all-day event on 1970-01-01 marked
``X-SOCIALDESK-UNDATED`` (a VEVENT needs a DTSTART: servers refuse one without), out of
the way of a phone's calendar; moving it elsewhere gives the post that date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socialdesk.core.calendar.ics import STATUS, IcsStats, _Zones, one_line, post_event
from socialdesk.core.calendar.ics_lines import UTC_NAMES, Prop
from socialdesk.core.calendar.media import stays_inside
from socialdesk.core.sync import ical_text as ic
from socialdesk.core.sync.kind import Record, SyncFormatError
from socialdesk.store import sync_items
from socialdesk.store.calendar_export import ExportPost
from socialdesk.store.post_writes import channel_rows
from socialdesk.store.vocabulary import POST_STATUSES, REPEAT_RULES
from socialdesk.store.workspace import Workspace

UNDATED = date(1970, 1, 1)
_FROM_STATUS = {"CANCELLED": "skipped", "CONFIRMED": "scheduled", "TENTATIVE": "draft"}
_KEPT = {"UID", "DTSTAMP", "DTSTART", "DTEND", "RRULE", "SUMMARY", "STATUS", "URL",
         "LOCATION", "TRANSP", "X-SOCIALDESK-STATUS"}
_RESULTS = ("published_url", "reach", "clicks", "engagements")


def _known_zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _shown_zone(timezone: str | None, timed: bool) -> str | None:
    """The time zone a post's DTSTART says (what reading it gives without ``-TIMEZONE``)."""
    if not timed or not timezone or _known_zone(timezone) is None:
        return None  # all day, or a floating time
    return "UTC" if timezone in UTC_NAMES else timezone


def _export_post(uid: str, r: dict[str, Any]) -> ExportPost:
    day = r["scheduled_on"] or UNDATED.isoformat()
    return ExportPost(
        id=0, uid=uid, title=str(r["title"]), body=str(r["body"]), status=str(r["status"]),
        scheduled_on=str(day), scheduled_time=r["scheduled_time"] if r["scheduled_on"] else None,
        timezone=r["timezone"] if _shown_zone(r["timezone"], True) else "UTC",
        link=str(r["link"]), location=str(r["location"]),
        repeat_rule=r["repeat_rule"] if r["scheduled_on"] else None,
        repeat_until=r["repeat_until"] if r["scheduled_on"] else None,
        evergreen_weeks=r["evergreen_weeks"] if r["scheduled_on"] else None,
        sequence=0, created_at="", updated_at="")


def _floating(value: object) -> ic.Raw:
    assert isinstance(value, datetime)
    return ic.Raw(value.strftime("%Y%m%dT%H%M%S"))


def event_props(uid: str, record: Record) -> tuple[list[Prop], tuple[str, ...]]:
    """The VEVENT's properties and the zones it uses."""
    r: dict[str, Any] = record
    base = post_event(_export_post(uid, r), _Zones("UTC", IcsStats()))
    assert base is not None
    props: list[Prop] = [(n, v) for n, v in base if n in _KEPT]
    timed = bool(r["scheduled_on"] and r["scheduled_time"])
    shown = _shown_zone(r["timezone"], timed)
    if timed and shown is None:  # a time without a (known) zone: floating, as stored
        wall = datetime.combine(date.fromisoformat(str(r["scheduled_on"])),
                                time.fromisoformat(str(r["scheduled_time"])))
        fixed: list[Prop] = []
        for name, value in props:
            if name == "DTSTART":
                value = _floating(wall)
            elif name == "DTEND":
                value = _floating(wall + timedelta(minutes=30))
            elif name == "RRULE" and isinstance(value, dict) and "UNTIL" in value:
                until = datetime.combine(date.fromisoformat(str(r["repeat_until"])), wall.time())
                value = {**value, "UNTIL": _floating(until)}
            fixed.append((name, value))
        props = fixed
    zones = (shown,) if shown and shown != "UTC" else ()
    in_utc = bool(zones) and _utc_form(props, r)
    if in_utc:
        props = [(n, cast(datetime, v).astimezone(UTC) if n in ("DTSTART", "DTEND") else v)
                 for n, v in props]
        zones = ()
    props.append((ic.KIND_PROPERTY, "post"))
    if r["body"]:
        props.append(("DESCRIPTION", str(r["body"])))
    if r["topics"]:
        props.append(("CATEGORIES", list(r["topics"])))
    if one_line(str(r["title"])) != r["title"]:
        props.append(("X-SOCIALDESK-TITLE", str(r["title"])))
    if r["timezone"] is not None and (shown != r["timezone"] or in_utc):
        props.append(("X-SOCIALDESK-TIMEZONE", str(r["timezone"])))
    if not r["scheduled_on"]:
        props.append(("X-SOCIALDESK-UNDATED", "TRUE"))
    repeat = {k: r[k] for k in ("repeat_rule", "repeat_until", "evergreen_weeks")}
    if any(v is not None for v in repeat.values()):
        props.append(("X-SOCIALDESK-REPEAT", ic.as_json(repeat)))
    if r["campaign"]:
        props.append(("X-SOCIALDESK-CAMPAIGN", str(r["campaign"])))
    if r["notes"]:
        props.append(("X-SOCIALDESK-NOTES", str(r["notes"])))
    if r.get("first_comment"):
        props.append(("X-SOCIALDESK-FIRST-COMMENT", str(r["first_comment"])))
    for name in ("channels", "media"):
        if r[name]:
            props.append((f"X-SOCIALDESK-{name.upper()}", ic.as_json(r[name])))
    results = {k: r[k] for k in (*_RESULTS, "occurrences")}
    if any(results.values()) or any(r[k] is not None for k in _RESULTS[1:]):
        props.append(("X-SOCIALDESK-RESULTS", ic.as_json(results)))
    return props, zones


def _utc_form(props: list[Prop], r: dict[str, Any]) -> bool:
    """Whether a timed post's DTSTART is written in UTC, its zone in ``-TIMEZONE``.

    So for a post that does not repeat, whose time exists once in its zone (not in the hour
    a change to summer time skips): a VEVENT without a VTIMEZONE is a quarter of the size,
    and every server and program reads it faster. A repeating post keeps its zone's
    VTIMEZONE: its time of day stays the same across a change of summer time.
    """
    if r["repeat_rule"] or r["evergreen_weeks"]:
        return False
    start = dict(props).get("DTSTART")
    if not isinstance(start, datetime) or start.tzinfo is None:
        return False
    return start.astimezone(UTC).astimezone(start.tzinfo).replace(tzinfo=None) == \
        start.replace(tzinfo=None)


def _start(comp: Any) -> tuple[str | None, str | None, str | None, bool]:
    """(day, time, zone, all day) of DTSTART; a time in a zone zoneinfo lacks is in UTC.

    A UTC time of an event that does not repeat, beside ``X-SOCIALDESK-TIMEZONE`` naming a
    zone zoneinfo knows, is that time in that zone (:func:`_utc_form`).
    """
    if comp.get("DTSTART") is None:
        raise SyncFormatError("a VEVENT without DTSTART")
    try:
        value = comp.decoded("DTSTART")
    except (ValueError, TypeError, KeyError) as error:
        raise SyncFormatError(f"DTSTART is not a date: {error}") from None
    if not isinstance(value, datetime):
        if not isinstance(value, date):
            raise SyncFormatError("DTSTART is not a date")
        return value.isoformat(), None, None, True
    zone: str | None = None
    if value.tzinfo is not None:
        key = getattr(value.tzinfo, "key", None)
        if key and _known_zone(key) is not None and key not in UTC_NAMES:
            zone = key
        else:
            value, zone = value.astimezone(UTC), "UTC"
            named = ic.x_text(comp, "X-SOCIALDESK-TIMEZONE")
            own = _known_zone(named) if named and named not in UTC_NAMES else None
            if own is not None and comp.get("RRULE") is None:
                value, zone = value.astimezone(own), named
    clock = value.strftime("%H:%M")  # posts keep minutes, as the app and the import do
    return value.date().isoformat(), clock, zone, False


def _rule_key(rule: Any) -> tuple[str, int, str] | None:
    """What a RECUR value says that a post can hold: frequency, interval, until."""
    if not rule:
        return None

    def first(name: str) -> Any:
        value = rule.get(name)
        return value[0] if isinstance(value, list) and value else value

    until = first("UNTIL")
    if isinstance(until, datetime):  # its day: a floating UNTIL and its UTC twin agree
        until = (until.astimezone(UTC) if until.tzinfo else until).date()
    return str(first("FREQ")), int(first("INTERVAL") or 1), str(until or "")


def _repeat_from_rule(rule: Any, start: datetime | date) -> dict[str, Any]:
    """A post's repeat fields from another program's RRULE (daily, yearly: none)."""
    none = {"repeat_rule": None, "repeat_until": None, "evergreen_weeks": None}
    key = _rule_key(rule)
    if key is None or key[0] not in ("WEEKLY", "MONTHLY"):
        return none
    until = rule.get("UNTIL")
    until = until[0] if isinstance(until, list) and until else None
    if isinstance(until, datetime):
        zone = start.tzinfo if isinstance(start, datetime) and start.tzinfo else UTC
        until = until.astimezone(zone).date() if until.tzinfo else until.date()
    repeat: dict[str, Any] = dict(
        none, repeat_until=until.isoformat() if isinstance(until, date) else None)
    if key[0] == "MONTHLY":
        repeat["repeat_rule"] = "monthly"
    elif key[1] > 1:
        repeat["evergreen_weeks"] = min(key[1], 5200)
    else:
        repeat["repeat_rule"] = "weekly"
    return repeat


def _channel(entry: dict[str, Any]) -> dict[str, Any]:
    platform = ic.checked_text(entry["platform"], "a channel's platform").strip()
    if not platform or len(platform) > 100:
        raise SyncFormatError(f"a channel's platform: {platform[:40]!r}")
    return {"platform": platform, "body": ic.opt_text(entry.get("body"), "a channel's text")}


def _channels(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The channels as the workspace keeps them, in :func:`_by_name` order.

    Known platforms by their key, one entry per platform (the first text of its own
    wins), no empty texts.
    """
    rows = channel_rows((c["platform"], c["body"]) for c in entries)
    shown = [{"platform": row.platform_label or row.platform, "body": row.body}
             for row in rows]
    return sorted(shown, key=lambda c: _by_name(c["platform"]))


def _by_name(name: str) -> tuple[str, str]:
    """The order of topics and channels in a record (the same on every computer)."""
    return name.casefold(), name


def _media(entry: dict[str, Any]) -> dict[str, Any]:
    path = ic.checked_text(entry["path"], "a media path")
    if not stays_inside(path):
        raise SyncFormatError(f"a media path must be relative to the media folder: {path[:80]!r}")
    return {"path": path, "alt": ic.checked_text(entry.get("alt", ""), "a media description")}


def _occurrence(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "on": ic.iso_day(entry["on"], "an occurrence's date", optional=False),
        "status": ic.one_of(entry["status"], POST_STATUSES, "an occurrence's status"),
        "published_url": ic.checked_text(entry.get("published_url", ""), "published_url"),
        **{k: ic.count(entry.get(k), k) for k in _RESULTS[1:]},
    }


def read_event(comp: Any) -> Record:
    """A post's record from its VEVENT (see the module's docstring for what wins)."""
    day, clock, zone, all_day = _start(comp)
    summary = ic.text_of(comp, "SUMMARY")
    title = ic.x_text(comp, "X-SOCIALDESK-TITLE")
    status_text = ic.text_of(comp, "STATUS").upper()
    status = ic.x_text(comp, "X-SOCIALDESK-STATUS")
    if status not in POST_STATUSES or (status_text and STATUS[status] != status_text):
        status = _FROM_STATUS.get(status_text, "idea")
    undated = ic.x_text(comp, "X-SOCIALDESK-UNDATED") == "TRUE"
    if undated and all_day and day == UNDATED.isoformat():
        day = None
    timezone = ic.x_text(comp, "X-SOCIALDESK-TIMEZONE")
    if timezone is None or _shown_zone(timezone, clock is not None) != zone:
        timezone = zone
    record: dict[str, Any] = {
        "title": title if title is not None and one_line(title) == summary else summary,
        "body": ic.text_of(comp, "DESCRIPTION"), "status": status,
        "scheduled_on": day, "scheduled_time": clock if day else None,
        "timezone": ic.checked_text(timezone, "X-SOCIALDESK-TIMEZONE") if timezone else None,
        "link": ic.text_of(comp, "URL"), "location": ic.text_of(comp, "LOCATION"),
        "notes": ic.x_text(comp, "X-SOCIALDESK-NOTES") or "",
        "campaign": ic.x_text(comp, "X-SOCIALDESK-CAMPAIGN") or None,
    }
    record.update(_repeat(comp, record))
    record["topics"] = _topics(comp)
    record["channels"] = _channels(ic.items_of(
        ic.x_json(comp, "X-SOCIALDESK-CHANNELS"), "channels", _channel))
    record["media"] = ic.items_of(ic.x_json(comp, "X-SOCIALDESK-MEDIA"), "media", _media)
    results = ic.x_json(comp, "X-SOCIALDESK-RESULTS") or {}
    if not isinstance(results, dict):
        raise SyncFormatError("X-SOCIALDESK-RESULTS is not an object")
    record["published_url"] = ic.checked_text(results.get("published_url", ""), "published_url")
    for name in _RESULTS[1:]:
        record[name] = ic.count(results.get(name), name)
    record["occurrences"] = ic.items_of(results.get("occurrences"), "occurrences", _occurrence)
    ic.unique(record["occurrences"], ("on",), "occurrences")
    comment = ic.x_text(comp, "X-SOCIALDESK-FIRST-COMMENT")
    if comment:
        record["first_comment"] = ic.checked_text(comment, "X-SOCIALDESK-FIRST-COMMENT")
    return {name: record[name] for name in (*FIELDS, *OPTIONAL) if name in record}


def _repeat(comp: Any, record: dict[str, Any]) -> dict[str, Any]:
    """The repeat fields: ``X-SOCIALDESK-REPEAT`` when the RRULE is still what it writes."""
    rule = comp.get("RRULE")
    if isinstance(rule, list):
        rule = rule[0] if rule else None
    shadow = ic.x_json(comp, "X-SOCIALDESK-REPEAT")
    if isinstance(shadow, dict):
        repeat = {
            "repeat_rule": None if shadow.get("repeat_rule") is None
            else ic.one_of(shadow.get("repeat_rule"), REPEAT_RULES, "repeat_rule"),
            "repeat_until": ic.iso_day(shadow.get("repeat_until"), "repeat_until"),
            "evergreen_weeks": ic.count(shadow.get("evergreen_weeks"), "evergreen_weeks", low=1),
        }
        if not record["scheduled_on"]:  # an idea's repeat: no RRULE says otherwise
            return repeat
        expected = post_event(_export_post("x", {**record, **repeat, "title": "",
                                                  "body": ""}), _Zones("UTC", IcsStats()))
        written = dict(expected or []).get("RRULE")
        if _rule_key(written) == _rule_key(rule):
            return repeat
    start = comp.decoded("DTSTART")
    return _repeat_from_rule(rule, start) if record["scheduled_on"] else {
        "repeat_rule": None, "repeat_until": None, "evergreen_weeks": None}


def _topics(comp: Any) -> list[str]:
    values = comp.get("CATEGORIES")
    groups = values if isinstance(values, list) else [values] if values is not None else []
    names: dict[str, str] = {}
    for group in groups:
        for cat in getattr(group, "cats", []):
            name = ic.checked_text(str(cat), "CATEGORIES").strip()
            if name:
                names.setdefault(name.casefold(), name)
    if len(names) > ic.MAX_LIST:
        raise SyncFormatError("CATEGORIES holds too many topics")
    return sorted(names.values(), key=_by_name)


def _years(r: Record) -> tuple[int, int]:
    """The years a post's time zone rules must cover: its date to its repeats' end.

    An open-ended repeat gets five years, as the .ics export gives its zones.
    """
    first = int(str(r["scheduled_on"] or UNDATED.isoformat())[:4])
    if r["repeat_until"]:
        return first, max(first, int(str(r["repeat_until"])[:4]))
    repeats = r["repeat_rule"] or r["evergreen_weeks"]
    return first, first + (5 if repeats else 0)


FIELDS = (*sync_items.POST_COLUMNS, "campaign", "topics", "channels", "media", "occurrences")
OPTIONAL = sync_items.POST_OPTIONAL  # in a record only when not empty


class PostKind:
    """Posts: VEVENTs in the shared calendar."""

    name = "post"
    collection: Literal["calendar"] = "calendar"
    component: Literal["VEVENT"] = "VEVENT"

    def records(self, ws: Workspace) -> dict[str, Record]:
        """Every local item of this kind by UID, read in one query per table."""
        records = {}
        for uid, item in sync_items.post_items(ws).items():
            record = {name: item[name] for name in FIELDS}
            record.update({name: item[name] for name in OPTIONAL if name in item})
            if len(item["topics"]) > 1:
                record["topics"] = sorted(item["topics"], key=_by_name)
            if len(item["channels"]) > 1:
                record["channels"] = sorted(item["channels"],
                                            key=lambda c: _by_name(c["platform"]))
            records[uid] = record
        return records

    def to_text(self, uid: str, record: Record) -> str:
        """The item as the server stores it (a whole VCALENDAR object)."""
        props, zones = event_props(uid, record)
        return ic.calendar_text("VEVENT", props, zones, _years(record))

    def owns(self, text: str) -> bool:
        """Whether a server's VEVENT is a post: every event is (a phone's new one too)."""
        return ic.kind_of_text(text) == self.name

    def from_text(self, text: str) -> tuple[str, Record]:
        """The UID and record of a server's object; SyncFormatError if unreadable."""
        comp = ic.parse_component(text, "VEVENT", self.name)
        uid = ic.text_of(comp, "UID")
        try:
            return uid, read_event(comp)
        except (ValueError, TypeError, OverflowError) as error:
            if isinstance(error, SyncFormatError):
                raise
            raise SyncFormatError(f"post {uid[:80]}: {error}") from None

    def apply(self, ws: Workspace, uid: str, record: Record) -> None:
        """Create or update the local item to hold ``record`` (caller's transaction)."""
        sync_items.write_post(ws, uid, record)

    def delete(self, ws: Workspace, uid: str) -> None:
        """Remove the local item (nothing when there is none)."""
        sync_items.delete_by_uid(ws, "posts", uid)
